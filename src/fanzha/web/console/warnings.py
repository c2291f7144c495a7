"""The warnings console: counters and the open warnings (HTMX refreshes them), one warning's page,
and the audited export and reveal forms."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from fanzha.audit.model import Action
from fanzha.auth.model import Permission, Principal, Purpose
from fanzha.warning import queries
from fanzha.web import privacy
from fanzha.web.deps import DbSession, FormFields, Lister, Viewer, audit, not_visible, require
from fanzha.web.render import render, render_not_found

router = APIRouter(include_in_schema=False)

Limit = Annotated[int, Query(ge=1, le=500)]
Revealer = Annotated[Principal, require(Permission.WARNING_REVEAL)]
Exporter = Annotated[Principal, require(Permission.WARNING_EXPORT)]


def _now() -> datetime:
    return datetime.now(UTC)


def _not_found(request: Request, warning_id: int) -> HTMLResponse:
    return render_not_found(request, f"未找到编号为 {warning_id} 的预警指令。")


@router.get("/", response_class=HTMLResponse)
def index(request: Request, session: DbSession, principal: Lister, limit: Limit = 100) -> HTMLResponse:
    """预警指令: counters and the open warnings of the caller's units, most urgent first."""
    warnings = queries.visible_list(session, principal, open_only=True, limit=limit, offset=0)
    audit(request, principal, Action.WARNING_LIST, object_type="warning", object_id=f"{len(warnings)} rows")
    context = {
        "overview": queries.visible_overview(session, principal),
        "warnings": warnings,
        "limit": limit,
        "now": _now(),
    }
    return render(request, "index.html", context)


@router.get("/partials/warnings", response_class=HTMLResponse)
def warning_rows(request: Request, session: DbSession, principal: Lister, limit: Limit = 100) -> HTMLResponse:
    """The table body of open warnings (HTMX swaps it in every few seconds; the page load was audited)."""
    warnings = queries.visible_list(session, principal, open_only=True, limit=limit, offset=0)
    return render(request, "_rows.html", {"warnings": warnings})


@router.get("/partials/overview", response_class=HTMLResponse)
def overview(request: Request, session: DbSession, principal: Lister) -> HTMLResponse:
    """The counters above the table (HTMX swaps them in every few seconds)."""
    context = {"overview": queries.visible_overview(session, principal), "now": _now()}
    return render(request, "_overview.html", context)


@router.post("/warnings/export")
def export_console(request: Request, form: FormFields, session: DbSession, principal: Exporter) -> Response:
    purpose = _purpose(form)
    if purpose is None:
        return _bad_purpose()
    return privacy.export(request, session, principal, purpose, form.get("open_only", "true") != "false")


@router.get("/warnings/{warning_id}", response_class=HTMLResponse)
def warning_detail(request: Request, warning_id: int, session: DbSession, principal: Viewer) -> HTMLResponse:
    """One warning: facts, reasons with masked evidence, and the assessments behind it."""
    detail, exists = queries.visible_detail(session, principal, warning_id)
    if detail is None:
        if exists:
            not_visible(request, principal, "warning", warning_id, LookupError)
        return _not_found(request, warning_id)
    audit(
        request,
        principal,
        Action.WARNING_VIEW,
        object_type="warning",
        object_id=warning_id,
        object_unit_id=detail.unit_id,
        fields=("masked",),
    )
    return render(request, "detail.html", {"w": detail})


@router.post("/warnings/{warning_id}/reveal", response_class=HTMLResponse)
def reveal_console(
    request: Request, warning_id: int, form: FormFields, session: DbSession, principal: Revealer
) -> Response:
    purpose = _purpose(form)
    if purpose is None:
        return _bad_purpose()
    detail, revealed = privacy.reveal(request, session, principal, warning_id, purpose)
    if detail is None:
        return _not_found(request, warning_id)
    response = render(request, "detail.html", {"w": detail, "revealed": revealed})
    response.headers["Cache-Control"] = "no-store"
    return response


def _purpose(form: dict[str, str]) -> Purpose | None:
    try:
        return Purpose(form.get("purpose", ""))
    except ValueError:
        return None


def _bad_purpose() -> HTMLResponse:
    return HTMLResponse("<!doctype html><meta charset=utf-8><p>请选择用途后再提交。</p>", status_code=400)
