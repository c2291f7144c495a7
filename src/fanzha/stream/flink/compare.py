"""What two runs stored, in a form that can be compared: warnings, assessments, events, dead letters.

Database ids and wall-clock columns are left out; everything a runner decides is in."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Engine, select

from fanzha.store.engine import session_factory
from fanzha.store.tables import AssessmentRow, DeadLetterRow, EventRow, WarningRow


def _canon(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _canon(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_canon(v) for v in value)
    return value


def digest(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Sorted rows of what the runner stored."""
    with session_factory(engine)() as session:
        warnings = [
            (w.subject_key, w.person_id, w.unit_id, w.level, w.score, w.fraud_type, w.status,
             _canon(w.reasons), w.policy_version, w.first_event_id, w.last_event_id, w.signal_count,
             w.propose_stop_payment, w.created_at.isoformat(), w.updated_at.isoformat())
            for w in session.scalars(select(WarningRow))
        ]  # fmt: skip
        by_id = {w.warning_id: w.first_event_id for w in session.scalars(select(WarningRow))}
        assessments = [
            (a.event_id, a.subject_key, a.person_id, a.score, a.level, a.fraud_type, _canon(a.reasons),
             a.policy_version, a.assessed_at.isoformat(), by_id.get(a.warning_id) if a.warning_id else None)
            for a in session.scalars(select(AssessmentRow))
        ]  # fmt: skip
        events = [tuple(r) for r in session.execute(select(EventRow.event_id, EventRow.subject_key))]
        dead = [tuple(r) for r in session.execute(select(DeadLetterRow.ref, DeadLetterRow.error))]
    return {
        "warnings": sorted(warnings, key=repr),
        "assessments": sorted(assessments, key=repr),
        "events": sorted(events),
        "dead_letters": sorted(dead),
    }


def differences(left: dict[str, list[tuple[Any, ...]]], right: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    """A short description of each table where the two digests differ (empty: identical); a row
    stored twice on one side counts as a difference."""
    out = []
    for table, rows in left.items():
        a, b = Counter(rows), Counter(right[table])
        if a != b:
            out.append(f"{table}: {(a - b).total()} rows only left, {(b - a).total()} only right")
    return out
