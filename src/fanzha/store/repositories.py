"""All SQL of the ingest records: events, assessments and dead letters (warnings: `warning/repository.py`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from fanzha.event.model import Event, Transfer
from fanzha.event.parse import Rejection
from fanzha.risk.model import Assessment
from fanzha.store.codec import reason_to_json
from fanzha.store.tables import AssessmentRow, DeadLetterRow, EventRow
from fanzha.store.tables_funds import TransferRow, transfer_values


class EventRepository:
    """Events are buffered and written in one multi-row insert when the unit of work commits."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._pending: list[dict[str, Any]] = []
        self._transfers: list[dict[str, Any]] = []  # the funds trace index (store/tables_funds.py)

    def add(self, event: Event, *, subject_key: str) -> None:
        self._pending.append(
            {
                "event_id": event.event_id,
                "kind": event.kind,
                "occurred_at": event.occurred_at,
                "subject_key": subject_key,
                "payload": event.model_dump(mode="json", exclude_none=True),
                "ingested_at": datetime.now(UTC),
            }
        )
        if isinstance(event, Transfer):
            self._transfers.append(transfer_values(event))

    def flush(self) -> None:
        if self._pending:
            # Core insert on the session's connection: the ORM's bulk path costs more than the write.
            self._session.connection().execute(insert(EventRow), self._pending)
            self._pending = []
        if self._transfers:
            self._session.execute(insert(TransferRow), self._transfers)
            self._transfers = []

    def discard(self) -> None:
        self._pending = []
        self._transfers = []

    def existing_ids(self, event_ids: Sequence[str]) -> set[str]:
        """Which of `event_ids` are already stored (for idempotent re-ingest)."""
        found: set[str] = set()
        for start in range(0, len(event_ids), 500):
            chunk = event_ids[start : start + 500]
            found.update(self._session.scalars(select(EventRow.event_id).where(EventRow.event_id.in_(chunk))))
        return found

    def count(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(EventRow)) or 0)

    def payloads_since(self, since: datetime, batch: int = 5000) -> Iterator[dict[str, Any]]:
        """Stored event payloads from `since` on, in event-time order (to rebuild detector state)."""
        stmt = select(EventRow.payload).where(EventRow.occurred_at >= since).order_by(EventRow.occurred_at)
        yield from self._session.execute(stmt.execution_options(yield_per=batch)).scalars()

    def latest_time(self) -> datetime | None:
        value = self._session.scalar(select(func.max(EventRow.occurred_at)))
        if value is None:
            return None
        # Aggregates bypass the column type on SQLite; normalise here.
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class AssessmentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._pending: list[dict[str, Any]] = []

    def add(self, assessment: Assessment, *, warning_id: int | None) -> None:
        self._pending.append(
            {
                "event_id": assessment.event_id,
                "subject_key": assessment.subject_key,
                "person_id": assessment.person_id,
                "score": assessment.score,
                "level": int(assessment.level) if assessment.level is not None else None,
                "fraud_type": assessment.fraud_type.value,
                "reasons": [reason_to_json(r) for r in assessment.reasons],
                "policy_version": assessment.policy_version,
                "assessed_at": assessment.assessed_at,
                "warning_id": warning_id,
            }
        )

    def flush(self) -> None:
        if self._pending:
            self._session.connection().execute(insert(AssessmentRow), self._pending)
            self._pending = []

    def discard(self) -> None:
        self._pending = []

    def for_warning(self, warning_id: int) -> list[AssessmentRow]:
        stmt = select(AssessmentRow).where(AssessmentRow.warning_id == warning_id).order_by(AssessmentRow.id)
        return list(self._session.scalars(stmt))

    def count(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(AssessmentRow)) or 0)


class DeadLetterRepository:
    """Rejected records with their raw text; the same record rejected twice is kept once."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, rejection: Rejection, *, source: str) -> bool:
        """Store `rejection`; False if this exact record at this place was already stored."""
        raw_hash = hashlib.sha256(rejection.raw.encode("utf-8", "replace")).hexdigest()
        exists = self._session.scalar(
            select(DeadLetterRow.id).where(
                DeadLetterRow.ref == rejection.ref, DeadLetterRow.raw_hash == raw_hash
            )
        )
        if exists is not None:
            return False
        self._session.add(
            DeadLetterRow(
                source=source[:500],
                ref=rejection.ref[:600],
                raw=rejection.raw,
                raw_hash=raw_hash,
                error=rejection.error,
                created_at=datetime.now(UTC),
            )
        )
        return True

    def list(self, limit: int = 100) -> list[DeadLetterRow]:
        return list(
            self._session.scalars(select(DeadLetterRow).order_by(DeadLetterRow.id.desc()).limit(limit))
        )

    def count(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(DeadLetterRow)) or 0)
