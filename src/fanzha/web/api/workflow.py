"""The workflow in the JSON API: the station queue, a case file, officers' actions, supervision, KPIs.
Masked like the rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request

from fanzha.audit.model import Action
from fanzha.dispatch import queries as dispatch_queries
from fanzha.warning import kpi_queries
from fanzha.warning import workflow_queries as wq
from fanzha.web.actions import ActionResult, perform
from fanzha.web.deps import CurrentPrincipal, DbSession, Lister, StatsViewer, Viewer, audit, workflow_now

router = APIRouter(prefix="/api", tags=["workflow"])

ACTION_DOC = """Fields by action (all take `version`, the case file's current version, and an
optional `note`):
`assign` unit_id · `sign` · `start_contact` channel · `record_contact` channel, result ·
`conclude_contact` result (DISSUADED_BY_PHONE | NEED_MEET | UNREACHABLE) · `start_locating` ·
`record_meet` met_at, place, officers[], checklist[] · `submit_feedback` outcome, loss_fen ·
`start_follow_up` · `close` [outcome] · `transfer` · `escalate` reason.
409: someone else changed the warning first; 422: the state does not allow it or input is missing."""


def _check_unit(principal: CurrentPrincipal, unit_id: str | None) -> None:
    if unit_id and not principal.can_see(unit_id):
        raise HTTPException(404, f"unit {unit_id} not found")


@router.get("/queue")
def station_queue(
    request: Request, session: DbSession, principal: Lister, unit_id: str | None = None
) -> list[wq.QueueItem]:
    """Open warnings of a unit (and the units below it), most urgent first, with their next deadline."""
    _check_unit(principal, unit_id)
    return wq.queue(session, principal, workflow_now(request), unit_id)


@router.get("/warnings/{warning_id}/workflow")
def case_file(
    request: Request, warning_id: int, session: DbSession, principal: Viewer
) -> dispatch_queries.DispatchedCaseFile:
    """State, version, allowed actions, deadlines, history and dispatch of one warning."""
    found = dispatch_queries.case_file(session, warning_id, workflow_now(request))
    if found is None or not found.visible_to(principal):
        raise HTTPException(404, f"warning {warning_id} not found")
    audit(
        request,
        principal,
        Action.WARNING_VIEW,
        object_type="warning",
        object_id=warning_id,
        object_unit_id=found.unit_id,
        fields=("masked", "workflow"),
    )
    return found


@router.post("/warnings/{warning_id}/actions/{action}", description=ACTION_DOC)
def act(
    request: Request,
    warning_id: int,
    action: str,
    principal: CurrentPrincipal,
    body: Annotated[dict[str, Any], Body()],
) -> ActionResult:
    """Apply an officer's action; answers the new state and version."""
    return perform(request, principal, warning_id, action, body)


@router.get("/supervision")
def supervision(
    request: Request, session: DbSession, principal: Lister, unit_id: str | None = None
) -> list[wq.SupervisionItem]:
    """Warnings flagged 劝阻不及时 / 超期未劝阻 / 劝阻后发案 / 未劝阻发案, or escalated."""
    _check_unit(principal, unit_id)
    return wq.supervision(session, principal, workflow_now(request), unit_id)


@router.get("/kpis")
def kpis(
    *,
    request: Request,
    session: DbSession,
    principal: StatsViewer,
    unit_id: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    days: Annotated[int, Query(ge=1, le=366)] = 30,
) -> kpi_queries.KpiReport:
    """§3.8 KPIs of a unit (with the units below it) for warnings assigned in [start, end)."""
    _check_unit(principal, unit_id)
    end = _aware(end) or workflow_now(request)
    start = _aware(start) or end - timedelta(days=days)
    config = request.app.state.workflow_config
    result = kpi_queries.kpis(session, principal, config, unit_id=unit_id, start=start, end=end)
    return kpi_queries.kpi_report(result, unit_id, start, end)


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
