"""What a detector says: a signal with a code, a suspected fraud type, a reason and its evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from fanzha.event.codes import FraudType

EvidenceValue = str | int


@dataclass(frozen=True, slots=True)
class Signal:
    """One detector firing on one event.

    `code` keys the scoring policy; `summary` is the officer-facing reason (zh-CN, no personal
    data); `evidence` holds the facts behind it (identifiers are masked when shown).
    """

    code: str
    detector: str
    fraud_type: FraudType
    summary: str
    at: datetime
    event_id: str
    evidence: dict[str, EvidenceValue] = field(default_factory=dict)
