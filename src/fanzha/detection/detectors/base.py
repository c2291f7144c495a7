"""The detector contract and small helpers shared by detectors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from fanzha.detection.context import DetectionContext
from fanzha.detection.model import Signal
from fanzha.detection.profile import PaymentProfile, payee_tag
from fanzha.detection.state import KeyedState
from fanzha.event.codes import FraudType
from fanzha.event.model import Event, Transfer


@dataclass(frozen=True, slots=True)
class Subject:
    """Who an event concerns: a stable key for state, and the person id when known.

    For a transfer, `counterparty_key` is the payee's key when the payee is a known resident (so
    detectors can follow money coming in), and `profile` is the payer's payment norm before it.
    """

    key: str
    person_id: str | None
    counterparty_key: str | None = None
    profile: PaymentProfile | None = None


class Detector(Protocol):
    """Answers one behavioural question about the subject of each event.

    A detector may also declare `kinds`, the event kinds it reads (e.g. `frozenset({"transfer"})`);
    the engine then skips it for other kinds. Without `kinds` it sees every event.
    """

    name: str
    codes: frozenset[str]  # every signal code it may raise; the policy must price each

    def observe(
        self, event: Event, subject: Subject, state: KeyedState, ctx: DetectionContext
    ) -> Sequence[Signal]: ...


@dataclass(frozen=True, slots=True)
class Mark:
    """A remembered risky moment: when, what (e.g. the fraud number or app), and its fraud type hint."""

    at: datetime
    what: str
    fraud_type: str
    event_id: str


def remember(state: KeyedState, key: str, mark: Mark, window: timedelta, keep: int = 8) -> None:
    """Add `mark` to the tuple under `key`, dropping marks older than `window` and beyond `keep`;
    the key expires when its newest mark leaves the window."""
    marks = recall(state, key, mark.at, window)
    kept = (*marks[-(keep - 1) :], mark) if keep > 1 else (mark,)
    state.put(key, kept, max(m.at for m in kept) + window)


def recall(state: KeyedState, key: str, now: datetime, window: timedelta) -> tuple[Mark, ...]:
    """Marks under `key` that are no older than `window` at `now` (and not in the future)."""
    stored = state.get(key)
    if not isinstance(stored, tuple):
        return ()
    return tuple(m for m in stored if isinstance(m, Mark) and timedelta(0) <= now - m.at <= window)


def minutes_between(earlier: datetime, later: datetime) -> int:
    return int((later - earlier).total_seconds() // 60)


def established_payee(
    transfer: Transfer, subject: Subject, state: KeyedState, key: str, ctx: DetectionContext
) -> bool:
    """Whether the payment goes to a payee the person had already paid before the risky moment:
    the usual landlord or shop. Such a payment is weak evidence; a first payment to a stranger is
    what fraud looks like. (The amount is not compared: rent is far above everyday spending, and
    the profile keeps no amounts per payee.)

    Call it only for a payment that follows a remembered risky moment: a payee first paid then is
    remembered under `key` (for the contact window), so a small "test" payment does not make the
    fraudster's account look established for the larger payments after it."""
    profile = subject.profile
    tag = payee_tag(transfer.payee_account)
    fresh = state.get(key)
    fresh_tags = fresh if isinstance(fresh, tuple) else ()
    if profile is None or not profile.knows(transfer.payee_account):
        kept = (*fresh_tags[-15:], tag)
        state.put(key, kept, transfer.occurred_at + ctx.settings.contact_to_transfer)
        return False
    return tag not in fresh_tags


def sizeable_transfer(transfer: Transfer, ctx: DetectionContext) -> bool:
    """A payment that could be the fraud's aim: not everyday small change, not a card purchase at a
    merchant's terminal."""
    return transfer.amount_fen >= ctx.settings.contact_transfer_min_fen and transfer.channel != "pos"


def transfer_after_mark(
    *, detector: str, code: str, summary: str, mark_label: str, transfer: Transfer, mark: Mark
) -> Signal:
    """The signal for a payment that follows a remembered risky moment, with the link as evidence:
    what the mark was (under `mark_label`), how many minutes before, and the payment itself."""
    return Signal(
        code=code,
        detector=detector,
        fraud_type=FraudType(mark.fraud_type),
        summary=summary,
        at=transfer.occurred_at,
        event_id=transfer.event_id,
        evidence={
            mark_label: mark.what,
            "minutes_after": minutes_between(mark.at, transfer.occurred_at),
            "mark_event_id": mark.event_id,
            "payee_account": transfer.payee_account,
            "amount_fen": transfer.amount_fen,
        },
    )
