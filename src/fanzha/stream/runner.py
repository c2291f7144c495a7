"""The embedded runner: records in, batches through `handle`, one commit per batch.

A batch is one transaction. Detector state writes are staged in an overlay and applied only after
the commit, so a failed batch leaves neither rows nor state behind; it is then retried one record
at a time, and a record that still fails goes to the dead-letter store. After a restart, state is
restored from the last snapshot when it matches the store, else rebuilt by replaying the stored
events of the last detection window; events already stored are skipped, so re-ingesting a file
creates no duplicates. Expired state keys are dropped after every batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from fanzha.clock import Clock, ManualClock, SystemClock
from fanzha.detection.context import DetectionContext, DetectorSettings
from fanzha.detection.state import InMemoryState, OverlayState
from fanzha.event.model import Event
from fanzha.event.parse import Rejection, parse_line, parse_mapping
from fanzha.pipeline import Handled, PipelineContext, evaluate, handle
from fanzha.risk.policy import Policy, default_policy
from fanzha.store.directory import load_directory, load_indicators, load_profiles
from fanzha.store.engine import session_factory
from fanzha.stream.snapshot import Snapshot, fingerprint, read_snapshot, write_snapshot
from fanzha.stream.sources import RawRecord
from fanzha.text.model import default_scorer
from fanzha.uow import UnitOfWork

MAX_SAMPLES = 20
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass
class Summary:
    """Counts of one run; `rejections` keeps the first few (place, error) pairs for the user."""

    read: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    assessments: int = 0
    warnings_opened: int = 0
    warnings_updated: int = 0
    replayed: int = 0
    seconds: float = 0.0
    rejections: list[tuple[str, str]] = field(default_factory=list)

    @property
    def events_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def reject(self, rejection: Rejection) -> None:
        self.rejected += 1
        if len(self.rejections) < MAX_SAMPLES:
            self.rejections.append((rejection.ref, rejection.error))

    def add(self, part: Summary) -> None:
        """Add another summary's counts (and as many of its rejection samples as fit) to this one."""
        for name in (
            "read",
            "accepted",
            "duplicates",
            "rejected",
            "assessments",
            "warnings_opened",
            "warnings_updated",
            "replayed",
        ):
            setattr(self, name, getattr(self, name) + getattr(part, name))
        self.seconds += part.seconds
        self.rejections.extend(part.rejections[: max(MAX_SAMPLES - len(self.rejections), 0)])


