"""The inspector's audit search in the JSON API (`GET /api/audit`). Read-only, and itself audited."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request

from fanzha.audit import queries
from fanzha.audit.model import Action, AuditRecord
from fanzha.auth.model import Permission, Principal
from fanzha.web.deps import DbSession, audit, require

router = APIRouter(prefix="/api", tags=["api"])

Inspector = Annotated[Principal, require(Permission.AUDIT_SEARCH)]
Text = Annotated[str | None, Query(max_length=80)]


@router.get("/audit")
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
) -> list[AuditRecord]:
    """Audit entries of the inspector's units, newest first."""
    query = queries.query_for(
        principal,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    rows = queries.search(session, query)
    audit(request, principal, Action.AUDIT_SEARCH, object_type="audit_log", object_id=queries.describe(query))
    return rows
