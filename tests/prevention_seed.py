"""A small city for prevention's tests: a city, a branch, two stations, a community, seven residents."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from fanzha.event.codes import FraudType, PersonGroup
from fanzha.event.entities import Person, Phone, Unit
from fanzha.risk.model import Assessment, Reason
from fanzha.store.directory import replace_reference_data
from fanzha.store.engine import session_factory
from fanzha.uow import UnitOfWork

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Beijing, a Monday
UNITS = [
    Unit(unit_id="C0", name="示范市公安局", level="CITY"),
    Unit(unit_id="B1", name="湖滨分局", level="BRANCH", parent_id="C0"),
    Unit(unit_id="S1", name="湖滨派出所", level="STATION", parent_id="B1"),
    Unit(unit_id="S2", name="西湖派出所", level="STATION", parent_id="B1"),
    Unit(unit_id="S1C01", name="湖滨柳岸社区", level="COMMUNITY", parent_id="S1"),
]
# (person id, station, birth year, occupation, groups, phone); names and numbers are invented.
PEOPLE = [
    ("P1", "S1", 2006, "学生", [PersonGroup.STUDENT], "13900000001"),
    ("P2", "S1", 1950, "退休", [PersonGroup.ELDERLY], "13900000002"),
    ("P3", "S1", 1990, "程序员", [], "13900000003"),
    ("P4", "S1", 2005, "学生", [PersonGroup.STUDENT], "13900000004"),
    ("P5", "S2", 2004, "学生", [PersonGroup.STUDENT], "13900000005"),
    ("P6", "S1", 1985, "财务", [PersonGroup.FINANCE_STAFF], "13900000006"),
    ("P7", "S1", 2007, "学生", [PersonGroup.STUDENT], None),
]
NAMES = {
    "P1": "李小明",
    "P2": "王大妈",
    "P3": "赵程序",
    "P4": "钱同学",
    "P5": "孙同学",
    "P6": "周会计",
    "P7": "吴同学",
}


def seed_city(engine: Engine) -> None:
    persons = [
        Person(
            person_id=pid,
            name=NAMES[pid],
            birth_year=year,
            occupation=occupation,
            groups=tuple(groups),
            unit_id=unit,
            address=f"示范市{unit}路{pid[1:]}号3栋1201室",
        )
        for pid, unit, year, occupation, groups, _ in PEOPLE
    ]
    phones = [Phone(phone=phone, person_id=pid) for pid, _, _, _, _, phone in PEOPLE if phone]
    with UnitOfWork(session_factory(engine)) as uow:
        replace_reference_data(uow.session, units=UNITS, persons=persons, phones=phones)
        uow.commit()


def add_assessment(
    engine: Engine,
    person_id: str,
    score: int,
    *,
    warning_id: int | None = None,
    at: datetime = T0,
    code: str = "FRAUD_NUMBER_CONTACT",
) -> None:
    assessment = Assessment(
        subject_key=f"person:{person_id}",
        person_id=person_id,
        event_id=f"e-{person_id}-{score}-{at.timestamp():.0f}",
        score=score,
        level=None,
        fraud_type=FraudType.FAKE_AUTHORITY,
        reasons=(Reason(code, "测试信号", score, FraudType.FAKE_AUTHORITY, at, "e-0", {}),),
        policy_version="test",
        assessed_at=at,
        warn=warning_id is not None,
        propose_stop_payment=False,
    )
    with UnitOfWork(session_factory(engine)) as uow:
        uow.assessments.add(assessment, warning_id=warning_id)
        uow.commit()


class RecordingGateway:
    """An SMS gateway in memory: records what it was given; can fail the next N sends."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.failures = 0

    def send(self, *, key: str, phone: str, text: str) -> str:
        from fanzha.jobs.sms.gateway import GatewayError

        if self.failures:
            self.failures -= 1
            raise GatewayError("gateway answered HTTP 503")
        self.sent.append((key, phone, text))
        return f"gw-{len(self.sent)}"
