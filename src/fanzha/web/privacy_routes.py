"""Reveal (unmasked view) and export: explicit actions, each with a stated purpose, each audited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from fanzha.audit.model import Action
from fanzha.auth.model import Permission, Principal, Purpose
from fanzha.web import privacy
from fanzha.web.console import render_not_found
from fanzha.web.deps import DbSession, FormFields, audit, not_visible, require
from fanzha.web.schemas import ErrorOut

router = APIRouter()

Revealer = Annotated[Principal, require(Permission.WARNING_REVEAL)]
Exporter = Annotated[Principal, require(Permission.WARNING_EXPORT)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "no such warning in your units"}
}
EXPORT_LIMIT = 5000


class ExportIn(privacy.PurposeIn):
    open_only: bool = True


def _reveal(
    request: Request, session: DbSession, principal: Principal, warning_id: int, purpose: Purpose
) -> Any:
    """The revealed data, or None when the warning is not the caller's to see (audited either way)."""
    detail, exists = privacy.visible_detail(session, principal, warning_id)
    if detail is None:
        if exists:
            not_visible(request, principal, "warning", warning_id, LookupError)
        return None, None
    revealed = privacy.reveal(session, principal, warning_id, purpose)
    audit(
        request,
        principal,
        Action.WARNING_REVEAL,
        object_type="warning",
        object_id=warning_id,
        object_unit_id=detail.unit_id,
        fields=revealed.fields,
        purpose=purpose.value,
    )
    return detail, revealed


@router.post("/api/warnings/{warning_id}/reveal", tags=["api"], responses=NOT_FOUND)
def reveal_api(
    request: Request, warning_id: int, body: privacy.PurposeIn, session: DbSession, principal: Revealer
) -> privacy.RevealOut:
    """The warning's personal data in full. Requires a purpose; recorded in the audit log."""
    _detail, revealed = _reveal(request, session, principal, warning_id, body.purpose)
    if revealed is None:
        raise HTTPException(status_code=404, detail=f"warning {warning_id} not found")
    result: privacy.RevealOut = revealed
    return result


def _csv_response(text: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="warnings.csv"', "Cache-Control": "no-store"},
    )


def _export(
    request: Request, session: DbSession, principal: Principal, purpose: Purpose, open_only: bool
) -> Response:
    warnings = privacy.visible_list(session, principal, open_only=open_only, limit=EXPORT_LIMIT, offset=0)
    audit(
        request,
        principal,
        Action.WARNING_EXPORT,
        object_type="warning_list",
        object_id=f"{len(warnings)} rows",
        fields=[name for name, _ in privacy.EXPORT_COLUMNS],
        purpose=purpose.value,
    )
    return _csv_response(privacy.export_csv(warnings))


@router.post("/api/warnings/export", tags=["api"], response_class=Response)
def export_api(request: Request, body: ExportIn, session: DbSession, principal: Exporter) -> Response:
    """The caller's warnings as CSV (masked). Requires a purpose; recorded in the audit log."""
    return _export(request, session, principal, body.purpose, body.open_only)


def _purpose(form: dict[str, str]) -> Purpose | None:
    try:
        return Purpose(form.get("purpose", ""))
    except ValueError:
        return None


def _bad_purpose(request: Request) -> HTMLResponse:
    return HTMLResponse("<!doctype html><meta charset=utf-8><p>请选择用途后再提交。</p>", status_code=400)


@router.post("/warnings/export", include_in_schema=False)
def export_console(request: Request, form: FormFields, session: DbSession, principal: Exporter) -> Response:
    purpose = _purpose(form)
    if purpose is None:
        return _bad_purpose(request)
    return _export(request, session, principal, purpose, form.get("open_only", "true") != "false")


@router.post("/warnings/{warning_id}/reveal", include_in_schema=False, response_class=HTMLResponse)
def reveal_console(
    request: Request, warning_id: int, form: FormFields, session: DbSession, principal: Revealer
) -> Response:
    purpose = _purpose(form)
    if purpose is None:
        return _bad_purpose(request)
    detail, revealed = _reveal(request, session, principal, warning_id, purpose)
    if detail is None:
        return render_not_found(request, f"未找到编号为 {warning_id} 的预警指令。")
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(request, "detail.html", {"w": detail, "revealed": revealed})
    response.headers["Cache-Control"] = "no-store"
    return response
