"""Console page 止付冻结 (`/funds/orders`) and the officers' form posts: confirm a protective hold
(its instructions go to the bank when `FANZHA_FUNDS_BANK_URL` is set), issue a 紧急止付 from the
trace page. Unit-scoped (404), accounts masked, every change audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from fanzha.audit.model import Action
from fanzha.auth.model import Permission
from fanzha.clock import Clock
from fanzha.funds import followups
from fanzha.funds import holds_service as hs
from fanzha.funds.model import HoldStatus, TransitionError
from fanzha.funds.repository import FundsRepository
from fanzha.funds.service import FundsSettings
from fanzha.jobs.bank import exchange
from fanzha.jobs.bank.adapter import BankAdapter
from fanzha.settings import Settings
from fanzha.uow import UnitOfWork
from fanzha.web.console import render_not_found
from fanzha.web.deps import DbSession, Principal, audit, require
from fanzha.web.funds_api import FundsViewer
from fanzha.web.funds_labels import NOTICES, freeze_view, hold_view, stop_view

router = APIRouter(include_in_schema=False)
FundsActor = Annotated[Principal, require(Permission.FUNDS_ACT)]


def funds_clock(request: Request) -> Clock:
    clock: Clock = getattr(request.app.state, "funds_clock", None) or request.app.state.workflow_clock
    return clock


def funds_now(request: Request) -> datetime:
    return funds_clock(request).now()


def funds_config(request: Request) -> FundsSettings:
    cfg = getattr(request.app.state, "funds_settings", None)
    return cfg if isinstance(cfg, FundsSettings) else FundsSettings()


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(request, name, context, status_code=status_code)
    return response


def _by_target(session: Session, ids: list[str]) -> dict[str, tuple[followups.FollowUp, ...]]:
    grouped: dict[str, list[followups.FollowUp]] = {}
    for f in followups.follow_ups(session, target_ids=ids):
        grouped.setdefault(f.target_id, []).append(f)
    return {k: tuple(v) for k, v in grouped.items()}


def _orders_context(session: Session, request: Request, principal: Principal) -> dict[str, Any]:
    scope = None if principal.unit_scope is None else sorted(principal.unit_scope)
    repo = FundsRepository(session)
    now, cfg = funds_now(request), funds_config(request)
    stops = [stop_view(o, now, cfg) for o in repo.list_stops(unit_ids=scope) if principal.can_see(o.unit_id)]
    visible = [f for f in repo.list_freezes(unit_ids=scope) if principal.can_see(f.unit_id)]
    holds = [h for h in repo.list_holds(unit_ids=scope) if principal.can_see(h.unit_id)]
    follow = _by_target(session, [f.freeze_id for f in visible] + [h.hold_id for h in holds])
    freezes = [freeze_view(f, now, cfg, follow.get(f.freeze_id, ())) for f in visible]
    query = request.query_params
    return {
        "stops": stops,
        "freezes": freezes,
        "proposed": [hold_view(h) for h in holds if h.status is HoldStatus.PROPOSED],
        "holds": [
            hold_view(h, follow.get(h.hold_id, ())) for h in holds if h.status is not HoldStatus.PROPOSED
        ],
        "alerts": [s for s in stops if s.alert] + [f for f in freezes if f.alert],
        "may_act": principal.may(Permission.FUNDS_ACT),
        "hold_hours": int(cfg.hold.duration.total_seconds() // 3600),
        "notice": " ".join(filter(None, (NOTICES.get(query.get(k, ""), "") for k in ("notice", "bank")))),
        "order_id": query.get("order", "")[:32],
        "error": "",
    }


def orders_error(
    request: Request, session: Session, principal: Principal, message: str, status: int
) -> Response:
    """The page again with a Chinese explanation of why nothing was done."""
    context = _orders_context(session, request, principal)
    context["error"] = message
    return render(request, "funds/orders.html", context, status_code=status)


def send_followups(request: Request, target_id: str, first: tuple[str, str] | None = None) -> str:
    """Send what a change queued for the bank (and `first`, a STOP/FREEZE); the notice code of the outcome."""
    settings: Settings = request.app.state.settings
    if not settings.funds_bank_url:
        return "bank_queued"
    factory = request.app.state.session_factory
    clock = funds_clock(request)
    outcomes: list[str] = []
    with BankAdapter(settings.funds_bank_url, timeout_s=settings.funds_bank_timeout_s) as bank:
        if first is not None:
            outcomes += exchange.send(lambda: UnitOfWork(factory), bank, first[0], first[1], clock) or [
                "WAIT"
            ]
        for answers in exchange.send_pending(lambda: UnitOfWork(factory), bank, clock, [target_id]).values():
            outcomes += answers or ["WAIT"]
    if all(o == "APPLIED" for o in outcomes):
        return "bank_done"
    return "bank_pending" if all(o in ("APPLIED", "WAIT") for o in outcomes) else "bank_retry"


@router.get("/funds/orders", response_class=HTMLResponse)
def orders_page(request: Request, session: DbSession, principal: FundsViewer) -> HTMLResponse:
    """止付冻结: stop orders with their 48 h countdown, freezes, protective holds awaiting confirmation."""
    context = _orders_context(session, request, principal)
    audit(request, principal, Action.FUNDS_VIEW, object_type="funds_orders", fields=("masked",))
    return render(request, "funds/orders.html", context)


@router.post("/funds/holds/{hold_id}/confirm", response_class=HTMLResponse)
def confirm_hold_form(request: Request, hold_id: str, session: DbSession, principal: FundsActor) -> Response:
    """The named officer (the caller) confirms a proposed hold: it takes effect now."""
    with UnitOfWork(request.app.state.session_factory) as uow:
        held = FundsRepository(uow.session).get_hold(hold_id)
        if held is None or not principal.can_see(held.unit_id):
            return render_not_found(request, "未找到该保护性止付，或您无权查看。")
        try:
            hold, _ = hs.confirm_hold(
                uow.session,
                hold_id,
                by=principal.user_id,
                at=funds_now(request),
                settings=funds_config(request).hold,
            )
        except TransitionError:
            message = "该保护性止付当前状态不能确认（可能已被他人确认或撤回），本次提交未执行。"
            return orders_error(request, session, principal, message, 422)
        uow.commit()
    audit(
        request,
        principal,
        Action.CHANGE,
        object_type="protective_hold",
        object_id=hold.hold_id,
        object_unit_id=hold.unit_id,
        purpose="confirm",
    )
    bank = send_followups(request, hold_id)
    return RedirectResponse(
        f"/funds/orders?notice=hold_confirmed&bank={bank}&order={quote(hold_id)}", status_code=303
    )
