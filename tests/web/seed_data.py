"""Seed data for the web tests: a unit, a person, events, a dead letter and three warnings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine

from fanzha.event.codes import FraudType, RiskLevel
from fanzha.risk.model import Assessment, Reason
from fanzha.store.engine import session_factory
from fanzha.store.tables import DeadLetterRow, EventRow, PersonRow, UnitRow
from fanzha.uow import UnitOfWork
from fanzha.warning.model import Warning, WarningStatus

# Personal data as stored. None of it may appear unmasked in any response.
PERSON_NAME = "张三丰"
PERSON_ID_NO = "320102199001011234"
SUBJECT_PHONE = "13812345678"
PAYEE_ACCOUNT = "6222020200112233445"
FRAUD_PHONE = "17000000001"
VICTIM_ID_NO = "110101198001017777"
LOW_ACCOUNT = "6217001234567890123"
RAW_VALUES = (PERSON_NAME, PERSON_ID_NO, SUBJECT_PHONE, PAYEE_ACCOUNT, FRAUD_PHONE, VICTIM_ID_NO, LOW_ACCOUNT)

# ... and how they must appear instead.
MASKED_NAME = "张**"
MASKED_SUBJECT_PHONE = "138****5678"
MASKED_PAYEE_ACCOUNT = "6222****3445"
MASKED_FRAUD_PHONE = "170****0001"
MASKED_VICTIM_ID_NO = "1101**********7777"
MASKED_LOW_ACCOUNT = "6217****0123"

UNIT_NAME = "城东派出所"
XSS_SUMMARY = "<script>alert(1)</script>可疑链接"
T0 = datetime(2025, 3, 1, 2, 5, tzinfo=UTC)  # 2025-03-01 10:05 in Beijing


@dataclass(frozen=True)
class Seeded:
    critical_id: int
    low_id: int
    closed_id: int


def _reason(code: str, summary: str, weight: int, evidence: dict[str, str | int], event_id: str) -> Reason:
    return Reason(
        code=code,
        summary=summary,
        weight=weight,
        fraud_type=FraudType.FAKE_CS_REFUND,
        at=T0,
        event_id=event_id,
        evidence=evidence,
    )


def _warning(
    *,
    subject_key: str,
    person_id: str | None,
    unit_id: str | None,
    level: RiskLevel,
    score: int,
    reasons: tuple[Reason, ...],
    status: WarningStatus = WarningStatus.RECEIVED,
    stop: bool = False,
) -> Warning:
    return Warning(
        warning_id=None,
        subject_key=subject_key,
        person_id=person_id,
        unit_id=unit_id,
        level=level,
        score=score,
        fraud_type=FraudType.FAKE_CS_REFUND,
        status=status,
        reasons=reasons,
        policy_version="default-2025.1",
        created_at=T0,
        updated_at=T0,
        first_event_id=reasons[0].event_id,
        last_event_id=reasons[-1].event_id,
        signal_count=len(reasons),
        propose_stop_payment=stop,
    )


def seed(engine: Engine) -> Seeded:
    """Store a LOW warning first and a CRITICAL one second, so id order is not urgency order."""
    contact = _reason(
        "FRAUD_NUMBER_CONTACT",
        "与涉诈号码通话往来",
        30,
        {"counterpart_phone": FRAUD_PHONE, "channel": "通话", "list_source": "NAFC"},
        "ev-1",
    )
    payee = _reason(
        "PAYEE_LISTED",
        "向涉诈账户转账",
        60,
        {"payee_account": PAYEE_ACCOUNT, "amount_fen": 500000, "victim_id_no": VICTIM_ID_NO},
        "ev-2",
    )
    low_reason = _reason("LISTED_URL", XSS_SUMMARY, 10, {"host": "evil.example"}, "ev-3")
    with UnitOfWork(session_factory(engine)) as uow:
        uow.session.add(UnitRow(unit_id="U1", name=UNIT_NAME, level="STATION", parent_id=None, area_codes=[]))
        uow.session.add(PersonRow(person_id="P1", name=PERSON_NAME, id_no=PERSON_ID_NO, groups=[]))
        for i in range(3):
            uow.session.add(
                EventRow(
                    event_id=f"ev-{i + 1}",
                    kind="call",
                    occurred_at=T0,
                    subject_key=f"phone:{SUBJECT_PHONE}",
                    payload={},
                    ingested_at=T0,
                )
            )
        uow.session.add(
            DeadLetterRow(
                source="calls.csv", ref="calls.csv:7", raw="bad", raw_hash="h", error="x", created_at=T0
            )
        )
        low_id = uow.warnings.save(
            _warning(
                subject_key=f"account:{LOW_ACCOUNT}",
                person_id=None,
                unit_id=None,
                level=RiskLevel.LOW,
                score=12,
                reasons=(low_reason,),
            )
        )
        critical_id = uow.warnings.save(
            _warning(
                subject_key=f"phone:{SUBJECT_PHONE}",
                person_id="P1",
                unit_id="U1",
                level=RiskLevel.CRITICAL,
                score=95,
                reasons=(contact, payee),
                stop=True,
            )
        )
        closed_id = uow.warnings.save(
            _warning(
                subject_key="phone:13900000000",
                person_id=None,
                unit_id="U9",
                level=RiskLevel.MEDIUM,
                score=40,
                reasons=(low_reason,),
                status=WarningStatus.CLOSED,
            )
        )
        uow.assessments.add(
            Assessment(
                subject_key=f"phone:{SUBJECT_PHONE}",
                person_id="P1",
                event_id="ev-2",
                score=95,
                level=RiskLevel.CRITICAL,
                fraud_type=FraudType.FAKE_CS_REFUND,
                reasons=(contact, payee),
                policy_version="default-2025.1",
                assessed_at=T0,
                warn=True,
                propose_stop_payment=True,
            ),
            warning_id=critical_id,
        )
        uow.commit()
    return Seeded(critical_id=critical_id, low_id=low_id, closed_id=closed_id)
