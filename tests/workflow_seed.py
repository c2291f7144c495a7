"""A small city and warnings for the workflow tests. Every number is made up."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from fanzha.event.codes import FraudType, RiskLevel, UnitLevel
from fanzha.event.entities import Person, Phone, Unit
from fanzha.risk.model import Reason
from fanzha.store.directory import replace_reference_data
from fanzha.store.engine import session_factory
from fanzha.uow import UnitOfWork
from fanzha.warning.model import Warning, WarningStatus

T0 = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
PERSON_NAME = "李四光"
PHONE = "13911112222"
UNITS = [
    Unit(unit_id="C01", name="示范市公安局反诈中心", level=UnitLevel.CITY, area_codes=("9900",)),
    Unit(unit_id="B01", name="东湖分局", level=UnitLevel.BRANCH, parent_id="C01"),
    Unit(
        unit_id="B01S01", name="湖滨派出所", level=UnitLevel.STATION, parent_id="B01", area_codes=("990101",)
    ),
    Unit(
        unit_id="B01S02", name="东门派出所", level=UnitLevel.STATION, parent_id="B01", area_codes=("990102",)
    ),
    Unit(unit_id="B02", name="西山分局", level=UnitLevel.BRANCH, parent_id="C01"),
    Unit(
        unit_id="B02S01", name="山前派出所", level=UnitLevel.STATION, parent_id="B02", area_codes=("990201",)
    ),
]


def seed_city(engine: Engine) -> None:
    with UnitOfWork(session_factory(engine)) as uow:
        replace_reference_data(
            uow.session,
            units=UNITS,
            persons=[
                Person(
                    person_id="P1", name=PERSON_NAME, address="示范市湖滨街道8号", id_no="990201199001011234"
                ),
                Person(person_id="P2", name="王五", address="外地", unit_id="B02S01"),
            ],
            phones=[Phone(phone=PHONE, person_id="P1")],
        )
        uow.commit()


def add_warning(
    engine: Engine,
    *,
    person_id: str = "P1",
    level: RiskLevel = RiskLevel.CRITICAL,
    unit_id: str | None = "C01",
) -> int:
    reason = Reason(
        "PAYEE_LISTED", "向涉诈账户转账", 90, FraudType.LOAN, T0, "e1", {"payee_account": "6200999900000009"}
    )
    warning = Warning(
        warning_id=None,
        subject_key=f"person:{person_id}",
        person_id=person_id,
        unit_id=unit_id,
        level=level,
        score=95,
        fraud_type=FraudType.LOAN,
        status=WarningStatus.RECEIVED,
        reasons=(reason,),
        policy_version="v1",
        created_at=T0,
        updated_at=T0,
        first_event_id="e1",
        last_event_id="e1",
        signal_count=1,
        propose_stop_payment=False,
    )
    with UnitOfWork(session_factory(engine)) as uow:
        warning_id = uow.warnings.save(warning)
        uow.commit()
    return warning_id
