"""Retention: delete or anonymise records past their period, sparing everything under a legal hold.

`purge` works inside the caller's transaction and never commits; a dry run is the same call whose
transaction is rolled back, so it counts exactly what a real run would do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from fanzha.auth.retention import RecordType, RetentionPolicy
from fanzha.store.tables import AssessmentRow, DeadLetterRow, EventRow, WarningRow
from fanzha.store.tables_auth import AuditRow, LegalHoldRow, LoginAttemptRow, SessionRow

ANON_PREFIX = "anon:"
CLOSED = "CLOSED"


@dataclass
class PurgeReport:
    """What retention did (or would do) per record type, and what it kept back."""

    deleted: dict[str, int] = field(default_factory=dict)
    anonymised: dict[str, int] = field(default_factory=dict)
    held_warnings: int = 0
    audit_past_period: int = 0


def held_warning_ids(session: Session) -> set[int]:
    stmt = select(LegalHoldRow.warning_id).where(LegalHoldRow.released_at.is_(None))
    return set(session.scalars(stmt))


def _held_subjects(session: Session, held: set[int]) -> set[str]:
    if not held:
        return set()
    return set(session.scalars(select(WarningRow.subject_key).where(WarningRow.warning_id.in_(sorted(held)))))


def _strip_evidence(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep what a statistic needs (code, weight, type, time), drop the evidence that names someone."""
    return [{**r, "evidence": {}} for r in reasons]


def _delete(session: Session, table: Any, condition: Any) -> int:
    result = session.execute(delete(table).where(condition))
    return int(getattr(result, "rowcount", 0) or 0)


def _anonymise_warnings(session: Session, cutoff: datetime, held: set[int]) -> int:
    stmt = select(WarningRow).where(
        WarningRow.status == CLOSED,
        WarningRow.updated_at < cutoff,
        ~WarningRow.subject_key.startswith(ANON_PREFIX),
    )
    count = 0
    for row in session.scalars(stmt):
        if row.warning_id in held:
            continue
        row.subject_key = f"{ANON_PREFIX}w{row.warning_id}"  # no hash: a phone's hash is easily reversed
        row.person_id = None
        row.reasons = _strip_evidence(row.reasons)
        count += 1
    return count


def _anonymise_assessments(
    session: Session, cutoff: datetime, held: set[int], held_subjects: set[str]
) -> int:
    stmt = select(AssessmentRow).where(
        AssessmentRow.assessed_at < cutoff, ~AssessmentRow.subject_key.startswith(ANON_PREFIX)
    )
    count = 0
    for row in session.scalars(stmt):
        if row.warning_id in held or row.subject_key in held_subjects:
            continue
        row.subject_key = f"{ANON_PREFIX}a{row.id}"
        row.person_id = None
        row.reasons = _strip_evidence(row.reasons)
        count += 1
    return count


def purge(session: Session, policy: RetentionPolicy, now: datetime) -> PurgeReport:
    """Apply `policy` at `now`: delete raw records past their period, anonymise the ones statistics need."""
    report = PurgeReport()
    held = held_warning_ids(session)
    held_subjects = _held_subjects(session, held)
    report.held_warnings = len(held)

    def cutoff(record: RecordType) -> datetime:
        return policy.cutoff(record, now)

    events = EventRow.occurred_at < cutoff(RecordType.EVENTS)
    if held_subjects:
        events = events & EventRow.subject_key.not_in(sorted(held_subjects))
    report.deleted[RecordType.EVENTS] = _delete(session, EventRow, events)
    report.deleted[RecordType.DEAD_LETTERS] = _delete(
        session, DeadLetterRow, DeadLetterRow.created_at < cutoff(RecordType.DEAD_LETTERS)
    )
    report.deleted[RecordType.LOGIN_ATTEMPTS] = _delete(
        session, LoginAttemptRow, LoginAttemptRow.at < cutoff(RecordType.LOGIN_ATTEMPTS)
    )
    report.deleted[RecordType.SESSIONS] = _delete(
        session, SessionRow, SessionRow.expires_at < cutoff(RecordType.SESSIONS)
    )
    report.anonymised[RecordType.CLOSED_WARNINGS] = _anonymise_warnings(
        session, cutoff(RecordType.CLOSED_WARNINGS), held
    )
    report.anonymised[RecordType.ASSESSMENTS] = _anonymise_assessments(
        session, cutoff(RecordType.ASSESSMENTS), held, held_subjects
    )
    session.flush()
    # The audit log is append-only (the database refuses deletes): report, never delete.
    report.audit_past_period = int(
        session.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.at < cutoff(RecordType.AUDIT_LOG))
        )
        or 0
    )
    return report


def place_hold(session: Session, *, warning_id: int, reason: str, placed_by: str, now: datetime) -> bool:
    """Put a legal hold on a warning; False if the warning does not exist."""
    if session.get(WarningRow, warning_id) is None:
        return False
    session.add(
        LegalHoldRow(warning_id=warning_id, reason=reason[:200], placed_by=placed_by[:80], placed_at=now)
    )
    return True


def release_hold(session: Session, *, warning_id: int, now: datetime) -> int:
    """Release every active hold on a warning; returns how many were released."""
    holds = session.scalars(
        select(LegalHoldRow).where(LegalHoldRow.warning_id == warning_id, LegalHoldRow.released_at.is_(None))
    ).all()
    for hold in holds:
        hold.released_at = now
    return len(holds)
