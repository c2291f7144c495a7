"""保护性止付 services (§4.6): propose, confirm (a named officer), release early; never commit.

The platform (or a bank) proposes a hold on a potential victim's own accounts; it takes effect only
when an officer confirms it, for the configured duration (72 h by default, at most 7 days); the sweep
(`service.sweep`) releases it automatically at its planned end. Every change returns its effects
(instruction to the bank, notice to the subject, audit) for the edge to carry out after the commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from fanzha.funds import followups
from fanzha.funds import hold as hd
from fanzha.funds.model import Effect, HoldStatus, ProtectiveHold, TransitionError
from fanzha.funds.repository import FundsRepository

IMPOSERS = frozenset({"police", "bank"})


class HoldNotFoundError(LookupError):
    """No such protective hold (the message carries the id only)."""


def propose_hold(
    session: Session,
    *,
    unit_id: str | None,
    subject_id: str,
    accounts: Sequence[str],
    now: datetime,
    trigger_lead_id: str | None = None,
    imposed_by: str = "police",
) -> ProtectiveHold:
    """A PROPOSED hold: no effect on the accounts until an officer confirms it."""
    names = tuple(dict.fromkeys(a.strip() for a in accounts if a.strip()))
    if not subject_id.strip():
        raise ValueError("a protective hold names its subject")
    if imposed_by not in IMPOSERS:
        raise ValueError("imposed_by is police or bank")
    hold = ProtectiveHold(
        hold_id=f"BH{uuid.uuid4().hex[:12].upper()}",
        unit_id=unit_id,
        subject_id=subject_id.strip(),
        accounts=names,
        trigger_lead_id=trigger_lead_id,
        imposed_by=imposed_by,
        proposed_at=now,
    )
    FundsRepository(session).save_hold(hold)
    return hold


def get_hold(session: Session, hold_id: str) -> ProtectiveHold:
    hold = FundsRepository(session).get_hold(hold_id)
    if hold is None:
        raise HoldNotFoundError(f"protective hold {hold_id}")
    return hold


def command_hold(
    session: Session, hold_id: str, command: hd.Command, settings: hd.HoldSettings | None = None
) -> tuple[ProtectiveHold, list[Effect]]:
    """Apply one lifecycle command to a stored hold and save it; TransitionError if not allowed.

    The bank instructions it asks for (hold, release) are queued in the same transaction (`followups`).
    """
    outcome = hd.apply(get_hold(session, hold_id), command, settings)
    FundsRepository(session).save_hold(outcome.record)
    at = getattr(command, "at", getattr(command, "now", outcome.record.proposed_at))
    followups.queue(session, outcome.record, outcome.effects, at)
    return outcome.record, list(outcome.effects)


def confirm_hold(
    session: Session,
    hold_id: str,
    *,
    by: str,
    at: datetime,
    duration: timedelta | None = None,
    settings: hd.HoldSettings | None = None,
) -> tuple[ProtectiveHold, list[Effect]]:
    """The named officer's confirmation: the hold takes effect now, until now + duration."""
    return command_hold(session, hold_id, hd.Confirm(by=by, at=at, duration=duration), settings)


def release_hold(
    session: Session, hold_id: str, *, by: str, at: datetime, reason: str
) -> tuple[ProtectiveHold, list[Effect]]:
    """Release an active hold early (with a reason), or withdraw one still only proposed."""
    hold = get_hold(session, hold_id)
    if hold.status is HoldStatus.PROPOSED:
        return command_hold(session, hold_id, hd.Cancel(by=by, at=at))
    if hold.status is not HoldStatus.ACTIVE:
        raise TransitionError(f"the hold is already {hold.status.value}")
    return command_hold(session, hold_id, hd.Release(at=at, reason=reason))


def list_holds(session: Session, unit_ids: Sequence[str] | None = None) -> list[ProtectiveHold]:
    """Holds of the given units (all when None), newest change first."""
    return FundsRepository(session).list_holds(unit_ids=unit_ids)


def time_left(hold: ProtectiveHold, now: datetime) -> timedelta | None:
    """Time before an active hold releases itself (None when it is not active)."""
    if hold.status is not HoldStatus.ACTIVE or hold.planned_end is None:
        return None
    return max(hold.planned_end - now, timedelta(0))
