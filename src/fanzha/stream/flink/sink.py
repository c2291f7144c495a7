"""Writing what the workers decided into the store, idempotently by event id.

A row is an event with its evaluation, or a rejected record. A batch is one transaction: events whose id
is already stored are skipped (a restart from a checkpoint replays the events after it), the rest are
recorded exactly as the embedded runner records them (`pipeline.record`: event, assessment, and the one
open warning per subject opened or enriched), so the workflow, console and report card work unchanged.
A batch that fails is retried row by row; a row that still fails goes to the dead-letter store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from fanzha.event.model import Event
from fanzha.event.parse import Rejection
from fanzha.pipeline import Evaluation, PipelineContext, record
from fanzha.store.engine import session_factory
from fanzha.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Decided:
    """An event and what `evaluate` made of it at its subject's worker."""

    event: Event
    evaluation: Evaluation


Row = Decided | Rejection


@dataclass
class SinkCounts:
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    warnings_touched: int = 0
    failed: int = 0
    batches: int = 0


@dataclass
class StoreSink:
    engine: Engine
    ctx: PipelineContext
    source: str
    counts: SinkCounts = field(default_factory=SinkCounts)

    def __post_init__(self) -> None:
        self._factory = session_factory(self.engine)

    def write(self, rows: Sequence[Row]) -> None:
        """Store `rows` in one transaction, or one by one when that fails."""
        if not rows:
            return
        try:
            self._write(rows)
        except Exception:
            for row in rows:
                self._write_alone(row)
        self.counts.batches += 1

    def _write(self, rows: Sequence[Row]) -> None:
        local = SinkCounts()
        with UnitOfWork(self._factory) as uow:
            decided = [r for r in rows if isinstance(r, Decided)]
            known = uow.events.existing_ids([d.event.event_id for d in decided])
            for row in rows:
                if isinstance(row, Rejection):
                    uow.dead_letters.add(row, source=self.source)
                    local.rejected += 1
                    continue
                if row.event.event_id in known:
                    local.duplicates += 1
                    continue
                known.add(row.event.event_id)
                handled = record(row.event, row.evaluation, uow=uow, ctx=self.ctx)
                local.stored += 1
                local.warnings_touched += handled.warning_id is not None
            uow.commit()
        for name in ("stored", "duplicates", "rejected", "warnings_touched"):
            setattr(self.counts, name, getattr(self.counts, name) + getattr(local, name))

    def _write_alone(self, row: Row) -> None:
        try:
            self._write([row])
        except IntegrityError:
            self.counts.duplicates += 1
        except Exception as exc:
            ref = row.ref if isinstance(row, Rejection) else f"event {row.event.event_id}"
            raw = row.raw if isinstance(row, Rejection) else row.event.model_dump_json()
            with UnitOfWork(self._factory) as uow:
                uow.dead_letters.add(
                    Rejection(ref, f"processing failed: {type(exc).__name__}", raw), source=self.source
                )
                uow.commit()
            self.counts.failed += 1
