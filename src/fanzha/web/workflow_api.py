"""JSON API of the workflow: queue, case file, actions, supervision and KPIs. Masked like the rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request

from fanzha.audit.model import Action
from fanzha.auth.model import Permission
from fanzha.web import workflow_queries as wq
from fanzha.web.deps import CurrentPrincipal, DbSession, Principal, audit, require
from fanzha.web.workflow_actions import perform

router = APIRouter(prefix="/api", tags=["workflow"])

Lister = Annotated[Principal, require(Permission.WARNING_LIST)]
Viewer = Annotated[Principal, require(Permission.WARNING_VIEW)]
StatsViewer = Annotated[Principal, require(Permission.STATS_VIEW)]

ACTION_DOC = """Fields by action (all take `version`, the case file's current version, and an
optional `note`):
`assign` unit_id · `sign` · `start_contact` channel · `record_contact` channel, result ·
`conclude_contact` result (DISSUADED_BY_PHONE | NEED_MEET | UNREACHABLE) · `start_locating` ·
`record_meet` met_at, place, officers[], checklist[] · `submit_feedback` outcome, loss_fen ·
`start_follow_up` · `close` [outcome] · `transfer` · `escalate` reason.
409: someone else changed the warning first; 422: the state does not allow it or input is missing."""


def _now(request: Request) -> datetime:
    now: datetime = request.app.state.workflow_clock.now()
    return now


def _check_unit(principal: CurrentPrincipal, unit_id: str | None) -> None:
    if unit_id and not principal.can_see(unit_id):
        raise HTTPException(404, f"unit {unit_id} not found")


@router.get("/queue")
def station_queue(
    request: Request, session: DbSession, principal: Lister, unit_id: str | None = None
) -> list[dict[str, Any]]:
    """Open warnings of a unit (and the units below it), most urgent first, with their next deadline."""
    _check_unit(principal, unit_id)
    return wq.queue(session, principal, _now(request), unit_id)


@router.get("/warnings/{warning_id}/workflow")
def case_file(request: Request, warning_id: int, session: DbSession, principal: Viewer) -> dict[str, Any]:
    """State, version, allowed actions, deadlines, history and dispatch of one warning."""
    found = wq.case_file(session, warning_id, _now(request))
    if found is None or not visible_case(principal, found):
        raise HTTPException(404, f"warning {warning_id} not found")
    audit_case_view(request, principal, found)
    found.pop("units")
    return found


@router.post("/warnings/{warning_id}/actions/{action}", description=ACTION_DOC)
def act(
    request: Request,
    warning_id: int,
    action: str,
    principal: CurrentPrincipal,
    body: Annotated[dict[str, Any], Body()],
) -> dict[str, Any]:
    """Apply an officer's action; answers the new state and version."""
    applied = perform(request, principal, warning_id, action, body)
    return {
        "warning_id": applied.warning_id,
        "from_status": applied.from_status.value,
        "status": applied.to_status.value,
        "version": applied.version,
        "unit_id": applied.unit_id,
    }


@router.get("/supervision")
def supervision(
    request: Request, session: DbSession, principal: Lister, unit_id: str | None = None
) -> list[dict[str, Any]]:
    """Warnings flagged 劝阻不及时 / 超期未劝阻 / 劝阻后发案 / 未劝阻发案, or escalated."""
    _check_unit(principal, unit_id)
    return wq.supervision(session, principal, _now(request), unit_id)


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
) -> dict[str, Any]:
    """§3.8 KPIs of a unit (with the units below it) for warnings assigned in [start, end)."""
    _check_unit(principal, unit_id)
    end = _aware(end) or _now(request)
    start = _aware(start) or end - timedelta(days=days)
    result = wq.kpis(
        session, principal, request.app.state.workflow_config, unit_id=unit_id, start=start, end=end
    )
    return {"unit_id": unit_id, "start": start, "end": end, **wq.kpi_dict(result)}


def visible_case(principal: Principal, found: dict[str, Any]) -> bool:
    """The caller's units cover the warning, and the role may see its level."""
    return principal.can_see(found["unit_id"]) and principal.can_see_level(int(found["level"]))


def audit_case_view(request: Request, principal: Principal, found: dict[str, Any]) -> None:
    audit(
        request,
        principal,
        Action.WARNING_VIEW,
        object_type="warning",
        object_id=found["warning_id"],
        object_unit_id=found["unit_id"],
        fields=("masked", "workflow"),
    )


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
