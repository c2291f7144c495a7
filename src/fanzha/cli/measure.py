"""Measurements behind `fanzha bench`: throughput, latency percentiles, memory; no printing here."""

from __future__ import annotations

import gc
import os
import resource
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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
    units = {p.person_id: p.unit_id for p in world.persons if p.unit_id}
    clock = ManualClock(datetime(2000, 1, 1, tzinfo=UTC))
    ctx = PipelineContext(
        clock=clock,
        policy=default_policy(),
        detection=DetectionContext(lists=IndicatorLists(world.indicators)),
        directory=InMemoryDirectory(owners, units),
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
