"""The warning record and its status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from fanzha.event.codes import FraudType, RiskLevel
from fanzha.risk.model import Reason


class WarningStatus(StrEnum):
    """Lifecycle states (domain brief §3.5); the pipeline opens warnings as RECEIVED.

    The transitions between them are the table in `warning/lifecycle.py`.
    """

    RECEIVED = "RECEIVED"
    ASSIGNED = "ASSIGNED"
    SIGNED = "SIGNED"
    CONTACTING = "CONTACTING"
    DISSUADED_BY_PHONE = "DISSUADED_BY_PHONE"
    NEED_MEET = "NEED_MEET"
    UNREACHABLE = "UNREACHABLE"
    LOCATING = "LOCATING"
    MET = "MET"
    FEEDBACK_SUBMITTED = "FEEDBACK_SUBMITTED"
    FOLLOW_UP = "FOLLOW_UP"
    TRANSFERRED = "TRANSFERRED"
    CLOSED = "CLOSED"


OPEN_STATUSES = frozenset(set(WarningStatus) - {WarningStatus.CLOSED})


@dataclass(frozen=True, slots=True)
class Warning:
    """A 预警指令 about one subject. `warning_id` is None until the store assigns one."""

    warning_id: int | None
    subject_key: str
    person_id: str | None
    unit_id: str | None
    level: RiskLevel
    score: int
    fraud_type: FraudType
    status: WarningStatus
    reasons: tuple[Reason, ...]
    policy_version: str
    created_at: datetime
    updated_at: datetime
    first_event_id: str
    last_event_id: str
    signal_count: int
    propose_stop_payment: bool

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True, slots=True)
class StoredAssessment:
    """An assessment as stored beside the warning it raised or updated (the read side shows them)."""

    id: int
    event_id: str
    score: int
    level: RiskLevel | None
    fraud_type: FraudType
    policy_version: str
    assessed_at: datetime
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Identity:
    """A warned person's personal data, in full: only the audited reveal reads it."""

    name: str
    id_no: str | None
    address: str | None
