"""Simulated officers: each unit has a few hands, signs warnings off after a delay that depends on the
level, and works a ladder of channels (SMS, phone call, visit in person) until the warning is settled.

The loop talks to them only through the `Responder` protocol, so the same loop can later drive officers
that act through the warning workflow's service (assign, sign, contact, outcome) instead.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from fanzha.evaluate.model import Channel, Outcome, draw
from fanzha.event.codes import RiskLevel

CRITICAL, HIGH, MEDIUM, LOW = RiskLevel.CRITICAL, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW
SMS, CALL, VISIT = Channel.SMS, Channel.CALL, Channel.VISIT


@dataclass(frozen=True, slots=True)
class WarningNotice:
    """A warning as officers see it when it opens or its level rises."""

    warning_id: int
    person_id: str | None
    unit_id: str | None
    level: RiskLevel


@dataclass(frozen=True, slots=True)
class Attempt:
    """One contact attempt: at `at` the officer reached the person (or found them unreachable)."""

    warning_id: int
    person_id: str | None
    unit_id: str | None
    level: RiskLevel
    channel: Channel
    at: datetime
    reached: bool
    started_at: datetime | None = None  # when the officer began it (None: not known)


class Responder(Protocol):
    """Whoever acts on warnings: told of each warning, asked for contacts due, told each outcome."""

    def on_warning(self, notice: WarningNotice, now: datetime) -> None: ...

    def next_attempt(self, until: datetime) -> Attempt | None:
        """The earliest contact attempt at or before `until`, if any (call until it returns None)."""
        ...

    def on_outcome(self, attempt: Attempt, outcome: Outcome) -> bool:
        """Record an attempt's outcome; True when the warning is settled (and may be closed)."""
        ...

    def on_close(self, warning_id: int, at: datetime) -> None:
        """The settled warning's watch period is over: it closes."""
        ...


def _minutes(**values: float) -> dict[RiskLevel, timedelta]:
    return {RiskLevel[name]: timedelta(minutes=m) for name, m in values.items()}


@dataclass(frozen=True, slots=True)
class OfficerConfig:
    """[DESIGN] defaults, from the domain brief's §3.4 ladder and §3.7 SLA proposals."""

    # Officers on duty per unit working warnings; 0 means nobody acts on them.
    officers_per_unit: int = 2
    # Warning to sign-off (and first attempt ready): CRITICAL ≤1 min, HIGH ≤5, MEDIUM ≤30, LOW in batches.
    sign_off: Mapping[RiskLevel, timedelta] = field(
        default_factory=lambda: _minutes(CRITICAL=1, HIGH=5, MEDIUM=30, LOW=240)
    )
    # Channels tried in order; the next one after an attempt that failed to reach or to stop the person.
    ladder: Mapping[RiskLevel, tuple[Channel, ...]] = field(
        default_factory=lambda: {
            CRITICAL: (CALL, VISIT),
            HIGH: (CALL, VISIT),
            MEDIUM: (CALL, CALL),
            LOW: (SMS,),
        }
    )
    # How many rungs start at once (CRITICAL: call and dispatch in parallel).
    parallel: Mapping[RiskLevel, int] = field(
        default_factory=lambda: {CRITICAL: 2, HIGH: 1, MEDIUM: 1, LOW: 1}
    )
    # Officer time one attempt takes, and the time from its start to reaching the person.
    busy: Mapping[Channel, timedelta] = field(
        default_factory=lambda: {
            SMS: timedelta(minutes=2),
            CALL: timedelta(minutes=10),
            VISIT: timedelta(minutes=90),
        }
    )
    reach_after: Mapping[Channel, timedelta] = field(
        default_factory=lambda: {
            SMS: timedelta(minutes=1),
            CALL: timedelta(minutes=2),
            VISIT: timedelta(minutes=40),
        }
    )
    # Chance an attempt reaches the person (a busy line often means they are on with the fraudster).
    p_reach: Mapping[Channel, float] = field(default_factory=lambda: {SMS: 0.95, CALL: 0.7, VISIT: 0.85})
    # Attempts on the same person through the same channel started within one such period share one
    # reach draw (a busy line stays busy for a while); keyed by time, not by the n-th try.
    reach_period: timedelta = timedelta(minutes=15)
    # Pause before the next rung after a failed attempt.
    retry_after: timedelta = timedelta(minutes=15)

    @classmethod
    def instant(cls, officers_per_unit: int = 1) -> OfficerConfig:
        """Officers who act at once and always reach the person (for tests and upper bounds)."""
        zero = timedelta(0)
        return cls(
            officers_per_unit=officers_per_unit,
            sign_off=dict.fromkeys(RiskLevel, zero),
            busy=dict.fromkeys(Channel, zero),
            reach_after=dict.fromkeys(Channel, zero),
            p_reach=dict.fromkeys(Channel, 1.0),
            retry_after=zero,
        )


@dataclass(slots=True)
class _Task:
    warning_id: int
    channel: Channel
    ready_at: datetime
    seq: int


@dataclass(slots=True)
class _Case:
    notice: WarningNotice
    level: RiskLevel
    used: list[Channel] = field(default_factory=list)
    outstanding: int = 0
    settled: bool = False


@dataclass(slots=True)
class _Unit:
    free_at: list[datetime]
    pending: list[_Task] = field(default_factory=list)


