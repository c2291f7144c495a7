"""Console pages of the funds workflow: the fund-chain tree (ECharts), the accounts at risk, and the
紧急止付 form on each level-1/level-2 account (funds.act roles)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from fanzha.auth.model import Permission
from fanzha.funds.model import AllocationRule
from fanzha.funds.trace import TraceSettings
from fanzha.web.console import render_not_found
from fanzha.web.deps import DbSession, FormFields, Principal
from fanzha.web.funds_api import FundsViewer, trace_out, visible_trace
from fanzha.web.funds_orders import FundsActor, funds_config, render
from fanzha.web.funds_stop_form import StopFormError, candidates, create_stop, stop_response

router = APIRouter(include_in_schema=False)
NOT_FOUND = "未找到该笔转账，或您无权查看。"


def script_json(value: object) -> Markup:
    """JSON safe to place inside a <script> element: no `<`, `>` or `&` that could close or confuse it."""
    text = json.dumps(value, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _trace_context(
    request: Request, session: Session, principal: Principal, event_id: str, settings: TraceSettings
) -> dict[str, Any] | None:
    tr = visible_trace(request, session, principal, event_id, settings)
    if tr is None:
        return None
    out = trace_out(tr)
    may_act = principal.may(Permission.FUNDS_ACT)
    max_stops = funds_config(request).stop.max_stops_per_account
    return {
        "t": out,
        "event_id": event_id,
        "tree_json": script_json(out.tree),
        "may_act": may_act,
        "stop_rows": candidates(session, tr, max_stops),
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
        order_id, created = create_stop(request, principal, event_id, fields)
    except LookupError:
        return render_not_found(request, NOT_FOUND)
    except StopFormError as exc:
        context = _trace_context(request, session, principal, event_id, TraceSettings())
        if context is None:
            return render_not_found(request, NOT_FOUND)
        context["error"] = str(exc)
        return render(request, "funds/trace.html", context, status_code=exc.status)
    return stop_response(request, order_id, created)
