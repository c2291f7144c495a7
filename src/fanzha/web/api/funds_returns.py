"""资金返还 in the JSON API under `/api/funds/freezes/{freeze_id}/returns`: plan and decisions
(funds.view); publish the 30-day notice and issue decisions (funds.act). Unit-scoped (404), accounts
masked, audited."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException, Request
from sqlalchemy.orm import Session

from fanzha.audit.model import Action
from fanzha.funds import queries as fq
from fanzha.funds import returns_service as rs
from fanzha.funds.model import TransitionError
from fanzha.web.deps import DbSession, FundsActor, FundsViewer, Principal, audit, funds_now, new_uow

router = APIRouter(prefix="/api/funds/freezes/{freeze_id}/returns", tags=["funds"])


def _visible(session: Session, principal: Principal, freeze_id: str) -> str | None:
    frozen = fq.freeze(session, freeze_id)
    if frozen is None or not principal.can_see(frozen.unit_id):
        raise HTTPException(404, "freeze not found")
    return frozen.unit_id


def _log(
    request: Request, principal: Principal, action: str, freeze_id: str, *, unit: str | None, step: str
) -> None:
    audit(
        request,
        principal,
        action,
        object_type="freeze_returns",
        object_id=freeze_id,
        object_unit_id=unit,
        fields=("masked",),
        purpose=step,
    )


@router.get("")
def list_decisions(
    request: Request, freeze_id: str, session: DbSession, principal: FundsViewer
) -> list[fq.DecisionView]:
    """The 返还决定书 issued from this freeze."""
    unit = _visible(session, principal, freeze_id)
    _log(request, principal, Action.FUNDS_VIEW, freeze_id, unit=unit, step="list")
    return [fq.decision_view(d) for d in rs.decisions_for(session, freeze_id)]


@router.post("/plan")
def plan_returns(
    request: Request, freeze_id: str, body: rs.ReturnsIn, session: DbSession, principal: FundsViewer
) -> fq.PlanView:
    """Who would get what now (nothing is stored): traced first, then pro rata after the notice."""
    unit = _visible(session, principal, freeze_id)
    now = funds_now(request)
    try:
        result = rs.plan(session, freeze_id, rs.applicants_of(session, freeze_id, body, now), now)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    _log(request, principal, Action.FUNDS_VIEW, freeze_id, unit=unit, step="plan")
    return fq.plan_view(result)


@router.post("/notice")
def publish_notice(request: Request, freeze_id: str, principal: FundsActor) -> dict[str, datetime | None]:
    """Publish the 30-day notice that must run before any pro-rata return."""
    with new_uow(request) as uow:
        unit = _visible(uow.session, principal, freeze_id)
        try:
            frozen = rs.publish_notice(uow.session, freeze_id, funds_now(request))
        except TransitionError as exc:
            raise HTTPException(422, str(exc)) from exc
        uow.commit()
    _log(request, principal, Action.CHANGE, freeze_id, unit=unit, step="notice")
    return {"return_notice_at": frozen.return_notice_at}


@router.post("/decisions", status_code=201)
def decide(request: Request, freeze_id: str, body: rs.ReturnsIn, principal: FundsActor) -> fq.DecidedView:
    """Issue the decisions now payable; pro-rata parts are refused until the notice has run."""
    now = funds_now(request)
    with new_uow(request) as uow:
        unit = _visible(uow.session, principal, freeze_id)
        try:
            applicants = rs.applicants_of(uow.session, freeze_id, body, now)
            done = rs.decide(uow.session, freeze_id, applicants, now=now, prefix=body.prefix)
        except ValueError as exc:  # TransitionError included
            raise HTTPException(422, str(exc)) from exc
        uow.commit()
    _log(request, principal, Action.CHANGE, freeze_id, unit=unit, step="decide")
    return fq.decided_view(done.plan, done.decisions, done.pro_rata_refused)
