"""`fanzha bench flink`: events/s of the Flink job at parallelism 1 and 2 against the embedded runner
on the same stream and the same kind of store, state bytes per key, checkpoint size and time.

Rates are taken from the store's own clock (`events.ingested_at`: first to last event written), so JVM
and cluster start-up, printed apart, do not dilute them; wall time per run is printed too. Checkpoints
are full RocksDB snapshots here (incremental in production), so a checkpoint's size is the state's size;
a key is a subject, and the keys a checkpoint holds are the subjects with events stored when it completed.
"""

from __future__ import annotations

import pickle
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.exc import OperationalError

from fanzha.sim.world import World
from fanzha.store.engine import make_engine, migrate
from fanzha.store.tables import EventRow
from fanzha.stream.flink import launch
from fanzha.stream.flink.compare import differences, digest
from fanzha.stream.flink.eventtime import TimePolicy
from fanzha.stream.flink.reference import run_embedded
from fanzha.stream.flink.streams import Disorder, StreamSpec, load_reference, write_stream

_STAMP = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) .*Completed checkpoint (\d+) for job", re.M)


@dataclass
class RunStats:
    name: str
    events: int
    wall_s: float
    busy_s: float  # first to last event written
    identical: bool = True
    checkpoints: list[tuple[int, int, int]] = field(default_factory=list)  # (bytes, ms, keys)

    @property
    def rate(self) -> float:
        return self.events / self.busy_s if self.busy_s > 0 else 0.0


@dataclass
class BenchResult:
    events: int
    subjects: int
    runs: list[RunStats]
    embedded_state_bytes: int  # the embedded runner's detector values at the end, pickled
    embedded_state_keys: int  # subjects holding them


@contextmanager
def store(world: World, admin_url: str, scratch: Path) -> Iterator[tuple[str, Engine]]:
    """A fresh migrated store with the city's reference data: PostgreSQL when it answers, else SQLite."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    name = f"fanzha_bench_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = admin_url.rsplit("/", 1)[0] + "/" + name
    except OperationalError:
        admin.dispose()
        admin, url = None, f"sqlite:///{scratch / (name + '.db')}"  # type: ignore[assignment]
    engine = make_engine(url)
    try:
        migrate(engine)
        load_reference(engine, world)
        yield url, engine
    finally:
        engine.dispose()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def _busy(engine: Engine) -> tuple[int, float]:
    with engine.connect() as conn:
        count, first, last = conn.execute(
            select(func.count(), func.min(EventRow.ingested_at), func.max(EventRow.ingested_at))
        ).one()
    return int(count), ((last - first).total_seconds() if count else 0.0)


def _keys_at(engine: Engine, when: datetime) -> int:
    with engine.connect() as conn:
        found = conn.execute(
            select(func.count(func.distinct(EventRow.subject_key))).where(EventRow.ingested_at <= when)
        ).scalar_one()
    return int(found)


def _checkpoints(state_dir: Path, engine: Engine) -> list[tuple[int, int, int]]:
    times = {}
    for log in (state_dir / "log").glob("*.log*"):
        for match in _STAMP.finditer(log.read_text(errors="replace")):
            stamp = datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S,%f").astimezone(UTC)
            times[int(match[2])] = stamp
    return [
        (c.bytes, c.millis, _keys_at(engine, times[c.number]))
        for c in launch.completed_checkpoints(state_dir)
        if c.number in times
    ]


def bench(
    *, population: int, days: int, seed: int, parallelisms: tuple[int, ...], admin_url: str, scratch: Path
) -> BenchResult:
    """Run the embedded runner, then the Flink job at each parallelism, on one in-order city stream."""
    policy = TimePolicy()
    spec = StreamSpec(
        population=population, days=days, seed=seed, part_events=20_000, disorder=Disorder(0, 0, 0, 0, 0)
    )
    parts = scratch / "parts"
    world = write_stream(parts, spec, policy)
    runs: list[RunStats] = []
    with store(world, admin_url, scratch) as (_, engine):
        started = time.perf_counter()
        _, end_state = run_embedded(engine, parts, policy=policy)
        wall = time.perf_counter() - started
        events, busy = _busy(engine)
        runs.append(RunStats("embedded", events, wall, busy))
        expected = digest(engine)
        subjects = len({subject for _, subject in expected["events"]})
    for parallelism in parallelisms:
        with store(world, admin_url, scratch) as (url, engine):
            state = scratch / f"state-{parallelism}"
            shutil.rmtree(state, ignore_errors=True)
            job = launch.Launch(
                source=parts, database_url=url, state_dir=state, parallelism=parallelism, bounded=True,
                checkpoint_ms=5000, full_checkpoints=True, chunk=1000,
            )  # fmt: skip
            outcome = launch.run(job)
            events, busy = _busy(engine)
            same = outcome.returncode == 0 and not differences(expected, digest(engine))
            runs.append(
                RunStats(
                    f"flink p={parallelism}", events, outcome.seconds, busy, same, _checkpoints(state, engine)
                )
            )
    known = {subject for _, subject in expected["events"]}
    state_bytes, holders = 0, set()
    for key, value in end_state.items():
        state_bytes += len(key) + len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        parts_of = key.split(":")
        holders |= {":".join(parts_of[i : i + 2]) for i in range(len(parts_of) - 1)} & known
    return BenchResult(len(world.events), subjects, runs, state_bytes, len(holders))
