"""Measurements behind `fanzha bench`: throughput, latency percentiles, memory; no printing here."""

from __future__ import annotations

import gc
import json
import os
import random
import resource
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fanzha.clock import ManualClock
from fanzha.detection.context import DetectionContext, IndicatorLists
from fanzha.detection.state import InMemoryState
from fanzha.event.model import Event, subject_identifier
from fanzha.event.parse import Rejection, parse_mapping
from fanzha.pipeline import PipelineContext, evaluate
from fanzha.risk.policy import default_policy
from fanzha.sim.world import World
from fanzha.store.directory import InMemoryDirectory


@dataclass(frozen=True, slots=True)
class Rate:
    """Events processed, seconds taken, and per-event latency percentiles (microseconds)."""

    events: int
    seconds: float
    p50_us: float
    p99_us: float

    @property
    def per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


def rss_mb() -> float:
    """Resident memory now (Linux), else the peak."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(samples_ns: list[int]) -> tuple[float, float]:
    if not samples_ns:
        return 0.0, 0.0
    ordered = sorted(samples_ns)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] / 1000

    return pick(0.50), pick(0.99)


def timed(items: Sequence[Any], step: Callable[[Any], object]) -> Rate:
    """Run `step` over `items`, timing each call."""
    samples: list[int] = []
    clock = time.perf_counter_ns
    gc.collect()
    started = clock()
    for item in items:
        t0 = clock()
        step(item)
        samples.append(clock() - t0)
    seconds = (clock() - started) / 1e9
    p50, p99 = percentiles(samples)
    return Rate(len(items), seconds, p50, p99)


def parse_all(records: Iterable[dict[str, Any]]) -> list[Event]:
    events = []
    for raw in records:
        parsed = parse_mapping(raw, "bench")
        if not isinstance(parsed, Rejection):
            events.append(parsed)
    return sorted(events, key=lambda e: e.occurred_at)


def plain_loop(events: Sequence[Event]) -> Rate:
    """The baseline: a plain per-event Python loop that resolves the subject and counts per key."""
    counts: dict[str, int] = {}

    def step(event: Event) -> None:
        key = subject_identifier(event) or event.event_id
        counts[key] = counts.get(key, 0) + 1

    return timed(events, step)


def evaluate_only(events: Sequence[Event], ctx: PipelineContext, clock: ManualClock) -> tuple[Rate, int]:
    """Evaluate every event over fresh in-memory state; returns the rate and the state's key count."""
    state = InMemoryState()

    def step(event: Event) -> None:
        clock.set(event.occurred_at)
        evaluate(event, state, ctx)

    rate = timed(events, step)
    return rate, len(state)


def context_for(world: World) -> tuple[PipelineContext, ManualClock]:
    owners = {f"phone:{p.phone}": p.person_id for p in world.phones}
    owners |= {f"account:{a.account}": a.person_id for a in world.accounts}
    clock = ManualClock(datetime(2000, 1, 1, tzinfo=UTC))
    ctx = PipelineContext(
        clock=clock,
        policy=default_policy(),
        detection=DetectionContext(lists=IndicatorLists(world.indicators)),
        directory=InMemoryDirectory(owners),
    )
    return ctx, clock


@dataclass(frozen=True, slots=True)
class StateMemory:
    keys: int
    traced_mb: float
    keys_after_expiry: int
    traced_after_expiry_mb: float

    @property
    def bytes_per_key(self) -> float:
        return self.traced_mb * 2**20 / self.keys if self.keys else 0.0


def state_memory(
    n_people: int, events: Callable[[int], Iterable[Event]], ctx: PipelineContext
) -> StateMemory:
    """Traced memory of detector state after `n_people` distinct people were active, then after
    event time moved past every window (so every timer fired)."""
    state = InMemoryState()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        last = datetime(2000, 1, 1, tzinfo=UTC)
        for i in range(n_people):
            for event in events(i):
                evaluate(event, state, ctx)
                last = max(last, event.occurred_at)
        gc.collect()
        traced = tracemalloc.get_traced_memory()[0] - base
        keys = len(state)
        state.expire(last + timedelta(days=366))
        gc.collect()
        after = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    return StateMemory(keys, traced / 2**20, len(state), after / 2**20)


