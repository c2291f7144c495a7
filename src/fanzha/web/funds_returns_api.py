"""资金返还 API under `/api/funds/freezes/{freeze_id}/returns`: plan and decisions (funds.view);
publish the 30-day notice and issue decisions (funds.act). Unit-scoped (404), accounts masked, audited.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from fanzha.audit.model import Action
from fanzha.funds import returns_service as rs
from fanzha.funds.model import TransitionError
from fanzha.funds.repository import FundsRepository
from fanzha.funds.returns import ReturnApplication, ReturnDecision, ReturnPlan
from fanzha.masking import mask_account
from fanzha.uow import UnitOfWork
from fanzha.web.deps import DbSession, Principal, audit
from fanzha.web.funds_api import FundsViewer
from fanzha.web.funds_orders import FundsActor, funds_now

router = APIRouter(prefix="/api/funds/freezes/{freeze_id}/returns", tags=["funds"])


class ApplicationIn(BaseModel):
    """返还申请表 (附件1) with the part of the loss traced into the frozen account."""

    victim_id: str = Field(min_length=1, max_length=64)
    return_account: str = Field(min_length=1, max_length=40)
    case_unit: str = Field(max_length=64)
    case_no: str = Field(max_length=64)
    involved_account: str = Field(max_length=40)
    loss_fen: int = Field(ge=0)
    traced_fen: int = Field(default=0, ge=0)
    case_officers: tuple[str, str]
    freeze_officers: tuple[str, str]
    opinion: str = Field(default="", max_length=500)


class ReturnsIn(BaseModel):
    applications: list[ApplicationIn] = Field(min_length=1, max_length=500)
    prefix: str = Field(default="", max_length=16, description="issuing bureau's short name, e.g. 东")


class ShareOut(BaseModel):
    victim_id: str
    traced_fen: int
    pro_rata_fen: int


class PlanOut(BaseModel):
    frozen_fen: int
    pro_rata: str
    notice_ends_at: datetime | None
    payable_fen: int
    remainder_fen: int
    shares: list[ShareOut]


class DecisionOut(BaseModel):
    decision_no: str
    victim_id: str
    from_account: str  # masked
    to_account: str  # masked
    amount_fen: int
    basis: str
    decided_at: datetime


class DecidedOut(BaseModel):
    plan: PlanOut
    decisions: list[DecisionOut]
    pro_rata_refused: bool


def plan_out(p: ReturnPlan) -> PlanOut:
    shares = [
        ShareOut(victim_id=s.victim_id, traced_fen=s.traced_fen, pro_rata_fen=s.pro_rata_fen)
        for s in p.shares
    ]
    return PlanOut(
        frozen_fen=p.frozen_fen,
        pro_rata=p.pro_rata.value,
        notice_ends_at=p.notice_ends_at,
        payable_fen=p.payable_fen,
        remainder_fen=p.remainder_fen,
        shares=shares,
    )


def decision_out(d: ReturnDecision) -> DecisionOut:
    return DecisionOut(
        decision_no=d.decision_no,
        victim_id=d.victim_id,
        from_account=mask_account(d.from_account),
        to_account=mask_account(d.to_account),
        amount_fen=d.amount_fen,
        basis=d.basis,
        decided_at=d.decided_at,
    )


def applicants_of(session: Session, freeze_id: str, body: ReturnsIn, now: datetime) -> list[rs.Applicant]:
    """The body's 返还申请表 completed from the freeze record (unknown freeze: FreezeNotFoundError)."""
    frozen = FundsRepository(session).get_freeze(freeze_id)
    if frozen is None:
        raise rs.FreezeNotFoundError(f"freeze {freeze_id}")
    return [
        rs.Applicant(
            ReturnApplication(
                **a.model_dump(exclude={"traced_fen"}),
                freezing_unit=frozen.unit_id or "",
                frozen_account=frozen.account,
                frozen_fen=frozen.amount_fen,
                applied_at=now,
            ),
            a.traced_fen,
        )
        for a in body.applications
    ]


def _visible(session: Session, principal: Principal, freeze_id: str) -> str | None:
    frozen = FundsRepository(session).get_freeze(freeze_id)
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
) -> list[DecisionOut]:
    """The 返还决定书 issued from this freeze."""
    unit = _visible(session, principal, freeze_id)
    _log(request, principal, Action.FUNDS_VIEW, freeze_id, unit=unit, step="list")
    return [decision_out(d) for d in rs.decisions_for(session, freeze_id)]


@router.post("/plan")
def plan_returns(
    request: Request, freeze_id: str, body: ReturnsIn, session: DbSession, principal: FundsViewer
) -> PlanOut:
    """Who would get what now (nothing is stored): traced first, then pro rata after the notice."""
    unit = _visible(session, principal, freeze_id)
    now = funds_now(request)
    try:
        result = rs.plan(session, freeze_id, applicants_of(session, freeze_id, body, now), now)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    _log(request, principal, Action.FUNDS_VIEW, freeze_id, unit=unit, step="plan")
    return plan_out(result)


@router.post("/notice")
def publish_notice(request: Request, freeze_id: str, principal: FundsActor) -> dict[str, datetime | None]:
    """Publish the 30-day notice that must run before any pro-rata return."""
    with UnitOfWork(request.app.state.session_factory) as uow:
        unit = _visible(uow.session, principal, freeze_id)
        try:
            frozen = rs.publish_notice(uow.session, freeze_id, funds_now(request))
        except TransitionError as exc:
            raise HTTPException(422, str(exc)) from exc
        uow.commit()
    _log(request, principal, Action.CHANGE, freeze_id, unit=unit, step="notice")
    return {"return_notice_at": frozen.return_notice_at}


@router.post("/decisions", status_code=201)
def decide(request: Request, freeze_id: str, body: ReturnsIn, principal: FundsActor) -> DecidedOut:
    """Issue the decisions now payable; pro-rata parts are refused until the notice has run."""
    now = funds_now(request)
    with UnitOfWork(request.app.state.session_factory) as uow:
        unit = _visible(uow.session, principal, freeze_id)
        try:
            applicants = applicants_of(uow.session, freeze_id, body, now)
            done = rs.decide(uow.session, freeze_id, applicants, now=now, prefix=body.prefix)
        except ValueError as exc:  # TransitionError included
            raise HTTPException(422, str(exc)) from exc
        uow.commit()
    _log(request, principal, Action.CHANGE, freeze_id, unit=unit, step="decide")
    return DecidedOut(
        plan=plan_out(done.plan),
        decisions=[decision_out(d) for d in done.decisions],
        pro_rata_refused=done.pro_rata_refused,
    )
