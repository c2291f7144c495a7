"""Accounts in the JSON API (`GET /api/users`): the administrator's units, names masked. Audited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Request

from fanzha.audit.model import Action
from fanzha.auth import queries
from fanzha.auth.model import Permission, Principal
from fanzha.web.deps import DbSession, audit, require

router = APIRouter(prefix="/api", tags=["api"])

Admin = Annotated[Principal, require(Permission.USERS_MANAGE)]


@router.get("/users", response_model=list[queries.UserSummary])
def users_api(request: Request, session: DbSession, principal: Admin) -> list[queries.UserView]:
    """Accounts of the administrator's units; names masked."""
    views = queries.users_of(session, principal, datetime.now(UTC))
    audit(request, principal, Action.USER_LIST, object_type="user", object_id=f"{len(views)} rows")
    return views
