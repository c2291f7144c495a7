"""The inspector's view of the audit log: search in the console and through the API. Read-only."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from fanzha.audit.model import ACTION_LABELS, Action, AuditQuery, AuditRecord
from fanzha.audit.repository import AuditRepository
from fanzha.auth.model import Permission, Principal
from fanzha.web.deps import DbSession, audit, require

router = APIRouter()

Inspector = Annotated[Principal, require(Permission.AUDIT_SEARCH)]
Text = Annotated[str | None, Query(max_length=80)]


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor: str
    role: str
    unit_id: str | None
    action: str
    object_type: str | None
    object_id: str | None
    object_unit_id: str | None
    fields: list[str]
    purpose: str | None
    address: str | None
    outcome: str


def _search(
    request: Request,
    session: DbSession,
    principal: Principal,
    query: AuditQuery,
) -> list[AuditRecord]:
    rows = AuditRepository(session).search(query)
    filters = [
        f"{name}={value}" for name, value in (("actor", query.actor), ("action", query.action)) if value
    ]
    audit(
        request, principal, Action.AUDIT_SEARCH, object_type="audit_log", object_id=";".join(filters) or None
    )
    return rows


def _query(
    principal: Principal,
    *,
    actor: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> AuditQuery:
    return AuditQuery(
        actor=actor or None,
        action=action or None,
        object_type=object_type or None,
        object_id=object_id or None,
        since=since,
        until=until,
        unit_ids=principal.unit_scope,
    )


@router.get("/api/audit", tags=["api"])
def search_api(
    *,
    request: Request,
    session: DbSession,
    principal: Inspector,
    actor: Text = None,
    action: Text = None,
    object_type: Text = None,
    object_id: Text = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[AuditOut]:
    """Audit entries of the inspector's units, newest first."""
    query = _query(
        principal,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        since=since,
        until=until,
    )
    rows = _search(request, session, principal, replace(query, limit=limit, offset=offset))
    return [AuditOut.model_validate(row, from_attributes=True) for row in rows]


@router.get("/audit", include_in_schema=False, response_class=HTMLResponse)
def search_page(
    *,
    request: Request,
    session: DbSession,
    principal: Inspector,
    actor: Text = None,
    action: Text = None,
    object_id: Text = None,
) -> HTMLResponse:
    """审计日志: search by person, action and object."""
    query = _query(principal, actor=actor, action=action, object_id=object_id)
    rows = _search(request, session, principal, query)
    templates: Jinja2Templates = request.app.state.templates
    context = {
        "rows": rows,
        "labels": ACTION_LABELS,
        "actions": list(Action),
        "filters": {"actor": actor or "", "action": action or "", "object_id": object_id or ""},
    }
    return templates.TemplateResponse(request, "auth/audit.html", context)
