"""资金流向 (`/funds/trace/{event_id}`): the fund-chain tree (ECharts), the accounts at risk, and the
紧急止付 form on each level-1/level-2 account (funds.act roles).

The stop form names the transfer that brought the victim's money to the account (never the account
itself, which the page shows only masked) and carries an idempotency key: the order id is derived from
it, so a stale double submit finds the first order instead of creating a second one. The order is sent
through the bank exchange when `FANZHA_FUNDS_BANK_URL` is set; otherwise it waits for `fanzha funds retry`.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fanzha.audit.model import Action
from fanzha.auth.model import Permission
from fanzha.funds import queries as fq
from fanzha.funds import service
from fanzha.funds.model import AllocationRule
from fanzha.funds.stop_payment import StopLimitError
from fanzha.funds.trace import Trace, TraceNode, TraceSettings
from fanzha.web.deps import (
    DbSession,
    FormFields,
    FundsActor,
    FundsViewer,
    Principal,
    audit,
    funds_config,
    new_uow,
    stop_delivery,
)
from fanzha.web.render import render, render_not_found, script_json

router = APIRouter(include_in_schema=False)
NOT_FOUND = "未找到该笔转账，或您无权查看。"
KEY = re.compile(r"^[0-9a-f]{32}$")
STOP_NOTICES = {
    "QUEUED": "stop_queued",
    "PENDING": "stop_pending",
    "SENT": "stop_sent",
    "RETRY": "stop_retry",
}


def _visible_trace(
    request: Request, session: Session, principal: Principal, event_id: str, settings: TraceSettings
) -> Trace | None:
    """The trace of a victim transfer if the caller's units cover the victim's account (audited)."""
    root, unit_id = fq.transfer_owner(session, event_id)
    if root is None or not principal.can_see(unit_id):
        return None
    audit(
        request,
        principal,
        Action.FUNDS_VIEW,
        object_type="transfer",
        object_id=event_id,
        object_unit_id=unit_id,
        fields=("masked",),
    )
    return service.trace_event(session, event_id, settings)


def _trace_context(
    request: Request, session: Session, principal: Principal, event_id: str, settings: TraceSettings
) -> dict[str, Any] | None:
    tr = _visible_trace(request, session, principal, event_id, settings)
    if tr is None:
        return None
    view = fq.trace_view(tr)
    return {
        "t": view,
        "event_id": event_id,
        "tree_json": script_json(view.tree),
        "may_act": principal.may(Permission.FUNDS_ACT),
        "stop_rows": fq.candidates(session, tr, funds_config(request).stop.max_stops_per_account),
        "error": "",
    }


@router.get("/funds/trace/{event_id}", response_class=HTMLResponse)
def trace_page(
    request: Request,
    event_id: str,
    *,
    session: DbSession,
    principal: FundsViewer,
    depth: int | None = None,
    rule: AllocationRule = AllocationRule.GREEDY,
) -> HTMLResponse:
    """资金流向: the victim's money level by level, with the amount still on each account."""
    settings = TraceSettings(rule=rule, max_depth=depth if depth and 0 < depth <= 50 else None)
    context = _trace_context(request, session, principal, event_id, settings)
    if context is None:
        return render_not_found(request, NOT_FOUND)
    return render(request, "funds/trace.html", context)


@router.post("/funds/trace/{event_id}/stop", response_class=HTMLResponse)
def stop_form(
    request: Request, event_id: str, session: DbSession, principal: FundsActor, fields: FormFields
) -> Response:
    """紧急止付 on one level-1/level-2 account of this transfer; back to 止付冻结 (303) when done."""
    try:
        order_id, created = _create_stop(request, principal, event_id, fields)
    except LookupError:
        return render_not_found(request, NOT_FOUND)
    except StopFormError as exc:
        context = _trace_context(request, session, principal, event_id, TraceSettings())
        if context is None:
            return render_not_found(request, NOT_FOUND)
        context["error"] = str(exc)
        return render(request, "funds/trace.html", context, status_code=exc.status)
    notice = STOP_NOTICES[stop_delivery(request, order_id)] if created else "stop_duplicate"
    return RedirectResponse(f"/funds/orders?notice={notice}&order={order_id}", status_code=303)


class StopFormError(ValueError):
    """A refused stop, with the Chinese message for the page and its HTTP status."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


def order_id_for(key: str, via_event_id: str, user_id: str) -> str:
    digest = hashlib.sha256(f"{key}|{via_event_id}|{user_id}".encode()).hexdigest()
    return f"ZF{digest[:12].upper()}"


def _node(tr: Trace, via_event_id: str) -> TraceNode | None:
    return next((n for n in tr.nodes if n.level in fq.STOP_LEVELS and n.via_event_id == via_event_id), None)


def _create_stop(
    request: Request, principal: Principal, event_id: str, fields: dict[str, str]
) -> tuple[str, bool]:
    """Create the order for the posted account: (order id, created). Raises StopFormError or LookupError."""
    key, via = fields.get("idempotency_key", ""), fields.get("via_event_id", "")
    if not KEY.match(key) or not via:
        raise StopFormError("表单已失效，请刷新页面后重试。")
    order_id = order_id_for(key, via, principal.user_id)
    with new_uow(request) as uow:
        root, unit_id = fq.transfer_owner(uow.session, event_id)
        if root is None or not principal.can_see(unit_id):
            raise LookupError(event_id)
        if fq.stop(uow.session, order_id) is not None:
            return order_id, False
        tr = service.trace_event(uow.session, event_id, TraceSettings(max_depth=max(fq.STOP_LEVELS)))
        node = _node(tr, via) if tr is not None else None
        if node is None:
            raise StopFormError("该账户不是本笔转账的一级或二级账户。")
        payer = node.payer.removeprefix("account:")
        try:
            service.new_stop(
                uow.session,
                unit_id=principal.unit_id,
                payee_account=node.account,
                amount_fen=node.amount_fen,
                txn_time=node.at,
                payer_account=payer,
                layer=node.level,
                parent_account=payer if node.level > 1 else None,
                settings=funds_config(request),
                order_id=order_id,
                payee_bank=fq.bank_of(uow.session, node.account),
            )
            uow.commit()
        except StopLimitError as exc:
            raise StopFormError(
                f"该账户已被止付 {exc.prior} 次，同一账户最多止付 {exc.limit} 次，不能再次止付；请办理冻结。"
            ) from exc
        except IntegrityError:  # the same key posted twice at once: the other request created it
            return order_id, False
    audit(
        request,
        principal,
        Action.CHANGE,
        object_type="stop_order",
        object_id=order_id,
        object_unit_id=principal.unit_id,
        purpose="stop",
    )
    return order_id, True
