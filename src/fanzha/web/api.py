"""JSON API under `/api`. Every response is masked: no raw name, phone, account or identity number."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from fanzha.web import queries
from fanzha.web.deps import DbSession
from fanzha.web.schemas import ErrorOut, Health, WarningDetail, WarningSummary

router = APIRouter(prefix="/api", tags=["api"])


@router.get("/health")
def health(session: DbSession) -> Health:
    """Liveness plus pipeline totals: events processed, open warnings, dead letters."""
    return queries.health(session)


@router.get("/warnings")
def list_warnings(
    session: DbSession,
    open_only: bool = True,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[WarningSummary]:
    """Warnings, most urgent first (level, then score, then newest)."""
    return queries.list_warnings(session, open_only=open_only, limit=limit, offset=offset)


@router.get("/warnings/{warning_id}", responses={404: {"model": ErrorOut, "description": "no such warning"}})
def get_warning(warning_id: int, session: DbSession) -> WarningDetail:
    """One warning with its reasons and the assessments that raised or updated it."""
    detail = queries.get_warning(session, warning_id)
    if detail is None:
        raise HTTPException(status_code=404, detail=f"warning {warning_id} not found")
    return detail
