"""Console page 止付冻结 (`/funds/orders`) and the officers' form posts: confirm a protective hold,
issue a 紧急止付 from the trace page. Unit-scoped (404), accounts masked, every change audited.
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
from fanzha.funds import holds_service as hs
from fanzha.funds.model import HoldStatus, TransitionError
from fanzha.funds.repository import FundsRepository
from fanzha.funds.service import FundsSettings
from fanzha.store.db import UnitOfWork
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


def _orders_context(session: Session, request: Request, principal: Principal) -> dict[str, Any]:
    scope = None if principal.unit_scope is None else sorted(principal.unit_scope)
    repo = FundsRepository(session)
    now, cfg = funds_now(request), funds_config(request)
    stops = [stop_view(o, now, cfg) for o in repo.list_stops(unit_ids=scope) if principal.can_see(o.unit_id)]
    freezes = [
        freeze_view(f, now, cfg) for f in repo.list_freezes(unit_ids=scope) if principal.can_see(f.unit_id)
    ]
    holds = [h for h in repo.list_holds(unit_ids=scope) if principal.can_see(h.unit_id)]
    return {
        "stops": stops,
        "freezes": freezes,
        "proposed": [hold_view(h) for h in holds if h.status is HoldStatus.PROPOSED],
        "holds": [hold_view(h) for h in holds if h.status is not HoldStatus.PROPOSED],
        "alerts": [s for s in stops if s.alert] + [f for f in freezes if f.alert],
        "may_act": principal.may(Permission.FUNDS_ACT),
        "hold_hours": int(cfg.hold.duration.total_seconds() // 3600),
        "notice": NOTICES.get(request.query_params.get("notice", ""), ""),
        "order_id": request.query_params.get("order", "")[:32],
        "error": "",
    }


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
            context = _orders_context(session, request, principal)
            context["error"] = "该保护性止付当前状态不能确认（可能已被他人确认或撤回）。"
            return render(request, "funds/orders.html", context, status_code=422)
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
    return RedirectResponse(f"/funds/orders?notice=hold_confirmed&order={quote(hold_id)}", status_code=303)
