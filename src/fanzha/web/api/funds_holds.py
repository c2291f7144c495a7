"""保护性止付 in the JSON API under `/api/funds/holds`: propose, confirm, release (funds.act); list
(funds.view).

Holds are scoped by unit: one outside the caller's units answers 404 like a missing one. Accounts are
masked in every answer; every list and every change is audited.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from fanzha.audit.model import Action
from fanzha.funds import holds_service as hs
from fanzha.funds import queries as fq
from fanzha.funds.model import ProtectiveHold, TransitionError
from fanzha.web.deps import (
    DbSession,
    FundsActor,
    FundsViewer,
    Principal,
    audit,
    bank_delivery,
    funds_config,
    funds_now,
    new_uow,
)

router = APIRouter(prefix="/api/funds/holds", tags=["funds"])


class HoldIn(BaseModel):
    subject_id: str = Field(min_length=1, max_length=64)
    accounts: list[str] = Field(min_length=1, max_length=50)
    unit_id: str | None = Field(default=None, max_length=64, description="default: the caller's unit")
    trigger_lead_id: str | None = Field(default=None, max_length=64)
    imposed_by: str = Field(default="police", pattern="^(police|bank)$")


class ConfirmIn(BaseModel):
    hours: float | None = Field(default=None, gt=0, description="default 72 h; at most 7 days")


class ReleaseIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


def _audit_change(request: Request, principal: Principal, hold: ProtectiveHold, step: str) -> None:
    audit(
        request,
        principal,
        Action.CHANGE,
        object_type="protective_hold",
        object_id=hold.hold_id,
        object_unit_id=hold.unit_id,
        purpose=step,
    )


@router.get("")
def list_holds(request: Request, session: DbSession, principal: FundsViewer) -> list[fq.HoldDetail]:
    """Protective holds of the caller's units, newest change first."""
    holds = fq.hold_details(session, principal)
    audit(request, principal, Action.FUNDS_VIEW, object_type="protective_hold", fields=("masked",))
    return holds


@router.post("", status_code=201)
def create_hold(request: Request, body: HoldIn, principal: FundsActor) -> fq.HoldDetail:
    """Propose a hold on the subject's own accounts; it takes effect only when confirmed."""
    unit_id = body.unit_id or principal.unit_id
    if not principal.can_see(unit_id):
        raise HTTPException(404, "unit not found")
    with new_uow(request) as uow:
        try:
            hold = hs.propose_hold(
                uow.session,
                unit_id=unit_id,
                subject_id=body.subject_id,
                accounts=body.accounts,
                now=funds_now(request),
                trigger_lead_id=body.trigger_lead_id,
                imposed_by=body.imposed_by,
            )
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc
        uow.commit()
    _audit_change(request, principal, hold, "propose")
    return fq.hold_detail(hold)


def _act(
    request: Request, principal: Principal, hold_id: str, step: str, value: str | float | None
) -> fq.HoldDetail:
    with new_uow(request) as uow:
        try:
            visible = principal.can_see(hs.get_hold(uow.session, hold_id).unit_id)
        except hs.HoldNotFoundError:
            visible = False
        if not visible:
            raise HTTPException(404, "protective hold not found")
        now = funds_now(request)
        try:
            if step == "confirm":
                hours = value if isinstance(value, float) else None
                hold, _ = hs.confirm_hold(
                    uow.session,
                    hold_id,
                    by=principal.user_id,
                    at=now,
                    duration=timedelta(hours=hours) if hours else None,
                    settings=funds_config(request).hold,
                )
            else:
                hold, _ = hs.release_hold(
                    uow.session, hold_id, by=principal.user_id, at=now, reason=str(value)
                )
        except TransitionError as exc:
            raise HTTPException(422, str(exc)) from exc
        uow.commit()
    _audit_change(request, principal, hold, step)
    bank_delivery(request, hold.hold_id)  # queued when no bank is configured: `fanzha funds retry`
    return fq.hold_detail(hold)


@router.post("/{hold_id}/confirm")
def confirm_hold(request: Request, hold_id: str, body: ConfirmIn, principal: FundsActor) -> fq.HoldDetail:
    """A named officer (the caller) confirms the hold: it takes effect now, for its duration."""
    return _act(request, principal, hold_id, "confirm", body.hours)


@router.post("/{hold_id}/release")
def release_hold(request: Request, hold_id: str, body: ReleaseIn, principal: FundsActor) -> fq.HoldDetail:
    """Release an active hold early (reason required), or withdraw a proposal."""
    return _act(request, principal, hold_id, "release", body.reason)
