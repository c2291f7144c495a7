"""Officers' console pages: station queue (工作台), a warning's case file (办理), supervision, KPIs."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from fanzha.audit.model import Action
from fanzha.dispatch import queries as dispatch_queries
from fanzha.warning import kpi_queries, queries
from fanzha.warning import lifecycle as lc
from fanzha.warning import workflow_queries as wq
from fanzha.warning.labels import CHANNEL_LABELS, OUTCOME_LABELS, RESULT_LABELS
from fanzha.warning.workflow_repository import load_units
from fanzha.web.actions import perform
from fanzha.web.deps import (
    CurrentPrincipal,
    DbSession,
    Lister,
    Principal,
    StatsViewer,
    Viewer,
    audit,
    workflow_now,
)
from fanzha.web.render import render, render_not_found

router = APIRouter(include_in_schema=False)
MULTI = frozenset({"checklist"})
FEEDBACK_OUTCOMES = [o for o in lc.Outcome if o not in lc.NOT_FEEDBACK]
CONTACT_CHANNELS = (
    lc.Channel.CALL_96110,
    lc.Channel.CALL_LOCAL,
    lc.Channel.SMS,
    lc.Channel.FAMILY,
    lc.Channel.VISIT,
)


def _units(session: DbSession, principal: Principal) -> list[tuple[str, str]]:
    tree = load_units(session)
    visible = [u for u in tree.units if principal.can_see(u)]
    return [(u, tree.units[u].name) for u in sorted(visible, key=tree.path)]


def _no_unit(request: Request) -> HTMLResponse:
    return render_not_found(request, "未找到该单位。")


@router.get("/station", response_class=HTMLResponse)
def station(
    request: Request, session: DbSession, principal: Lister, unit_id: str | None = None
) -> HTMLResponse:
    """工作台: the unit's open warnings, most urgent first, with live countdowns."""
    if unit_id and not principal.can_see(unit_id):
        return _no_unit(request)
    now = workflow_now(request)
    context = {
        "items": wq.queue(session, principal, now, unit_id or None),
        "unit_id": unit_id or "",
        "units": _units(session, principal),
        "now": now,
    }
    return render(request, "workflow/station.html", context)


@router.get("/partials/station", response_class=HTMLResponse)
def station_rows(
    request: Request, session: DbSession, principal: Lister, unit_id: str | None = None
) -> HTMLResponse:
    if unit_id and not principal.can_see(unit_id):
        return _no_unit(request)
    items = wq.queue(session, principal, workflow_now(request), unit_id or None)
    return render(request, "workflow/_station_rows.html", {"items": items})


def _work_context(
    request: Request, session: DbSession, principal: Principal, warning_id: int
) -> dict[str, Any] | None:
    flow = dispatch_queries.case_file(session, warning_id, workflow_now(request))
    if flow is None or not flow.visible_to(principal):
        return None
    return {
        "w": queries.get_warning(session, warning_id),
        "flow": flow,
        "units": wq.unit_choices(session, principal),
        "channels": [(c.value, CHANNEL_LABELS[c]) for c in CONTACT_CHANNELS],
        "results": [(r.value, label) for r, label in RESULT_LABELS.items()],
        "outcomes": [(o.value, OUTCOME_LABELS[o]) for o in FEEDBACK_OUTCOMES],
        "all_outcomes": [
            (o.value, label) for o, label in OUTCOME_LABELS.items() if o is not lc.Outcome.OUT_OF_AREA
        ],
        "checklist": list(lc.CHECKLIST.items()),
        "error": None,
    }


def _no_warning(request: Request, warning_id: int) -> HTMLResponse:
    return render_not_found(request, f"未找到编号为 {warning_id} 的预警指令。")


@router.get("/work/{warning_id}", response_class=HTMLResponse)
def work(request: Request, warning_id: int, session: DbSession, principal: Viewer) -> HTMLResponse:
    """办理: reasons, evidence, text cues, contact history and the actions the state allows."""
    context = _work_context(request, session, principal, warning_id)
    if context is None:
        return _no_warning(request, warning_id)
    audit(
        request,
        principal,
        Action.WARNING_VIEW,
        object_type="warning",
        object_id=warning_id,
        object_unit_id=context["flow"].unit_id,
        fields=("masked", "workflow"),
    )
    return render(request, "workflow/work.html", context)


@router.post("/work/{warning_id}/actions/{action}", response_class=HTMLResponse)
async def work_action(
    request: Request, warning_id: int, action: str, session: DbSession, principal: CurrentPrincipal
) -> Response:
    """A form post: back to the page (303); a stale version 409, a refused step 422, with the reason."""
    form = parse_qs((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    fields: dict[str, Any] = {k: (v if k in MULTI else v[-1]) for k, v in form.items()}
    try:
        await run_in_threadpool(perform, request, principal, warning_id, action, fields)
    except HTTPException as exc:
        if exc.status_code == 404:
            return _no_warning(request, warning_id)
        context = await run_in_threadpool(_work_context, request, session, principal, warning_id)
        if context is None:
            return _no_warning(request, warning_id)
        context["error"] = exc.detail
        return render(request, "workflow/work.html", context, status_code=exc.status_code)
    return RedirectResponse(f"/work/{warning_id}", status_code=303)


@router.get("/supervision", response_class=HTMLResponse)
def supervision(
    request: Request, session: DbSession, principal: Lister, unit_id: str | None = None
) -> HTMLResponse:
    """督办: late, overdue, and warnings followed by a case; escalated warnings."""
    if unit_id and not principal.can_see(unit_id):
        return _no_unit(request)
    items = wq.supervision(session, principal, workflow_now(request), unit_id or None)
    context = {"items": items, "unit_id": unit_id or "", "units": _units(session, principal)}
    return render(request, "workflow/supervision.html", context)


@router.get("/kpis", response_class=HTMLResponse)
def kpis(
    request: Request,
    session: DbSession,
    principal: StatsViewer,
    unit_id: str | None = None,
    days: Annotated[int, Query(ge=1, le=366)] = 30,
) -> HTMLResponse:
    """考核: §3.8 KPIs per unit for the last `days` days, each with its denominator, and a chart."""
    if unit_id and not principal.can_see(unit_id):
        return _no_unit(request)
    end = workflow_now(request)
    start = end - timedelta(days=days)
    config = request.app.state.workflow_config
    units = _units(session, principal)
    below = load_units(session).subtree(unit_id) if unit_id else None
    shown = [u for u in units if below is None or u[0] in below]
    rows = kpi_queries.unit_kpis(session, principal, config, shown, start=start, end=end)
    context = {
        "rows": rows,
        "chart_rows": [asdict(r) for r in rows],  # the chart's data, serialised into the page
        "labels": kpi_queries.KPI_LABELS,
        "unit_id": unit_id or "",
        "units": units,
        "days": days,
        "start": start,
        "end": end,
        "denominator": config.meet_rate_denominator,
    }
    return render(request, "workflow/kpis.html", context)
