"""Freezes from the console (`/funds/orders`): approve, renew before the end, release; funds.act, CSRF.

Each form carries the version of the freeze it was drawn from (`freeze_version`): a submit against
another version (someone acted first, or the same button pressed twice) changes nothing and says so.
Changes go through `service.command_freeze`, which queues the bank instruction in the same
transaction; with `FANZHA_FUNDS_BANK_URL` set it is sent at once (`bank.exchange`), else it waits
for `fanzha funds retry`. Every change is audited; a refused stale submit too.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from fanzha.audit.model import Action
from fanzha.funds import freeze as fz
from fanzha.funds import service
from fanzha.funds.model import TransitionError
from fanzha.funds.repository import FundsRepository
from fanzha.uow import UnitOfWork
from fanzha.web.console import render_not_found
from fanzha.web.deps import DbSession, FormFields, Principal, audit
from fanzha.web.funds_labels import freeze_version
from fanzha.web.funds_orders import FundsActor, funds_clock, funds_config, orders_error, send_followups

router = APIRouter(include_in_schema=False)
STALE = "该冻结已被他人处理或本表单已提交过（状态已变化），本次提交未执行；请核对最新状态后再操作。"
REFUSED = {
    "approve": "该冻结当前状态不能审批。",
    "renew": "续冻须在冻结到期前办理，且每次不超过一个冻结期。",
    "release": "该冻结当前状态不能解冻。",
}
NOTICE = {"approve": "freeze_approved", "renew": "freeze_renewed", "release": "freeze_released"}


def _command(action: str, request: Request, principal: Principal, fields: dict[str, str]) -> fz.Command:
    now = funds_clock(request).now()
    if action == "approve":
        return fz.Approve(by=principal.user_id, at=now)
    if action == "renew":
        months = fields.get("months", "").strip()
        return fz.Renew(at=now, months=int(months) if months.isdigit() and len(months) < 4 else None)
    return fz.Release(at=now, reason=fields.get("reason", "").strip()[:200])


def _act(
    request: Request,
    *,
    session: Session,
    principal: Principal,
    freeze_id: str,
    action: str,
    fields: dict[str, str],
) -> Response:
    if action == "release" and not fields.get("reason", "").strip():
        return orders_error(request, session, principal, "解冻须填写原因。", 422)
    with UnitOfWork(request.app.state.session_factory) as uow:
        current = FundsRepository(uow.session).get_freeze(freeze_id)
        if current is None or not principal.can_see(current.unit_id):
            return render_not_found(request, "未找到该冻结，或您无权查看。")
        unit = current.unit_id
        if fields.get("version", "") != freeze_version(current):
            _audit(request, principal, freeze_id, unit, action=action, outcome="stale")
            return orders_error(request, session, principal, STALE, 409)
        try:
            command = _command(action, request, principal, fields)
            service.command_freeze(uow.session, freeze_id, command, funds_config(request).freeze)
        except TransitionError:
            _audit(request, principal, freeze_id, unit, action=action, outcome="refused")
            return orders_error(request, session, principal, REFUSED[action], 422)
        uow.commit()
    _audit(request, principal, freeze_id, unit, action=action, outcome="ok")
    bank = send_followups(request, freeze_id, ("FREEZE", freeze_id) if action == "approve" else None)
    url = f"/funds/orders?notice={NOTICE[action]}&bank={bank}&order={quote(freeze_id)}"
    return RedirectResponse(url, status_code=303)


def _audit(
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
    if action not in NOTICE:
        return render_not_found(request, "没有这个操作。")
    return _act(
        request, session=session, principal=principal, freeze_id=freeze_id, action=action, fields=fields
    )
