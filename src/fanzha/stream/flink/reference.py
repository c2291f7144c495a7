"""The embedded runner over a directory of parts, in the event-time order the Flink job uses.

This is the reference side of the equivalence suite and of `fanzha bench flink`: the same `Runner` as
`fanzha ingest`, fed the records in `eventtime.in_processing_order`, with expiry lagging the watermark by
the allowed lateness (so a late event reads the state of its own time, as on Flink).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from fanzha.clock import ManualClock
from fanzha.detection.context import DetectionContext, DetectorSettings
from fanzha.detection.state import TIMER_RESOLUTION, InMemoryState
from fanzha.event.model import Event
from fanzha.event.parse import Rejection, parse_line, parse_mapping
from fanzha.pipeline import PipelineContext
from fanzha.risk.policy import Policy, default_policy
from fanzha.store.directory import load_directory, load_indicators, load_profiles
from fanzha.store.engine import session_factory
from fanzha.stream.flink.eventtime import TOO_LATE_ERROR, Stamp, TimePolicy, from_ms, in_processing_order
from fanzha.stream.flink.intake import parts
from fanzha.stream.runner import Runner, Summary
from fanzha.stream.sources import RawRecord, read_records
from fanzha.text.model import default_scorer
from fanzha.uow import UnitOfWork


def parse_record(record: RawRecord) -> Event | Rejection:
    """What the runner makes of a raw record (`Runner` parses the same way)."""
    if isinstance(record.data, str):
        return parse_line(record.data, record.ref)
    return parse_mapping(record.data, record.ref)


def raw_text(record: RawRecord) -> str:
    return record.data if isinstance(record.data, str) else repr(record.data)


def too_late(record: RawRecord) -> Rejection:
    return Rejection(record.ref, TOO_LATE_ERROR, raw_text(record))


def load_context(
    engine: Engine, *, policy: Policy | None = None, settings: DetectorSettings | None = None
) -> PipelineContext:
    """The pipeline context `Runner` builds, with an event-time clock: reference data from the store."""
    with session_factory(engine)() as session:
        directory = load_directory(session)
        lists = load_indicators(session)
        profiles = load_profiles(session)
    return PipelineContext(
        clock=ManualClock(datetime(2000, 1, 1, tzinfo=UTC)),
        policy=policy or default_policy(),
        detection=DetectionContext(
            lists=lists,
            settings=settings or DetectorSettings(),
            profiles=profiles,
            text_scorer=default_scorer(),
        ),
        directory=directory,
    )


def _parsed_records(
    source: Path,
) -> Iterator[tuple[tuple[RawRecord, Event | Rejection], Event | Rejection]]:
    """Every record of `source`'s parts in name order, with what it parses to (the ordering key's input)."""
    for name in parts(source):
        for record in read_records(source / name):
            parsed = parse_record(record)
            yield (record, parsed), parsed


def run_embedded(
    engine: Engine, source: Path, *, policy: TimePolicy | None = None, batch_size: int = 500
) -> tuple[Summary, InMemoryState]:
    """Ingest every part of `source` with the embedded runner in event-time order; returns what
    happened and the detector state at the end."""
    policy = policy or TimePolicy()
    # The stream time each event is processed at (its sort time), by position, as the runner sees them.
    sort_times: dict[str, list[datetime]] = {}

    def stream_time(event: Event) -> datetime:
        times = sort_times.get(event.event_id)
        return times.pop(0) if times else event.occurred_at

    runner = Runner(
        engine,
        event_time=True,
        batch_size=batch_size,
        expiry_lag=policy.allowed_lateness + TIMER_RESOLUTION,
        stream_time=stream_time,
    )
    late: list[Rejection] = []

    def on_too_late(item: tuple[RawRecord, Event | Rejection], _stamp: Stamp) -> None:
        late.append(too_late(item[0]))

    def ordered() -> Iterator[RawRecord]:
        for (record, parsed), stamp in in_processing_order(_parsed_records(source), policy, on_too_late):
            if not isinstance(parsed, Rejection):
                sort_times.setdefault(parsed.event_id, []).append(from_ms(stamp.sort_ms))
            yield record

    summary = runner.run(ordered(), source=str(source))
    with UnitOfWork(session_factory(engine)) as uow:
        for rejection in late:
            uow.dead_letters.add(rejection, source=str(source))
        uow.commit()
    for rejection in late:
        summary.reject(rejection)
    return summary, runner.state
