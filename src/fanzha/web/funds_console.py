"""Console pages of the funds workflow: the fund-chain tree (ECharts) and the accounts at risk."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from fanzha.funds.model import AllocationRule
from fanzha.funds.trace import TraceSettings
from fanzha.web.console import render_not_found
from fanzha.web.deps import DbSession
from fanzha.web.funds_api import FundsViewer, trace_out, visible_trace

router = APIRouter(include_in_schema=False)


def script_json(value: object) -> Markup:
    """JSON safe to place inside a <script> element: no `<`, `>` or `&` that could close or confuse it."""
    text = json.dumps(value, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


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
    tr = visible_trace(request, session, principal, event_id, settings)
    if tr is None:
        return render_not_found(request, "未找到该笔转账，或您无权查看。")
    out = trace_out(tr)
    context = {"t": out, "event_id": event_id, "tree_json": script_json(out.tree)}
    templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(request, "funds/trace.html", context)
    return response
