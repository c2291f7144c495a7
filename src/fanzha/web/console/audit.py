"""审计日志 (`/audit`): the inspector searches the audit log by person, action and object. Read-only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from fanzha.audit import queries
from fanzha.audit.model import ACTION_LABELS, Action
from fanzha.auth.model import Permission, Principal
from fanzha.web.deps import DbSession, audit, require
from fanzha.web.render import render

router = APIRouter(include_in_schema=False)

Inspector = Annotated[Principal, require(Permission.AUDIT_SEARCH)]
Text = Annotated[str | None, Query(max_length=80)]


@router.get("/audit", response_class=HTMLResponse)
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
    query = queries.query_for(principal, actor=actor, action=action, object_id=object_id)
    rows = queries.search(session, query)
    audit(request, principal, Action.AUDIT_SEARCH, object_type="audit_log", object_id=queries.describe(query))
    context = {
        "rows": rows,
        "labels": ACTION_LABELS,
        "actions": list(Action),
        "filters": {"actor": actor or "", "action": action or "", "object_id": object_id or ""},
    }
    return render(request, "auth/audit.html", context)
