"""紧急止付 lifecycle (§4.2): 48 h from the stop, at most twice per account, alert before expiry.

A transition table of state × command → state + effects. Pure; the service loads, applies, saves.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from fanzha.funds.lifecycle import Handler, Outcome, dispatch
from fanzha.funds.model import (
    BankResult,
    Effect,
    StopPaymentOrder,
    StopStatus,
    TransitionError,
    require_aware,
)


@dataclass(frozen=True, slots=True)
class StopSettings:
    """[DESIGN] values with the brief's defaults: 48 h, twice per account, alert 6 h before expiry."""

    duration: timedelta = timedelta(hours=48)
    max_stops_per_account: int = 2
    alert_before: timedelta = timedelta(hours=6)


# States in which an order counts as a stop on its account (sent ones too: the bank may have stopped;
# drafts too: a draft waiting for the bank, e.g. no bank endpoint configured, is a stop about to be sent).
COUNTED = frozenset(
    {
        StopStatus.DRAFT,
        StopStatus.SENT,
        StopStatus.PENDING_RETRY,
        StopStatus.STOPPED,
        StopStatus.EXPIRED,
        StopStatus.CONVERTED,
        StopStatus.RELEASED,
    }
)


@dataclass(frozen=True, slots=True)
class Send:
    at: datetime


@dataclass(frozen=True, slots=True)
class Answer:
    result: BankResult
    at: datetime
    stopped_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NoAnswer:
    at: datetime
    reason: str  # TIMEOUT | BAD_ANSWER | HTTP_ERROR | UNREACHABLE


@dataclass(frozen=True, slots=True)
class Tick:
    now: datetime


@dataclass(frozen=True, slots=True)
class Convert:
    freeze_id: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Release:
    at: datetime
    reason: str


Command = Send | Answer | NoAnswer | Tick | Convert | Release


class StopLimitError(TransitionError):
    """The account already has as many stops as allowed (`prior` of at most `limit`)."""

    def __init__(self, prior: int, limit: int) -> None:
        super().__init__(f"this account has been stopped {prior} times; at most {limit} stops are allowed")
        self.prior = prior
        self.limit = limit


def check_new_stop(prior_stops: int, settings: StopSettings) -> int:
    """The stop count of a new order on an account stopped `prior_stops` times; a third stop is refused."""
    if prior_stops >= settings.max_stops_per_account:
        raise StopLimitError(prior_stops, settings.max_stops_per_account)
    return prior_stops + 1


def _send(o: StopPaymentOrder, c: Send, s: StopSettings) -> Outcome[StopPaymentOrder]:
    sent = replace(o, status=StopStatus.SENT, sent_at=o.sent_at or c.at, attempts=o.attempts + 1)
    return Outcome(sent, (Effect("SEND_INSTRUCTION", o.order_id, f"attempt {sent.attempts}"),))


_RESULT_STATE = {
    BankResult.STOPPED: StopStatus.STOPPED,
    BankResult.MISMATCH: StopStatus.MISMATCH,
    BankResult.FAILED: StopStatus.FAILED,
}


def _answer(o: StopPaymentOrder, c: Answer, s: StopSettings) -> Outcome[StopPaymentOrder]:
    state = _RESULT_STATE.get(c.result)
    if state is None:
        raise TransitionError(f"{c.result} is not an answer to a stop-payment instruction")
    if state is not StopStatus.STOPPED:
        done = replace(o, status=state, bank_result=c.result, last_error=None)
        return Outcome(done, (Effect("AUDIT", o.order_id, f"bank answered {c.result}"),))
    stopped_at = c.stopped_at or c.at
    stopped = replace(
        o,
        status=StopStatus.STOPPED,
        bank_result=c.result,
        stopped_at=stopped_at,
        expires_at=stopped_at + s.duration,
        last_error=None,
    )
    return Outcome(stopped, (Effect("AUDIT", o.order_id, "bank answered STOPPED"),))


def _repeat_answer(o: StopPaymentOrder, c: Answer, s: StopSettings) -> Outcome[StopPaymentOrder]:
    """A second answer: the same result is a no-op (duplicates are idempotent); another one conflicts."""
    if c.result != o.bank_result:
        raise TransitionError(f"bank answered {c.result} after {o.bank_result}; kept the first answer")
    return Outcome(o)


def _no_answer(o: StopPaymentOrder, c: NoAnswer, s: StopSettings) -> Outcome[StopPaymentOrder]:
    waiting = replace(o, status=StopStatus.PENDING_RETRY, last_error=c.reason)
    return Outcome(waiting, (Effect("AUDIT", o.order_id, f"no usable answer: {c.reason}; retry"),))


def _tick(o: StopPaymentOrder, c: Tick, s: StopSettings) -> Outcome[StopPaymentOrder]:
    require_aware(c.now)
    assert o.expires_at is not None
    if c.now >= o.expires_at:
        expired = replace(o, status=StopStatus.EXPIRED)
        return Outcome(expired, (Effect("ALERT", o.order_id, "stop expired without a freeze"),))
    if o.alerted_at is None and c.now >= o.expires_at - s.alert_before:
        alerted = replace(o, alerted_at=c.now)
        return Outcome(alerted, (Effect("ALERT", o.order_id, "stop expires soon and is not frozen"),))
    return Outcome(o)


def _idle(o: StopPaymentOrder, c: Tick, s: StopSettings) -> Outcome[StopPaymentOrder]:
    return Outcome(o)


def _convert(o: StopPaymentOrder, c: Convert, s: StopSettings) -> Outcome[StopPaymentOrder]:
    converted = replace(o, status=StopStatus.CONVERTED, converted_freeze_id=c.freeze_id)
    return Outcome(converted, (Effect("AUDIT", o.order_id, "converted to a quick freeze"),))


def _release(o: StopPaymentOrder, c: Release, s: StopSettings) -> Outcome[StopPaymentOrder]:
    released = replace(o, status=StopStatus.RELEASED, last_error=None)
    return Outcome(released, (Effect("AUDIT", o.order_id, f"released: {c.reason}"),))


S = StopStatus
TABLE: dict[tuple[StopStatus, type], Handler] = {
    (S.DRAFT, Send): _send,
    (S.PENDING_RETRY, Send): _send,
    (S.SENT, Answer): _answer,
    (S.PENDING_RETRY, Answer): _answer,  # a late answer to an earlier attempt still counts
    (S.SENT, NoAnswer): _no_answer,
    (S.PENDING_RETRY, NoAnswer): _no_answer,
    (S.STOPPED, Tick): _tick,
    (S.STOPPED, Convert): _convert,
    (S.STOPPED, Release): _release,
    **{
        (state, Answer): _repeat_answer for state in (S.STOPPED, S.MISMATCH, S.FAILED, S.EXPIRED, S.CONVERTED)
    },
    **{(state, Tick): _idle for state in S if state is not S.STOPPED},
}


def apply(
    order: StopPaymentOrder, command: Command, settings: StopSettings | None = None
) -> Outcome[StopPaymentOrder]:
    """The order after `command`, with the effects to run after the commit."""
    result: Outcome[StopPaymentOrder] = dispatch(TABLE, order, command, settings or StopSettings())
    return result
