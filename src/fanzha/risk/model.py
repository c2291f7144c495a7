"""An assessment: score, level, fraud type and the reasons, tied to the policy version that made it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fanzha.detection.model import EvidenceValue
from fanzha.event.codes import FraudType, RiskLevel


@dataclass(frozen=True, slots=True)
class Reason:
    """One signal as it counted in a score."""

    code: str
    summary: str
    weight: int
    fraud_type: FraudType
    at: datetime
    event_id: str
    evidence: dict[str, EvidenceValue]


@dataclass(frozen=True, slots=True)
class Assessment:
    """The risk of one subject after one event."""

    subject_key: str
    person_id: str | None
    event_id: str
    score: int
    level: RiskLevel | None
    fraud_type: FraudType
    reasons: tuple[Reason, ...]
    policy_version: str
    assessed_at: datetime
    warn: bool
    propose_stop_payment: bool
