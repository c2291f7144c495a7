"""快速冻结 lifecycle (§4.4): approval, 6-month period, renewal before expiry or automatic lapse, 轮候冻结.

Rules (公安机关办理刑事案件程序规定 arts 239–247): a county-level chief approves; deposits are frozen
for 6 months (1 year for major cases), each renewal at most as long again and only before the end,
else the freeze lapses by itself; no double freeze, but a queued freeze takes effect when the one
ahead ends; funds found unrelated are released. [DESIGN]: warn 15 days before the end.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from fanzha.funds.lifecycle import Handler, Outcome, dispatch
from fanzha.funds.model import BankResult, Effect, FreezeOrder, FreezeStatus, TransitionError


@dataclass(frozen=True, slots=True)
class FreezeSettings:
    """Periods in calendar months, with the brief's defaults."""

    period_months: int = 6
    major_period_months: int = 12
    alert_before: timedelta = timedelta(days=15)


def add_months(moment: datetime, months: int) -> datetime:
    """`moment` plus whole calendar months, the day clamped to the month's end (Aug 31 + 6 → Feb 28/29)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def period_months(order: FreezeOrder, settings: FreezeSettings) -> int:
    return settings.major_period_months if order.major_case else settings.period_months


@dataclass(frozen=True, slots=True)
class Approve:
    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Send:
    at: datetime


@dataclass(frozen=True, slots=True)
class Answer:
    result: BankResult
    at: datetime
    queued_behind: str | None = None


@dataclass(frozen=True, slots=True)
class NoAnswer:
    at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class Promote:
    """The freeze ahead of a queued one ended: the queued freeze takes effect now."""

    at: datetime


@dataclass(frozen=True, slots=True)
class Renew:
    at: datetime
    months: int | None = None  # at most one period; the default is one full period


@dataclass(frozen=True, slots=True)
class Tick:
    now: datetime


@dataclass(frozen=True, slots=True)
class Release:
    at: datetime
    reason: str


Command = Approve | Send | Answer | NoAnswer | Promote | Renew | Tick | Release


def _approve(f: FreezeOrder, c: Approve, s: FreezeSettings) -> Outcome[FreezeOrder]:
    if not c.by.strip():
        raise TransitionError("a freeze needs a named approving officer")
    approved = replace(f, status=FreezeStatus.APPROVED, approved_by=c.by, approved_at=c.at)
    return Outcome(approved, (Effect("AUDIT", f.freeze_id, "approved"),))


def _send(f: FreezeOrder, c: Send, s: FreezeSettings) -> Outcome[FreezeOrder]:
    sent = replace(f, status=FreezeStatus.SENT, attempts=f.attempts + 1)
    return Outcome(sent, (Effect("SEND_INSTRUCTION", f.freeze_id, f"attempt {sent.attempts}"),))


def _start(f: FreezeOrder, at: datetime, s: FreezeSettings) -> FreezeOrder:
    return replace(
        f,
        status=FreezeStatus.ACTIVE,
        starts_at=at,
        ends_at=add_months(at, period_months(f, s)),
        queued_behind=None,
        last_error=None,
    )


def _answer(f: FreezeOrder, c: Answer, s: FreezeSettings) -> Outcome[FreezeOrder]:
    if c.result is BankResult.FROZEN:
        return Outcome(_start(f, c.at, s), (Effect("AUDIT", f.freeze_id, "frozen"),))
    if c.result is BankResult.QUEUED:
        queued = replace(f, status=FreezeStatus.QUEUED, queued_behind=c.queued_behind, last_error=None)
        return Outcome(queued, (Effect("AUDIT", f.freeze_id, "queued behind an earlier freeze"),))
    if c.result in (BankResult.FAILED, BankResult.MISMATCH):
        failed = replace(f, status=FreezeStatus.FAILED, last_error=c.result.value)
        return Outcome(failed, (Effect("ALERT", f.freeze_id, f"freeze {c.result}"),))
    raise TransitionError(f"{c.result} is not an answer to a freeze instruction")


_ANSWERED = {FreezeStatus.ACTIVE: BankResult.FROZEN, FreezeStatus.QUEUED: BankResult.QUEUED}


def _repeat_answer(f: FreezeOrder, c: Answer, s: FreezeSettings) -> Outcome[FreezeOrder]:
    if _ANSWERED.get(f.status) != c.result:
        raise TransitionError(f"bank answered {c.result} to a freeze already {f.status}; kept the first")
    return Outcome(f)


def _no_answer(f: FreezeOrder, c: NoAnswer, s: FreezeSettings) -> Outcome[FreezeOrder]:
    waiting = replace(f, status=FreezeStatus.PENDING_RETRY, last_error=c.reason)
    return Outcome(waiting, (Effect("AUDIT", f.freeze_id, f"no usable answer: {c.reason}; retry"),))


def _promote(f: FreezeOrder, c: Promote, s: FreezeSettings) -> Outcome[FreezeOrder]:
    return Outcome(_start(f, c.at, s), (Effect("AUDIT", f.freeze_id, "queued freeze took effect"),))


def _renew(f: FreezeOrder, c: Renew, s: FreezeSettings) -> Outcome[FreezeOrder]:
    assert f.ends_at is not None
    limit = period_months(f, s)
    months = limit if c.months is None else c.months
    if not 1 <= months <= limit:
        raise TransitionError(f"a renewal is 1 to {limit} months")
    if c.at >= f.ends_at:
        raise TransitionError("the freeze has ended; renewal must be done before expiry")
    ends = add_months(f.ends_at, months)
    renewed = replace(f, ends_at=ends, renewals=(*f.renewals, ends), alerted_at=None)
    return Outcome(renewed, (Effect("SEND_INSTRUCTION", f.freeze_id, "renewal"),))


def _tick(f: FreezeOrder, c: Tick, s: FreezeSettings) -> Outcome[FreezeOrder]:
    assert f.ends_at is not None
    if c.now >= f.ends_at:
        lapsed = replace(f, status=FreezeStatus.LAPSED, released_at=f.ends_at, release_reason="lapsed")
        return Outcome(
            lapsed,
            (
                Effect("ALERT", f.freeze_id, "freeze lapsed without renewal"),
                Effect("PROMOTE_QUEUED", f.freeze_id, f.account),
            ),
        )
    if f.alerted_at is None and c.now >= f.ends_at - s.alert_before:
        return Outcome(
            replace(f, alerted_at=c.now),
            (Effect("ALERT", f.freeze_id, "freeze ends soon: renew or release"),),
        )
    return Outcome(f)


def _idle(f: FreezeOrder, c: Tick, s: FreezeSettings) -> Outcome[FreezeOrder]:
    return Outcome(f)


def _release(f: FreezeOrder, c: Release, s: FreezeSettings) -> Outcome[FreezeOrder]:
    if not c.reason.strip():
        raise TransitionError("a release needs a reason")
    released = replace(f, status=FreezeStatus.RELEASED, released_at=c.at, release_reason=c.reason)
    effects = [Effect("SEND_INSTRUCTION", f.freeze_id, "release"), Effect("AUDIT", f.freeze_id, "released")]
    if f.status is FreezeStatus.ACTIVE:
        effects.append(Effect("PROMOTE_QUEUED", f.freeze_id, f.account))
    return Outcome(released, tuple(effects))


F = FreezeStatus
TABLE: dict[tuple[FreezeStatus, type], Handler] = {
    (F.REQUESTED, Approve): _approve,
    (F.APPROVED, Send): _send,
    (F.PENDING_RETRY, Send): _send,
    (F.SENT, Answer): _answer,
    (F.PENDING_RETRY, Answer): _answer,
    (F.ACTIVE, Answer): _repeat_answer,
    (F.QUEUED, Answer): _repeat_answer,
    (F.SENT, NoAnswer): _no_answer,
    (F.PENDING_RETRY, NoAnswer): _no_answer,
    (F.QUEUED, Promote): _promote,
    (F.ACTIVE, Renew): _renew,
    (F.ACTIVE, Tick): _tick,
    (F.ACTIVE, Release): _release,
    (F.QUEUED, Release): _release,
    **{(state, Tick): _idle for state in F if state is not F.ACTIVE},
}


def apply(
    freeze: FreezeOrder, command: Command, settings: FreezeSettings | None = None
) -> Outcome[FreezeOrder]:
    """The freeze after `command`, with the effects to run after the commit."""
    result: Outcome[FreezeOrder] = dispatch(TABLE, freeze, command, settings or FreezeSettings())
    return result
