"""Detector state scoped to the subject that owns it, over any per-subject store (Flink's MapState).

A keyed engine keeps each subject's state on the worker that owns the subject, and an event is
processed where its subject's state lives. The detectors write through `KeyedState` with string keys
that name their subject (`fraud_text:person:P1`, `norm:person:P1`, ...); a transfer to a resident also
writes a few of the payee's keys (the rebate that came in, the loan that arrived). So an event is routed
to its subject and, when it has one, to its counterparty; at each, `evaluate` runs over a `ScopedState`
that keeps the writes to the keys the local subject owns and drops the rest (the other side keeps them).

The contract that makes this exact (tested in tests/flink/test_keyed_contract.py): every key names the
event's subject or counterparty, and what an event writes to its counterparty's keys does not depend on
its subject's state, nor what it decides for its subject on its counterparty's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from typing import Protocol

from fanzha.clock import ManualClock
from fanzha.detection.detectors.base import Subject
from fanzha.detection.state import timer_bucket
from fanzha.event.model import Event
from fanzha.pipeline import Evaluation, PipelineContext, evaluate, resolve_subject

_DELETED = object()


class Role(Enum):
    SUBJECT = "subject"  # the event's own subject: its evaluation is recorded
    COUNTERPARTY = "counterparty"  # the payee of a transfer: only the payee's keys are kept


class UnscopedKeyError(Exception):
    """A detector used a state key that names neither the event's subject nor its counterparty."""


def owned_by(key: str, subject: str) -> bool:
    """Whether `key` names `subject` as a whole `:`-separated part."""
    return (
        key == subject
        or key.endswith(":" + subject)
        or key.startswith(subject + ":")
        or (":" + subject + ":") in key
    )


def routes(event: Event, ctx: PipelineContext) -> Iterator[tuple[str, Role]]:
    """The subjects an event must be processed at: its own, and its counterparty when that differs."""
    subject = resolve_subject(event, ctx.directory)
    yield subject.key, Role.SUBJECT
    if subject.counterparty_key is not None and subject.counterparty_key != subject.key:
        yield subject.counterparty_key, Role.COUNTERPARTY


class Backend(Protocol):
    """One subject's stored state: values with their expiry bucket."""

    def load(self, key: str) -> tuple[object, int | None] | None: ...

    def store(self, key: str, value: object, bucket: int | None) -> None: ...

    def remove(self, key: str) -> None: ...


class ScopedState:
    """`KeyedState` for one event at one subject: reads and writes the subject's own keys through
    `backend`, stages them until `commit`, and keeps the other side's keys only for this event."""

    def __init__(self, backend: Backend, *, local: str, other: str, now: datetime) -> None:
        self._backend = backend
        self._local = local
        self._other = other
        self._visible_from = timer_bucket(now)
        self._staged: dict[str, tuple[object, int | None]] = {}
        self.touched: set[str] = set()

    def _own(self, key: str) -> bool:
        if owned_by(key, self._local):
            return True
        if owned_by(key, self._other):
            return False
        raise UnscopedKeyError(f"state key of no subject: {key.split(':', 1)[0]}:…")

    def get(self, key: str) -> object | None:
        own = self._own(key)
        found = self._staged.get(key)
        if found is None and own:
            found = self._backend.load(key)
        if found is None or found[0] is _DELETED:
            return None
        value, bucket = found
        return None if bucket is not None and bucket < self._visible_from else value

    def put(self, key: str, value: object, expires: datetime | None = None) -> None:
        self._own(key)
        self._staged[key] = (value, timer_bucket(expires) if expires is not None else None)

    def delete(self, key: str) -> None:
        self._own(key)
        self._staged[key] = (_DELETED, None)

    def commit(self) -> set[int]:
        """Apply the staged writes to the local subject's keys; returns the expiry buckets set."""
        buckets: set[int] = set()
        for key, (value, bucket) in self._staged.items():
            if not owned_by(key, self._local):
                continue
            self.touched.add(key)
            if value is _DELETED:
                self._backend.remove(key)
            else:
                self._backend.store(key, value, bucket)
                if bucket is not None:
                    buckets.add(bucket)
        self._staged.clear()
        return buckets


@dataclass(frozen=True, slots=True)
class Outcome:
    """What processing one routed event gave: the evaluation (for its own subject only) and the
    expiry buckets it set, for which the caller arms cleanup timers."""

    evaluation: Evaluation | None
    buckets: frozenset[int]


def process(
    event: Event, role: Role, local: str, backend: Backend, ctx: PipelineContext, *, now: datetime
) -> Outcome:
    """Evaluate `event` at subject `local` (its own, or its counterparty's) over `backend`.

    `now` is the stream time the event is processed at (its sort time, `eventtime`); each call has its
    own clock, since workers in one interpreter (Flink's thread mode) share `ctx`."""
    ctx = replace(ctx, clock=ManualClock(now))
    subject: Subject = resolve_subject(event, ctx.directory)
    other = subject.counterparty_key if role is Role.SUBJECT else subject.key
    state = ScopedState(backend, local=local, other=other or local, now=event.occurred_at)
    evaluation = evaluate(event, state, ctx)
    buckets = state.commit()
    return Outcome(evaluation if role is Role.SUBJECT else None, frozenset(buckets))


class DictBackend:
    """A `Backend` over a plain dict (tests, and the contract check)."""

    def __init__(self) -> None:
        self.data: dict[str, tuple[object, int | None]] = {}

    def load(self, key: str) -> tuple[object, int | None] | None:
        return self.data.get(key)

    def store(self, key: str, value: object, bucket: int | None) -> None:
        self.data[key] = (value, bucket)

    def remove(self, key: str) -> None:
        self.data.pop(key, None)