class Runner:
    """Drives raw records through the pipeline into the store."""

    def __init__(
        self,
        engine: Engine,
        *,
        policy: Policy | None = None,
        clock: Clock | None = None,
        event_time: bool = False,
        batch_size: int = 500,
        detector_settings: DetectorSettings | None = None,
        shadow_policy: Policy | None = None,
        snapshot_path: Path | None = None,
        snapshot_every: int = 200,
        expiry_lag: timedelta = timedelta(0),
        stream_time: Callable[[Event], datetime] | None = None,
    ) -> None:
        self._factory = session_factory(engine)
        self._event_clock = ManualClock(_EPOCH) if event_time else None
        self._batch_size = batch_size
        self.state = InMemoryState()
        policy = policy or default_policy()
        settings = detector_settings or DetectorSettings()
        with self._factory() as session:
            directory = load_directory(session)
            lists = load_indicators(session)
            profiles = load_profiles(session)
        self.ctx = PipelineContext(
            clock=self._event_clock or clock or SystemClock(),
            policy=policy,
            detection=DetectionContext(
                lists=lists, settings=settings, profiles=profiles, text_scorer=default_scorer()
            ),
            directory=directory,
            shadow_policy=shadow_policy,
        )
        self._window = max(
            policy.window,
            shadow_policy.window if shadow_policy else policy.window,
            settings.contact_to_transfer,
            settings.app_to_transfer,
            settings.loan_window,
            settings.rebate_window,
            settings.chat_contact_to_transfer,
        )
        self._snapshot_path = snapshot_path
        self._snapshot_every = snapshot_every
        self._fingerprint = fingerprint(policy, shadow_policy, settings, event_time)
        self._stored: int | None = None  # events in the store, known once resumed
        self._batches = 0
        self._watermark: datetime | None = None
        # Keys are dropped this long after the watermark passed their timer, so that a late event
        # (see `fanzha.stream.flink.eventtime`) still reads the state of its own time.
        self._expiry_lag = expiry_lag
        # Event-time "now" for an event (default: its own time; the clock never moves back).
        self._stream_time = stream_time or (lambda event: event.occurred_at)

    def resume(self, progress: Callable[[int], None] | None = None) -> tuple[str, int]:
        """Restore state from a matching snapshot, else replay the store: ("snapshot", keys) or
        ("replay", events replayed)."""
        with UnitOfWork(self._factory) as uow:
            stored = uow.events.count()
        snapshot = read_snapshot(self._snapshot_path) if self._snapshot_path else None
        if snapshot and snapshot.events == stored and snapshot.fingerprint == self._fingerprint:
            self.state.restore(snapshot.state)
            if self._event_clock is not None and snapshot.clock is not None:
                self._event_clock.set(snapshot.clock)
            self._stored = stored
            return "snapshot", len(self.state)
        replayed = self.warm_up(progress)
        self._stored = stored
        return "replay", replayed

    def save_snapshot(self) -> bool:
        """Write the state to the snapshot file (only when the runner knows what the store holds)."""
        if self._snapshot_path is None or self._stored is None:
            return False
        clock = self._event_clock.now() if self._event_clock is not None else None
        write_snapshot(
            self._snapshot_path, Snapshot(self._stored, self._fingerprint, self.state.snapshot(), clock)
        )
        return True

    def warm_up(self, progress: Callable[[int], None] | None = None) -> int:
        """Rebuild detector state from the stored events of the last window; returns how many."""
        replayed = 0
        with UnitOfWork(self._factory) as uow:
            latest = uow.events.latest_time()
            if latest is None:
                return 0
            for payload in uow.events.payloads_since(latest - self._window - timedelta(minutes=1)):
                event = parse_mapping(payload, "stored")
                if isinstance(event, Rejection):
                    continue
                self._tick(event)
                evaluate(event, self.state, self.ctx)
                self._advance(event.occurred_at)
                replayed += 1
                if progress and replayed % 1000 == 0:
                    progress(1000)
        return replayed

    def run(
        self, records: Iterable[RawRecord], *, source: str, progress: Callable[[int], None] | None = None
    ) -> Summary:
        """Process `records`, committing every batch; returns what happened."""
        summary = Summary()
        started = time.perf_counter()
        for batch in _batches(records, self._batch_size):
            try:
                self._process(batch, source, summary)
            except Exception:
                # One bad record must not sink the batch: retry each record in its own transaction.
                for record in batch:
                    self._process_alone(record, source, summary)
            summary.read += len(batch)
            self._after_batch()
            if progress:
                progress(len(batch))
        self.save_snapshot()
        summary.seconds = time.perf_counter() - started
        return summary

    def _after_batch(self) -> None:
        if self._watermark is not None:
            self.state.expire(self._watermark - self._expiry_lag)
        self._batches += 1
        if self._batches % self._snapshot_every == 0:
            self.save_snapshot()

    def _advance(self, at: datetime) -> None:
        if self._watermark is None or at > self._watermark:
            self._watermark = at

    def _process(self, batch: list[RawRecord], source: str, summary: Summary) -> None:
        overlay = OverlayState(self.state)
        local = Summary()
        with UnitOfWork(self._factory) as uow:
            events: list[Event] = []
            for record in batch:
                parsed = _parse(record)
                if isinstance(parsed, Rejection):
                    uow.dead_letters.add(parsed, source=source)
                    local.reject(parsed)
                else:
                    events.append(parsed)
            known = uow.events.existing_ids([e.event_id for e in events])
            for event in events:
                if event.event_id in known:
                    local.duplicates += 1
                    continue
                known.add(event.event_id)
                self._tick(event)
                _tally(handle(event, uow=uow, state=overlay, ctx=self.ctx), local)
            uow.commit()
        overlay.commit()
        for event in events:
            self._advance(event.occurred_at)
        if self._stored is not None:
            self._stored += local.accepted
        summary.add(local)

    def _process_alone(self, record: RawRecord, source: str, summary: Summary) -> None:
        try:
            self._process([record], source, summary)
        except IntegrityError:
            summary.duplicates += 1  # stored meanwhile by a concurrent writer
        except Exception as exc:
            rejection = Rejection(record.ref, f"processing failed: {type(exc).__name__}", _text(record))
            with UnitOfWork(self._factory) as uow:
                uow.dead_letters.add(rejection, source=source)
                uow.commit()
            summary.reject(rejection)

    def _tick(self, event: Event) -> None:
        self.state.at(event.occurred_at)
        if self._event_clock is not None:
            self._event_clock.set(self._stream_time(event))


def _parse(record: RawRecord) -> Event | Rejection:
    if isinstance(record.data, str):
        return parse_line(record.data, record.ref)
    return parse_mapping(record.data, record.ref)


def _text(record: RawRecord) -> str:
    return record.data if isinstance(record.data, str) else repr(record.data)


def _tally(handled: Handled, summary: Summary) -> None:
    summary.accepted += 1
    if handled.evaluation.assessment is not None:
        summary.assessments += 1
    if handled.warning_opened:
        summary.warnings_opened += 1
    elif handled.warning_id is not None:
        summary.warnings_updated += 1


def _batches(records: Iterable[RawRecord], size: int) -> Iterator[list[RawRecord]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch
