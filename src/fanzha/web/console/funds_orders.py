"""止付冻结 (`/funds/orders`): stop orders with their 48 h countdown, freezes, protective holds; and the
officers' forms on it: confirm a proposed hold, approve / renew / release a freeze (funds.act, CSRF).

Each freeze form carries the version of the freeze it was drawn from (`freeze_version`): a submit
against another version (someone acted first, or the same button pressed twice) changes nothing and
says so. Changes queue their bank instructions in the same transaction; with `FANZHA_FUNDS_BANK_URL`
set they are sent at once, else they wait for `fanzha funds retry`. Unit-scoped (404), accounts masked,
every change audited (a refused stale submit too).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from fanzha.audit.model import Action
from fanzha.auth.model import Permission
from fanzha.funds import freeze as fz
from fanzha.funds import holds_service as hs
from fanzha.funds import queries as fq
from fanzha.funds import service
from fanzha.funds.labels import NOTICES, freeze_version
from fanzha.funds.model import TransitionError
from fanzha.web.deps import (
    DbSession,
    FormFields,
    FundsActor,
    FundsViewer,
    Principal,
    audit,
    bank_delivery,
    funds_clock,
    funds_config,
    funds_now,
    new_uow,
)
from fanzha.web.render import render, render_not_found

router = APIRouter(include_in_schema=False)
STALE = "该冻结已被他人处理或本表单已提交过（状态已变化），本次提交未执行；请核对最新状态后再操作。"
REFUSED = {
    "approve": "该冻结当前状态不能审批。",
    "renew": "续冻须在冻结到期前办理，且每次不超过一个冻结期。",
    "release": "该冻结当前状态不能解冻。",
}
FREEZE_NOTICE = {"approve": "freeze_approved", "renew": "freeze_renewed", "release": "freeze_released"}


def _bank_notice(outcome: str) -> str:
    return f"bank_{outcome.lower()}"


def _page(
    request: Request, session: Session, principal: Principal, *, error: str = "", status: int = 200
) -> HTMLResponse:
    cfg = funds_config(request)
    found = fq.orders(session, principal, funds_now(request), cfg)
    query = request.query_params
    context = {
        "stops": found.stops,
        "freezes": found.freezes,
        "proposed": found.proposed,
        "holds": found.holds,
        "alerts": found.alerts,
        "may_act": principal.may(Permission.FUNDS_ACT),
        "hold_hours": int(cfg.hold.duration.total_seconds() // 3600),
        "notice": " ".join(filter(None, (NOTICES.get(query.get(k, ""), "") for k in ("notice", "bank")))),
        "order_id": query.get("order", "")[:32],
        "error": error,
    }
    return render(request, "funds/orders.html", context, status_code=status)


@router.get("/funds/orders", response_class=HTMLResponse)
def orders_page(request: Request, session: DbSession, principal: FundsViewer) -> HTMLResponse:
    """止付冻结: stop orders with their 48 h countdown, freezes, protective holds awaiting confirmation."""
    page = _page(request, session, principal)
    audit(request, principal, Action.FUNDS_VIEW, object_type="funds_orders", fields=("masked",))
    return page


@router.post("/funds/holds/{hold_id}/confirm", response_class=HTMLResponse)
def confirm_hold_form(request: Request, hold_id: str, session: DbSession, principal: FundsActor) -> Response:
    """The named officer (the caller) confirms a proposed hold: it takes effect now."""
    with new_uow(request) as uow:
        held = fq.hold(uow.session, hold_id)
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
            return _page(request, session, principal, error=message, status=422)
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
    bank = _bank_notice(bank_delivery(request, hold_id))
    return RedirectResponse(
        f"/funds/orders?notice=hold_confirmed&bank={bank}&order={quote(hold_id)}", status_code=303
    )


def _command(action: str, request: Request, principal: Principal, fields: dict[str, str]) -> fz.Command:
    now = funds_clock(request).now()
    if action == "approve":
        return fz.Approve(by=principal.user_id, at=now)
    if action == "renew":
        months = fields.get("months", "").strip()
        return fz.Renew(at=now, months=int(months) if months.isdigit() and len(months) < 4 else None)
    return fz.Release(at=now, reason=fields.get("reason", "").strip()[:200])


def _audit_freeze(
    request: Request, principal: Principal, freeze_id: str, unit: str | None, *, action: str, outcome: str
) -> None:
    audit(
        request,
        principal,
        Action.CHANGE,
        object_type="freeze",
        object_id=freeze_id,
        object_unit_id=unit,
        purpose=action,
        outcome=outcome,
    )


@router.post("/funds/freezes/{freeze_id}/{action}", response_class=HTMLResponse)
def freeze_form(
    request: Request,
    *,
    freeze_id: str,
    action: str,
    session: DbSession,
    principal: FundsActor,
    fields: FormFields,
) -> Response:
    """approve (the caller is the named approver), renew (before the end, ≤ one period), release."""
    if action not in FREEZE_NOTICE:
        return render_not_found(request, "没有这个操作。")
    if action == "release" and not fields.get("reason", "").strip():
        return _page(request, session, principal, error="解冻须填写原因。", status=422)
    with new_uow(request) as uow:
        current = fq.freeze(uow.session, freeze_id)
        if current is None or not principal.can_see(current.unit_id):
            return render_not_found(request, "未找到该冻结，或您无权查看。")
        unit = current.unit_id
        if fields.get("version", "") != freeze_version(current):
            _audit_freeze(request, principal, freeze_id, unit, action=action, outcome="stale")
            return _page(request, session, principal, error=STALE, status=409)
        try:
            command = _command(action, request, principal, fields)
            service.command_freeze(uow.session, freeze_id, command, funds_config(request).freeze)
        except TransitionError:
            _audit_freeze(request, principal, freeze_id, unit, action=action, outcome="refused")
            return _page(request, session, principal, error=REFUSED[action], status=422)
        uow.commit()
    _audit_freeze(request, principal, freeze_id, unit, action=action, outcome="ok")
    first = ("FREEZE", freeze_id) if action == "approve" else None
    bank = _bank_notice(bank_delivery(request, freeze_id, first))
    url = f"/funds/orders?notice={FREEZE_NOTICE[action]}&bank={bank}&order={quote(freeze_id)}"
    return RedirectResponse(url, status_code=303)
