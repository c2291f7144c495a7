"""JSON API under `/api`. Every response is masked: no raw name, phone, account or identity number.

Callers authenticate with `Authorization: Bearer <token>` (machine clients) or a console session;
every route checks the role's permission and the caller's unit scope.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from fanzha.audit.model import Action
from fanzha.auth.model import Permission, Principal
from fanzha.web import privacy, queries
from fanzha.web.deps import DbSession, audit, not_visible, require
from fanzha.web.schemas import ErrorOut, Health, WarningDetail, WarningSummary

router = APIRouter(prefix="/api", tags=["api"])

AUTH_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "no valid session or token"},
    403: {"model": ErrorOut, "description": "the role lacks the permission"},
}


@router.get("/health", responses=AUTH_ERRORS)
def health(session: DbSession, _principal: Annotated[Principal, require(Permission.STATS_VIEW)]) -> Health:
    """Liveness plus pipeline totals: events processed, open warnings, dead letters."""
    return queries.health(session)


@router.get("/warnings", responses=AUTH_ERRORS)
def list_warnings(
    *,
    request: Request,
    session: DbSession,
    principal: Annotated[Principal, require(Permission.WARNING_LIST)],
    open_only: bool = True,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[WarningSummary]:
    """Warnings of the caller's units, most urgent first (level, then score, then newest)."""
    items = privacy.visible_list(session, principal, open_only=open_only, limit=limit, offset=offset)
    audit(request, principal, Action.WARNING_LIST, object_type="warning", object_id=f"{len(items)} rows")
    return items


@router.get(
    "/warnings/{warning_id}",
    responses={**AUTH_ERRORS, 404: {"model": ErrorOut, "description": "no such warning in your units"}},
)
def get_warning(
    request: Request,
    warning_id: int,
    session: DbSession,
    principal: Annotated[Principal, require(Permission.WARNING_VIEW)],
) -> WarningDetail:
    """One warning with its reasons and the assessments that raised or updated it (masked)."""
    detail, exists = privacy.visible_detail(session, principal, warning_id)
    if detail is None:
        error = HTTPException(status_code=404, detail=f"warning {warning_id} not found")
        raise not_visible(request, principal, "warning", warning_id, lambda: error) if exists else error
    audit(
        request,
        principal,
        Action.WARNING_VIEW,
        object_type="warning",
        object_id=warning_id,
        object_unit_id=detail.unit_id,
        fields=("masked",),
    )
    return detail
