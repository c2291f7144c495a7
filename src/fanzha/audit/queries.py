"""The audit log's read side: the inspector's search, within their units. Read-only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from fanzha.audit.model import AuditQuery, AuditRecord
from fanzha.audit.repository import AuditRepository
from fanzha.auth.model import Principal


def query_for(
    principal: Principal,
    *,
    actor: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
    offset: int = 0,
) -> AuditQuery:
    """A search within the principal's units (actor's unit or the object's unit); empty filters mean any."""
    return AuditQuery(
        actor=actor or None,
        action=action or None,
        object_type=object_type or None,
        object_id=object_id or None,
        since=since,
        until=until,
        unit_ids=principal.unit_scope,
        limit=limit,
        offset=offset,
    )


def search(session: Session, query: AuditQuery) -> list[AuditRecord]:
    """Audit entries matching `query`, newest first."""
    return AuditRepository(session).search(query)


def describe(query: AuditQuery) -> str | None:
    """The filters of a search as the audit row of the search itself records them."""
    filters = [
        f"{name}={value}" for name, value in (("actor", query.actor), ("action", query.action)) if value
    ]
    return ";".join(filters) or None
