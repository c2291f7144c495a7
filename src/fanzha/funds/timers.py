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
from fanzha.funds import followups
from fanzha.funds import freeze as fz
from fanzha.funds import hold as hd
from fanzha.funds import stop_payment as sp
from fanzha.funds.model import Effect, FreezeStatus, HoldStatus, StopStatus
from fanzha.funds.repository import FundsRepository
from fanzha.store.auth_repository import AuditRepository


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


def _sweep_stop(
    session: Session, repo: FundsRepository, order_id: str, now: datetime, cfg: TimerSettings
) -> list[Effect]:
    order = repo.get_stop(order_id)
    if order is None:
        return []
    out = sp.apply(order, sp.Tick(now), cfg.stop)
    repo.save_stop(out.record)
    if out.record.status is StopStatus.EXPIRED and order.status is not StopStatus.EXPIRED:
        _audit_system(session, now, "stop_order", order_id, order.unit_id)
    return list(out.effects)


def _sweep_freeze(
    session: Session, repo: FundsRepository, freeze_id: str, now: datetime, cfg: TimerSettings
) -> list[Effect]:
    frozen = repo.get_freeze(freeze_id)
    if frozen is None:
        return []
    out = fz.apply(frozen, fz.Tick(now), cfg.freeze)
    repo.save_freeze(out.record)
    if out.record.status is FreezeStatus.LAPSED and frozen.status is not FreezeStatus.LAPSED:
        _audit_system(session, now, "freeze", freeze_id, frozen.unit_id)
    return list(out.effects) + promote_queued(repo, out.effects, now)


def _sweep_hold(
    session: Session, repo: FundsRepository, hold_id: str, now: datetime, cfg: TimerSettings
) -> list[Effect]:
    held = repo.get_hold(hold_id)
    if held is None:
        return []
    out = hd.apply(held, hd.Tick(now), cfg.hold)
    repo.save_hold(out.record)
    if out.record.status is HoldStatus.RELEASED and held.status is not HoldStatus.RELEASED:
        followups.queue(session, out.record, out.effects, now)
        _audit_system(session, now, "protective_hold", hold_id, held.unit_id)
    return list(out.effects)


def sweep(session: Session, now: datetime, cfg: TimerSettings) -> list[Effect]:
    """Run every due timer; the effects (alerts, instructions, audit) for the caller to report."""
    repo = FundsRepository(session)
    horizon = now + max(cfg.stop.alert_before, cfg.freeze.alert_before)
    stops, freezes, holds = repo.due_ids(horizon)
    effects: list[Effect] = []
    for order_id in stops:
        effects += _sweep_stop(session, repo, order_id, now, cfg)
    for freeze_id in freezes:
        effects += _sweep_freeze(session, repo, freeze_id, now, cfg)
    for hold_id in holds:
        effects += _sweep_hold(session, repo, hold_id, now, cfg)
    return effects
