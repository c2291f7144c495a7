"""Conversions between core records and table rows / JSON columns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fanzha.event.codes import FraudType, RiskLevel
from fanzha.risk.model import Reason
from fanzha.store.tables import WarningRow
from fanzha.warning.model import Warning, WarningStatus


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


def warning_from_row(row: WarningRow) -> Warning:
    return Warning(
        warning_id=row.warning_id,
        subject_key=row.subject_key,
        person_id=row.person_id,
        unit_id=row.unit_id,
        level=RiskLevel(row.level),
        score=row.score,
        fraud_type=FraudType(row.fraud_type),
        status=WarningStatus(row.status),
        reasons=tuple(reason_from_json(r) for r in row.reasons),
        policy_version=row.policy_version,
        created_at=row.created_at,
        updated_at=row.updated_at,
        first_event_id=row.first_event_id,
        last_event_id=row.last_event_id,
        signal_count=row.signal_count,
        propose_stop_payment=row.propose_stop_payment,
    )


def warning_values(warning: Warning) -> dict[str, Any]:
    return {
        "subject_key": warning.subject_key,
        "person_id": warning.person_id,
        "unit_id": warning.unit_id,
        "level": int(warning.level),
        "score": warning.score,
        "fraud_type": warning.fraud_type.value,
        "status": warning.status.value,
        "reasons": [reason_to_json(r) for r in warning.reasons],
        "policy_version": warning.policy_version,
        "created_at": warning.created_at,
        "updated_at": warning.updated_at,
        "first_event_id": warning.first_event_id,
        "last_event_id": warning.last_event_id,
        "signal_count": warning.signal_count,
        "propose_stop_payment": warning.propose_stop_payment,
    }