@dataclass(frozen=True, slots=True)
class ListResult:
    entries: int
    build_s: float
    nbytes: int
    lookups_per_s: float
    dict_entries: int
    dict_build_s: float
    dict_nbytes: int
    dict_lookups_per_s: float
    csv_rows_per_s: float

    def rows(self) -> list[tuple[str, ...]]:
        ratio = self.lookups_per_s / self.dict_lookups_per_s if self.dict_lookups_per_s else 0.0
        return [
            (
                f"compact lists ({self.entries:,})",
                f"{self.build_s:.1f}",
                f"{self.nbytes / 2**20:,.0f}",
                f"{self.nbytes / self.entries:.0f}",
                f"{self.lookups_per_s:,.0f}",
                f"{ratio:.2f}",
            ),
            (
                f"plain dict baseline ({self.dict_entries:,})",
                f"{self.dict_build_s:.1f}",
                f"{self.dict_nbytes / 2**20:,.0f}",
                f"{self.dict_nbytes / self.dict_entries:.0f}",
                f"{self.dict_lookups_per_s:,.0f}",
                "1",
            ),
        ]


def _account(i: int) -> str:
    return str(6200_0000_0000_0000 + i * 7919)


def list_benchmark(entries: int, csv_rows: int, lookups: int) -> ListResult:
    """Compact lists at `entries` against a dict of up to a million entries, and the CSV parse rate."""
    from fanzha.detection.lists import ListBuilder
    from fanzha.event.codes import FraudType, IndicatorKind

    expiry = datetime(2030, 1, 1, tzinfo=UTC)
    started = time.perf_counter()
    builder = ListBuilder()
    for i in range(entries):
        builder.add(
            IndicatorKind.ACCOUNT,
            _account(i),
            source="NAFC" if i % 3 else "BANK",
            fraud_type=FraudType.LOAN,
            expires_at=expiry if i % 2 else None,
            normalised=True,
        )
    lists = builder.build()
    build_s = time.perf_counter() - started
    rng = random.Random(5)
    # Mostly misses, as in a live stream: one probe in ten names a listed account.
    probes = [
        _account(rng.randrange(entries)) if k % 10 == 0 else _account(entries + k) for k in range(lookups)
    ]
    at = datetime(2026, 1, 1, tzinfo=UTC)
    started = time.perf_counter()
    hits = sum(1 for v in probes if lists.match(IndicatorKind.ACCOUNT, v, at) is not None)
    compact_rate = lookups / (time.perf_counter() - started)
    assert hits == len(range(0, lookups, 10)), "every probe of a listed value must hit, and no other"
    dict_n, dict_s, dict_bytes, dict_rate = _dict_baseline(min(entries, 1_000_000), probes)
    return ListResult(
        entries,
        build_s,
        lists.stats().nbytes,
        compact_rate,
        dict_n,
        dict_s,
        dict_bytes,
        dict_rate,
        _csv_rate(csv_rows),
    )


def _dict_baseline(n: int, probes: list[str]) -> tuple[int, float, int, float]:
    tracemalloc.start()
    started = time.perf_counter()
    table = {_account(i): ("NAFC", "LOAN", None, None) for i in range(n)}
    seconds = time.perf_counter() - started
    nbytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    started = time.perf_counter()
    for v in probes:
        table.get(v)
    rate = len(probes) / (time.perf_counter() - started)
    return n, seconds, nbytes, rate


def _csv_rate(rows: int) -> float:
    import tempfile
    from pathlib import Path

    from fanzha.stream.lists_csv import read_list_csv

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "list.csv"
        with path.open("w", encoding="utf-8") as fh:
            fh.write("kind,value,source,fraud_type,listed_at,expires_at\n")
            for i in range(rows):
                fh.write(f"ACCOUNT,{_account(i)},NAFC,LOAN,2026-01-01T00:00:00+08:00,\n")
        started = time.perf_counter()
        count = sum(1 for _ in read_list_csv(path))
        return count / (time.perf_counter() - started)


@dataclass(frozen=True, slots=True)
class StartupTime:
    label: str
    cpu: float  # user + system seconds of the child process, best run
    wall: float  # seconds, the same run


def _child(argv: Sequence[str]) -> tuple[float, float]:
    """(CPU, wall) seconds of one run of `argv` in a new process."""
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def startup_times(workdir: Path, runs: int) -> list[StartupTime]:
    """The bare interpreter (baseline) first, then `fanzha --help` and a one-line `fanzha text score`."""
    import sys

    source = workdir / "one.jsonl"
    source.write_text(json.dumps({"id": "1", "text": "您好，我是公安局的，请把钱转到安全账户"}) + "\n")
    cli = [sys.executable, "-m", "fanzha.cli"]
    commands = (
        ("python -c pass (baseline)", [sys.executable, "-c", "pass"]),
        ("fanzha --help", [*cli, "--help"]),
        (
            "fanzha text score (one line)",
            [*cli, "text", "score", "--input", str(source), "--output", str(workdir / "out.jsonl")],
        ),
    )
    found = []
    for label, argv in commands:
        best = min((_child(argv) for _ in range(runs)), key=lambda t: t[0])
        found.append(StartupTime(label, *best))
    return found
