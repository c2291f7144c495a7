"""Warnings in the JSON API: health, the list, one warning, the audited reveal and the CSV export.

Every response is masked (no raw name, phone, account or identity number) except the reveal, which
needs the permission, the caller's unit scope and a stated purpose, and is audited. Callers sign in
with `Authorization: Bearer <token>` (machine clients) or a console session.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from fanzha.audit.model import Action
from fanzha.auth.model import Permission, Principal, Purpose
from fanzha.warning import queries
from fanzha.web import privacy
from fanzha.web.deps import AUTH_ERRORS, NO_WARNING, DbSession, Lister, audit, not_visible, require

router = APIRouter(prefix="/api", tags=["api"])

Revealer = Annotated[Principal, require(Permission.WARNING_REVEAL)]
Exporter = Annotated[Principal, require(Permission.WARNING_EXPORT)]


class PurposeIn(BaseModel):
    purpose: Purpose = Field(description="why the data is needed; recorded in the audit log")


class ExportIn(PurposeIn):
    open_only: bool = True


@router.get("/health", responses=AUTH_ERRORS)
def health(
    session: DbSession, _principal: Annotated[Principal, require(Permission.STATS_VIEW)]
) -> queries.Health:
    """Liveness plus pipeline totals: events processed, open warnings, dead letters."""
    return queries.health(session)


@router.get("/warnings", responses=AUTH_ERRORS)
def list_warnings(
    *,
    request: Request,
    session: DbSession,
    principal: Lister,
    open_only: bool = True,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[queries.WarningSummary]:
    """Warnings of the caller's units, most urgent first (level, then score, then newest)."""
    items = queries.visible_list(session, principal, open_only=open_only, limit=limit, offset=offset)
    audit(request, principal, Action.WARNING_LIST, object_type="warning", object_id=f"{len(items)} rows")
    return items


@router.post("/warnings/export", response_class=Response)
def export_api(request: Request, body: ExportIn, session: DbSession, principal: Exporter) -> Response:
    """The caller's warnings as CSV (masked). Requires a purpose; recorded in the audit log."""
    return privacy.export(request, session, principal, body.purpose, body.open_only)


@router.get("/warnings/{warning_id}", responses={**AUTH_ERRORS, **NO_WARNING})
def get_warning(
    request: Request,
    warning_id: int,
    session: DbSession,
    principal: Annotated[Principal, require(Permission.WARNING_VIEW)],
) -> queries.WarningDetail:
    """One warning with its reasons and the assessments that raised or updated it (masked)."""
    detail, exists = queries.visible_detail(session, principal, warning_id)
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


@router.post("/warnings/{warning_id}/reveal", responses=NO_WARNING)
def reveal_api(
    request: Request, warning_id: int, body: PurposeIn, session: DbSession, principal: Revealer
) -> queries.Revealed:
    """The warning's personal data in full. Requires a purpose; recorded in the audit log."""
    _detail, revealed = privacy.reveal(request, session, principal, warning_id, body.purpose)
    if revealed is None:
        raise HTTPException(status_code=404, detail=f"warning {warning_id} not found")
    return revealed
