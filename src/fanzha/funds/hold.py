"""保护性止付 lifecycle (§4.6): a protective hold on a potential victim's own accounts.

The platform only proposes; a named human confirms (PIPL art 24). The subject is told the reason and
the appeal route (ATFL art 32); the hold ends by itself at its planned end, or earlier when the
release conditions are met. Every release leaves an audit effect: never silently.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from fanzha.funds.lifecycle import Handler, Outcome, dispatch
from fanzha.funds.model import Appeal, Effect, HoldStatus, ProtectiveHold, TransitionError


@dataclass(frozen=True, slots=True)
class HoldSettings:
    """[DESIGN] No national duration exists (§11 q5): 72 h by default, configurable, early release allowed."""

    duration: timedelta = timedelta(hours=72)
    max_duration: timedelta = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Confirm:
    by: str
    at: datetime
    duration: timedelta | None = None


@dataclass(frozen=True, slots=True)
class Cancel:
    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class NoticeSent:
    at: datetime


@dataclass(frozen=True, slots=True)
class AddAppeal:
    appeal: Appeal


@dataclass(frozen=True, slots=True)
class Release:
    at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class Tick:
    now: datetime


Command = Confirm | Cancel | NoticeSent | AddAppeal | Release | Tick


def _confirm(h: ProtectiveHold, c: Confirm, s: HoldSettings) -> Outcome[ProtectiveHold]:
    if not c.by.strip():
        raise TransitionError("a protective hold must be confirmed by a named officer")
    duration = c.duration or s.duration
    if not timedelta(0) < duration <= s.max_duration:
        raise TransitionError("the hold duration is outside the allowed range")
    active = replace(
        h, status=HoldStatus.ACTIVE, confirmed_by=c.by, starts_at=c.at, planned_end=c.at + duration
    )
    return Outcome(
        active,
        (
            Effect("SEND_INSTRUCTION", h.hold_id, "protective hold"),
            Effect("NOTIFY_SUBJECT", h.hold_id, "reason and appeal channel"),
            Effect("AUDIT", h.hold_id, "confirmed"),
        ),
    )


def _cancel(h: ProtectiveHold, c: Cancel, s: HoldSettings) -> Outcome[ProtectiveHold]:
    return Outcome(
        replace(h, status=HoldStatus.CANCELLED), (Effect("AUDIT", h.hold_id, "proposal cancelled"),)
    )


def _notice(h: ProtectiveHold, c: NoticeSent, s: HoldSettings) -> Outcome[ProtectiveHold]:
    return Outcome(replace(h, notice_sent_at=c.at))


def _appeal(h: ProtectiveHold, c: AddAppeal, s: HoldSettings) -> Outcome[ProtectiveHold]:
    return Outcome(
        replace(h, appeals=(*h.appeals, c.appeal)), (Effect("AUDIT", h.hold_id, "appeal recorded"),)
    )


def _end(h: ProtectiveHold, at: datetime, reason: str) -> Outcome[ProtectiveHold]:
    released = replace(h, status=HoldStatus.RELEASED, released_at=at, release_reason=reason)
    return Outcome(
        released,
        (Effect("SEND_INSTRUCTION", h.hold_id, "release"), Effect("AUDIT", h.hold_id, f"released: {reason}")),
    )


def _release(h: ProtectiveHold, c: Release, s: HoldSettings) -> Outcome[ProtectiveHold]:
    if not c.reason.strip():
        raise TransitionError("an early release needs a reason")
    return _end(h, c.at, c.reason)


def _tick(h: ProtectiveHold, c: Tick, s: HoldSettings) -> Outcome[ProtectiveHold]:
    assert h.planned_end is not None
    if c.now >= h.planned_end:
        return _end(h, h.planned_end, "planned end reached (automatic release)")
    return Outcome(h)


def _idle(h: ProtectiveHold, c: Tick, s: HoldSettings) -> Outcome[ProtectiveHold]:
    return Outcome(h)


H = HoldStatus
TABLE: dict[tuple[HoldStatus, type], Handler] = {
    (H.PROPOSED, Confirm): _confirm,
    (H.PROPOSED, Cancel): _cancel,
    (H.ACTIVE, NoticeSent): _notice,
    (H.ACTIVE, AddAppeal): _appeal,
    (H.RELEASED, AddAppeal): _appeal,
    (H.ACTIVE, Release): _release,
    (H.ACTIVE, Tick): _tick,
    **{(state, Tick): _idle for state in H if state is not H.ACTIVE},
}


def apply(
    hold: ProtectiveHold, command: Command, settings: HoldSettings | None = None
) -> Outcome[ProtectiveHold]:
    """The hold after `command`, with the effects to run after the commit."""
    result: Outcome[ProtectiveHold] = dispatch(TABLE, hold, command, settings or HoldSettings())
    return result
