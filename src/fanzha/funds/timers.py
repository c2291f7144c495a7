"""The funds timers (`fanzha funds sweep`): stop alerts and expiry, freeze alerts and lapse, hold release.

Every automatic release writes an audit row (actor `system`, action `funds.auto_release`); a hold's
release instruction is queued for the bank (`followups`) in the same transaction. Never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from fanzha.audit.model import Action, AuditEntry
from fanzha.audit.repository import AuditRepository
from fanzha.funds import followups
from fanzha.funds import freeze as fz
from fanzha.funds import hold as hd
from fanzha.funds import stop_payment as sp
from fanzha.funds.model import Effect, FreezeStatus, HoldStatus, StopStatus
from fanzha.funds.repository import FundsRepository


@dataclass(frozen=True, slots=True)
class TimerSettings:
    stop: sp.StopSettings
    freeze: fz.FreezeSettings
    hold: hd.HoldSettings


def promote_queued(repo: FundsRepository, effects: Sequence[Effect], at: datetime) -> list[Effect]:
    """A freeze ended: the first freeze queued behind it on the account takes effect."""
    more: list[Effect] = []
    for effect in effects:
        if effect.kind == "PROMOTE_QUEUED":
            queue = repo.queued_on(effect.detail)
            if queue:
                outcome = fz.apply(queue[0], fz.Promote(at))
                repo.save_freeze(outcome.record)
                more += outcome.effects
    return more


def _audit_system(
    session: Session, now: datetime, object_type: str, object_id: str, unit_id: str | None
) -> None:
    """The audit row of an automatic release by the sweep (actor `system`)."""
    AuditRepository(session).append(
        AuditEntry(
            at=now,
            actor="system",
            role="-",
            unit_id=None,
            action=Action.FUNDS_AUTO_RELEASE,
            object_type=object_type,
            object_id=object_id,
            object_unit_id=unit_id,
            purpose="sweep",
        )
    )


def sweep(session: Session, now: datetime, cfg: TimerSettings) -> list[Effect]:
    """Run every due timer; the effects (alerts, instructions, audit) for the caller to report.

    Only running records are due, so a record ending here (expired, lapsed, released) ends now: audited.
    """
    repo = FundsRepository(session)
    stops, freezes, holds = repo.due(now + max(cfg.stop.alert_before, cfg.freeze.alert_before))
    effects: list[Effect] = []
    for order in stops:
        stop_out = sp.apply(order, sp.Tick(now), cfg.stop)
        repo.save_stop(stop_out.record)
        if stop_out.record.status is StopStatus.EXPIRED:
            _audit_system(session, now, "stop_order", order.order_id, order.unit_id)
        effects += stop_out.effects
    for frozen in freezes:
        freeze_out = fz.apply(frozen, fz.Tick(now), cfg.freeze)
        repo.save_freeze(freeze_out.record)
        if freeze_out.record.status is FreezeStatus.LAPSED:
            _audit_system(session, now, "freeze", frozen.freeze_id, frozen.unit_id)
        effects += [*freeze_out.effects, *promote_queued(repo, freeze_out.effects, now)]
    for held in holds:
        hold_out = hd.apply(held, hd.Tick(now), cfg.hold)
        repo.save_hold(hold_out.record)
        if hold_out.record.status is HoldStatus.RELEASED:
            followups.queue(session, hold_out.record, hold_out.effects, now)
            _audit_system(session, now, "protective_hold", held.hold_id, held.unit_id)
        effects += hold_out.effects
    return effects
