"""Reasons to and from the JSON kept in the assessments, warnings and shadow-decision rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fanzha.event.codes import FraudType
from fanzha.risk.model import Reason


def reason_to_json(reason: Reason) -> dict[str, Any]:
    return {
        "code": reason.code,
        "summary": reason.summary,
        "weight": reason.weight,
        "fraud_type": reason.fraud_type.value,
        "at": reason.at.isoformat(),
        "event_id": reason.event_id,
        "evidence": reason.evidence,
    }


def reason_from_json(data: dict[str, Any]) -> Reason:
    return Reason(
        code=data["code"],
        summary=data["summary"],
        weight=int(data["weight"]),
        fraud_type=FraudType(data["fraud_type"]),
        at=datetime.fromisoformat(data["at"]),
        event_id=data["event_id"],
        evidence=dict(data.get("evidence", {})),
    )
