"""Event time: the order in which events are processed, and what happens to late ones.

Both runners process each subject's events in the order `(sort_ms, seq)`, where `seq` is the record's
position in the source (files in name order, rows in order) and `sort_ms` is its event time, or for a
late event the watermark it arrived behind. The watermark is derived from the source alone, so the
order, and therefore every warning, is the same on one machine and on any number of Flink workers:

- watermark before a record = (latest `occurred_at` of the records before it) - out_of_orderness - 1 ms;
- ON_TIME: `occurred_at` is after the watermark. Processed in event-time order.
- LATE: at or behind the watermark, by at most `allowed_lateness`. Processed as it arrives (just after
  the watermark), reading the state of its own time (`KeyedState.at`); evidence that arrived before it
  is not re-evaluated, and no warning is retracted.
- TOO_LATE: further behind. Not evaluated: it goes to the dead-letter store with its raw text, from
  where it can be replayed, and is counted.

[DESIGN] defaults: 5 minutes of out-of-orderness (a bank's or operator's batch interval), 24 hours of
allowed lateness (a day's delayed file). Both are `TimePolicy` fields and `fanzha flink run` options.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import TypeVar

from fanzha.event.model import Event
from fanzha.event.parse import Rejection

MIN_MS = -(2**62)
T = TypeVar("T")


class Verdict(Enum):
    ON_TIME = "on_time"
    LATE = "late"
    TOO_LATE = "too_late"


@dataclass(frozen=True, slots=True)
class TimePolicy:
    """Bounded out-of-orderness and allowed lateness ([DESIGN] defaults in the module docstring)."""

    out_of_orderness: timedelta = timedelta(minutes=5)
    allowed_lateness: timedelta = timedelta(hours=24)

    @property
    def bound_ms(self) -> int:
        return _ms(self.out_of_orderness)

    @property
    def lateness_ms(self) -> int:
        return _ms(self.allowed_lateness)


@dataclass(frozen=True, slots=True)
class Stamp:
    """Where a record goes in processing order, and whether it was late."""

    seq: int
    sort_ms: int
    verdict: Verdict


TOO_LATE_ERROR = "occurred_at: older than the allowed lateness behind the watermark (late record)"


def to_ms(when: datetime) -> int:
    """Milliseconds since the Unix epoch (Flink's timestamps)."""
    return _ms(when - datetime(1970, 1, 1, tzinfo=UTC))


def _ms(delta: timedelta) -> int:
    return delta // timedelta(milliseconds=1)


class Stamper:
    """Stamps records in source order; its two numbers are all it needs to resume after a restart."""

    def __init__(self, policy: TimePolicy, *, seq: int = 0, max_ms: int = MIN_MS) -> None:
        self.policy = policy
        self.seq = seq
        self.max_ms = max_ms

    @property
    def watermark_ms(self) -> int:
        """No record stamped from now on is processed at or before this time."""
        if self.max_ms == MIN_MS:
            return MIN_MS
        return self.max_ms - self.policy.bound_ms - 1

    def stamp(self, occurred_ms: int | None) -> Stamp:
        """The stamp of the next record (`None`: a record without a time, which is rejected anyway)."""
        self.seq += 1
        watermark = self.watermark_ms
        if occurred_ms is None:
            return Stamp(self.seq, watermark + 1, Verdict.ON_TIME)
        if occurred_ms > watermark:
            self.max_ms = max(self.max_ms, occurred_ms)
            return Stamp(self.seq, occurred_ms, Verdict.ON_TIME)
        if occurred_ms < watermark - self.policy.lateness_ms:
            return Stamp(self.seq, watermark + 1, Verdict.TOO_LATE)
        return Stamp(self.seq, watermark + 1, Verdict.LATE)


def stamp_parsed(stamper: Stamper, parsed: Event | Rejection) -> Stamp:
    """Stamp a parsed record (a rejection has no time)."""
    return stamper.stamp(None if isinstance(parsed, Rejection) else to_ms(parsed.occurred_at))


def from_ms(ms: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)


def in_processing_order(
    items: Iterable[tuple[T, Event | Rejection]],
    policy: TimePolicy,
    on_too_late: Callable[[T, Stamp], None],
) -> Iterator[tuple[T, Stamp]]:
    """Items with their stamps in the order both runners process them: a one-machine version of
    Flink's event-time timers.

    Rejections pass straight through (they go to the dead-letter store, whatever their time); too-late
    records go to `on_too_late`; the rest wait in a heap until the watermark passes their sort time."""
    stamper = Stamper(policy)
    heap: list[tuple[int, int, T, Stamp]] = []
    for item, parsed in items:
        stamp = stamp_parsed(stamper, parsed)
        if isinstance(parsed, Rejection):
            yield item, stamp
        elif stamp.verdict is Verdict.TOO_LATE:
            on_too_late(item, stamp)
        else:
            heapq.heappush(heap, (stamp.sort_ms, stamp.seq, item, stamp))
        watermark = stamper.watermark_ms
        while heap and heap[0][0] <= watermark:
            yield _pop(heap)
    while heap:
        yield _pop(heap)


def _pop(heap: list[tuple[int, int, T, Stamp]]) -> tuple[T, Stamp]:
    _, _, item, stamp = heapq.heappop(heap)
    return item, stamp
