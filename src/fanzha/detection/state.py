"""Keyed detector state behind a small interface, so the same detectors run in-memory or on a
distributed engine's keyed state (Apache Flink: `ValueState` per key plus an event-time timer).

Values must be immutable (frozen dataclasses, tuples): detectors replace them, never mutate them.
That lets `OverlayState` stage a batch's writes and drop them on rollback.

Every `put` may name an expiry (an event-time timer). Keys whose timer has passed are dropped by
`expire(now)`, so state stays bounded as the number of people grows: a person who goes quiet
costs nothing once their windows have passed.

Expiry is part of what a value means, not only garbage collection: after `at(t)` (the time of the event
being processed) a key whose timer fell due before `t` reads as absent, whether or not `expire` has
dropped it yet. So decisions do not depend on when cleanup happens to run (batch boundaries here, timer
firing on a distributed engine), which is what lets two runners agree event for event.

Keys are scoped to subjects (`fanzha.stream.flink.keyed.owned_by`): a key names the subject whose state
it is, and an event may write its counterparty's keys only as a function of the event itself, because a
keyed engine keeps each subject's keys on the worker that owns the subject.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Protocol

_DELETED = object()
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
# Timers fire in buckets of this width: a key lives at most this much past its expiry.
TIMER_RESOLUTION = timedelta(minutes=15)


class KeyedState(Protocol):
    """Get and put immutable values by string key; `expires` is when the key may be dropped."""

    def get(self, key: str) -> object | None: ...

    def put(self, key: str, value: object, expires: datetime | None = None) -> None: ...

    def delete(self, key: str) -> None: ...


def timer_bucket(when: datetime) -> int:
    """The timer bucket of `when`: a key with this expiry reads as absent from the next bucket on."""
    return int((when - _EPOCH) / TIMER_RESOLUTION) + 1


class InMemoryState:
    """A dict-backed state with event-time timers that can be snapshotted and restored.

    Timers live in a wheel of buckets (one entry per key, whatever the number of puts), so both
    setting a timer and firing the due ones cost O(1) per key.
    """

    def __init__(self) -> None:
        self._data: dict[str, object] = {}
        self._timer: dict[str, int] = {}  # key -> bucket
        self._wheel: dict[int, set[str]] = {}  # bucket -> keys
        self._visible_from = 0  # keys whose bucket is below this read as absent

    def at(self, now: datetime) -> None:
        """Reads from now on see only keys whose timer has not fallen due before `now`."""
        self._visible_from = timer_bucket(now)

    def visible(self, expires: datetime | None) -> bool:
        """Whether a value with this expiry is still readable at the time given to `at`."""
        return expires is None or timer_bucket(expires) >= self._visible_from

    def get(self, key: str) -> object | None:
        value = self._data.get(key)
        if value is not None and self._visible_from:
            bucket = self._timer.get(key)
            if bucket is not None and bucket < self._visible_from:
                return None
        return value

    def put(self, key: str, value: object, expires: datetime | None = None) -> None:
        self._data[key] = value
        old = self._timer.get(key)
        new = timer_bucket(expires) if expires is not None else None
        if old == new:
            return
        if old is not None:
            self._wheel[old].discard(key)
        if new is None:
            del self._timer[key]
        else:
            self._timer[key] = new
            self._wheel.setdefault(new, set()).add(key)

    def delete(self, key: str) -> None:
        self._data.pop(key, None)
        old = self._timer.pop(key, None)
        if old is not None:
            self._wheel[old].discard(key)

    def expire(self, now: datetime) -> int:
        """Drop every key whose timer fell due before `now`; returns how many."""
        due = timer_bucket(now) - 1
        dropped = 0
        for bucket in sorted(b for b in self._wheel if b <= due):
            for key in self._wheel.pop(bucket):
                self._data.pop(key, None)
                self._timer.pop(key, None)
                dropped += 1
        if dropped and dropped >= len(self._data):
            # Python dicts never shrink on deletion: rebuild them once most keys are gone.
            self._data, self._timer = dict(self._data), dict(self._timer)
        return dropped

    def __len__(self) -> int:
        return len(self._data)

    def items(self) -> Iterator[tuple[str, object]]:
        return iter(self._data.items())

    def snapshot(self) -> dict[str, object]:
        """Values and timers; a shallow copy is safe because values are immutable."""
        return {"data": dict(self._data), "timers": dict(self._timer)}

    def restore(self, snapshot: dict[str, object]) -> None:
        data, timers = snapshot.get("data"), snapshot.get("timers")
        if not isinstance(data, dict) or not isinstance(timers, dict):
            raise ValueError("not a state snapshot")
        self._data = dict(data)
        self._timer = dict(timers)
        self._wheel = {}
        for key, bucket in self._timer.items():
            self._wheel.setdefault(bucket, set()).add(key)


class OverlayState:
    """Writes go to an overlay over a base state until `commit` (apply) or `discard`."""

    def __init__(self, base: InMemoryState) -> None:
        self._base = base
        self._staged: dict[str, tuple[object, datetime | None]] = {}

    def get(self, key: str) -> object | None:
        staged = self._staged.get(key)
        if staged is not None:
            value, expires = staged
            return None if value is _DELETED or not self._base.visible(expires) else value
        return self._base.get(key)

    def put(self, key: str, value: object, expires: datetime | None = None) -> None:
        self._staged[key] = (value, expires)

    def delete(self, key: str) -> None:
        self._staged[key] = (_DELETED, None)

    def commit(self) -> None:
        """Apply the staged writes to the base state."""
        for key, (value, expires) in self._staged.items():
            if value is _DELETED:
                self._base.delete(key)
            else:
                self._base.put(key, value, expires)
        self._staged.clear()

    def discard(self) -> None:
        """Forget the staged writes."""
        self._staged.clear()