class Officers:
    """The officers of every unit, as a small discrete-event simulation in event time."""

    def __init__(self, config: OfficerConfig, seed: str) -> None:
        self.config = config
        self._seed = seed
        self._units: dict[str, _Unit] = {}
        self._cases: dict[int, _Case] = {}
        self._in_flight: list[tuple[datetime, int, Attempt]] = []
        self._seq = 0
        self._next: datetime | None = None
        # Told of every attempt the moment an officer starts it (the workflow adapter signs and starts
        # contact then, so that its deadlines see the step on time).
        self.on_start: Callable[[Attempt], None] | None = None

    def on_warning(self, notice: WarningNotice, now: datetime) -> None:
        case = self._cases.get(notice.warning_id)
        if case is None:
            case = self._cases[notice.warning_id] = _Case(notice, notice.level)
            starts = self.config.parallel.get(notice.level, 1)
        elif notice.level <= case.level:
            return
        elif case.settled:  # new evidence during the watch period: work the case again, from the top
            case.level, case.used, case.settled = notice.level, [], False
            starts = self.config.parallel.get(notice.level, 1)
        else:
            case.level = notice.level
            starts = max(1, self.config.parallel.get(notice.level, 1) - case.outstanding)
        ready = now + self.config.sign_off.get(case.level, timedelta(0))
        for _ in range(starts):
            self._enqueue(case, ready)
        self._refresh()

    def next_attempt(self, until: datetime) -> Attempt | None:
        while self._next is not None and self._next <= until:
            start = self._earliest_start()
            landing = self._in_flight[0][0] if self._in_flight else None
            if start is not None and start[0] <= until and (landing is None or start[0] <= landing):
                self._start(start[0], self._units[start[1]])
                self._refresh()
                continue
            if landing is None or landing > until:
                return None
            attempt = heapq.heappop(self._in_flight)[2]
            self._refresh()
            if not self._cases[attempt.warning_id].settled:
                return attempt
        return None

    def on_outcome(self, attempt: Attempt, outcome: Outcome) -> bool:
        case = self._cases[attempt.warning_id]
        case.outstanding -= 1
        if case.settled:
            return True
        if outcome.stopped or outcome in (Outcome.NOT_FRAUD, Outcome.DEFRAUDED):
            self._settle(case)
            return True
        if self._enqueue(case, attempt.at + self.config.retry_after):
            self._refresh()
            return False
        if case.outstanding > 0:
            return False
        self._settle(case)
        return True

    def on_close(self, warning_id: int, at: datetime) -> None:
        """Nothing to do: these officers keep no workflow state (see `evaluate.casework`)."""

    def _enqueue(self, case: _Case, ready: datetime) -> bool:
        """Queue the next rung of the case's ladder; False when the ladder is used up."""
        channel = _next_rung(self.config.ladder.get(case.level, ()), case.used)
        if channel is None or self.config.officers_per_unit <= 0:
            return False
        case.used.append(channel)
        case.outstanding += 1
        self._seq += 1
        self._unit(case.notice.unit_id).pending.append(
            _Task(case.notice.warning_id, channel, ready, self._seq)
        )
        return True

    def _unit(self, unit_id: str | None) -> _Unit:
        key = unit_id or ""
        unit = self._units.get(key)
        if unit is None:
            unit = self._units[key] = _Unit([])
        return unit

    def _earliest_start(self) -> tuple[datetime, str] | None:
        best: tuple[datetime, str] | None = None
        for key, unit in self._units.items():
            if not unit.pending:
                continue
            ready = min(t.ready_at for t in unit.pending)
            free = min(unit.free_at) if len(unit.free_at) >= self.config.officers_per_unit else ready
            start = max(ready, free)
            if best is None or start < best[0]:
                best = (start, key)
        return best

    def _start(self, at: datetime, unit: _Unit) -> None:
        """The unit's best ready task starts at `at` with its earliest free officer."""
        ready = [t for t in unit.pending if t.ready_at <= at]
        task = min(ready, key=lambda t: (-self._cases[t.warning_id].level, t.ready_at, t.seq))
        unit.pending.remove(task)
        free = self.config.busy.get(task.channel, timedelta(0))
        if len(unit.free_at) < self.config.officers_per_unit:
            unit.free_at.append(at + free)
        else:
            unit.free_at[unit.free_at.index(min(unit.free_at))] = at + free
        case = self._cases[task.warning_id]
        who = case.notice.person_id or f"warning:{case.notice.warning_id}"
        reached = self.reach_luck(who, task.channel, at) < self.config.p_reach.get(task.channel, 0.0)
        landing = at + self.config.reach_after.get(task.channel, timedelta(0))
        notice = case.notice
        attempt = Attempt(
            notice.warning_id,
            notice.person_id,
            notice.unit_id,
            case.level,
            task.channel,
            landing,
            reached,
            at,
        )
        if self.on_start is not None:
            self.on_start(attempt)
        heapq.heappush(self._in_flight, (landing, task.seq, attempt))

    def reach_luck(self, who: str, channel: Channel, at: datetime) -> float:
        """The draw deciding whether an attempt on `who` through `channel` started at `at` reaches them.

        Keyed by person, channel and the `reach_period` the attempt starts in, never by how many tries
        came before: an extra, earlier attempt (another policy's) does not reshuffle later ones.
        """
        period = self.config.reach_period.total_seconds()
        bucket = int(at.timestamp() // period) if period > 0 else 0
        return draw(self._seed, "reach", who, channel, bucket)

    def _settle(self, case: _Case) -> None:
        case.settled = True
        unit = self._unit(case.notice.unit_id)
        unit.pending = [t for t in unit.pending if t.warning_id != case.notice.warning_id]
        self._refresh()

    def _refresh(self) -> None:
        start = self._earliest_start()
        times = [start[0]] if start else []
        if self._in_flight:
            times.append(self._in_flight[0][0])
        self._next = min(times, default=None)


def _next_rung(ladder: tuple[Channel, ...], used: list[Channel]) -> Channel | None:
    """The first channel of `ladder` not yet covered by the channels already used."""
    left = Counter(used)
    for channel in ladder:
        if left[channel] > 0:
            left[channel] -= 1
        else:
            return channel
    return None
