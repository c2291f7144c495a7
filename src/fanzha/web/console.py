"""The console: server-rendered Chinese pages, with HTMX partials for the live-refreshing parts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from fanzha.audit.model import Action
from fanzha.auth.model import Permission, Principal
from fanzha.web import privacy, queries, security
from fanzha.web.deps import DbSession, audit, not_visible, require
from fanzha.web.present import format_time, format_yuan

TEMPLATES_DIR = Path(__file__).parent / "templates"
REFRESH_SECONDS = 5

router = APIRouter(include_in_schema=False)

Limit = Annotated[int, Query(ge=1, le=500)]
Lister = Annotated[Principal, require(Permission.WARNING_LIST)]


def make_templates() -> Jinja2Templates:
    """The console's template set; autoescaping is on for every template."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt_time"] = format_time
    env.filters["yuan"] = format_yuan
    env.globals["refresh_seconds"] = REFRESH_SECONDS
    security.install_template_globals(env)
    return Jinja2Templates(env=env)


def _render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def render_not_found(request: Request, message: str) -> HTMLResponse:
    """The Chinese 404 page, for missing warnings and unknown console paths alike."""
    return _render(request, "not_found.html", {"message": message}, status_code=404)


def _now() -> datetime:
    return datetime.now(UTC)


@router.get("/", response_class=HTMLResponse)
def index(request: Request, session: DbSession, principal: Lister, limit: Limit = 100) -> HTMLResponse:
    """预警指令: counters and the open warnings of the caller's units, most urgent first."""
    warnings = privacy.visible_list(session, principal, open_only=True, limit=limit, offset=0)
    audit(request, principal, Action.WARNING_LIST, object_type="warning", object_id=f"{len(warnings)} rows")
    context = {
        "overview": _overview(session, principal),
        "warnings": warnings,
        "limit": limit,
        "now": _now(),
    }
    return _render(request, "index.html", context)


def _overview(session: DbSession, principal: Principal) -> object:
    return queries.overview(session, unit_ids=principal.unit_scope, max_level=privacy.max_level(principal))


@router.get("/partials/warnings", response_class=HTMLResponse)
def warning_rows(request: Request, session: DbSession, principal: Lister, limit: Limit = 100) -> HTMLResponse:
    """The table body of open warnings (HTMX swaps it in every few seconds; the page load was audited)."""
    warnings = privacy.visible_list(session, principal, open_only=True, limit=limit, offset=0)
    return _render(request, "_rows.html", {"warnings": warnings})


@router.get("/partials/overview", response_class=HTMLResponse)
def overview(request: Request, session: DbSession, principal: Lister) -> HTMLResponse:
    """The counters above the table (HTMX swaps them in every few seconds)."""
    return _render(request, "_overview.html", {"overview": _overview(session, principal), "now": _now()})


@router.get("/warnings/{warning_id}", response_class=HTMLResponse)
def warning_detail(
    request: Request,
    warning_id: int,
    session: DbSession,
    principal: Annotated[Principal, require(Permission.WARNING_VIEW)],
) -> HTMLResponse:
    """One warning: facts, reasons with masked evidence, and the assessments behind it."""
    detail, exists = privacy.visible_detail(session, principal, warning_id)
    if detail is None:
        if exists:
            not_visible(request, principal, "warning", warning_id, LookupError)
        return render_not_found(request, f"未找到编号为 {warning_id} 的预警指令。")
    audit(
        request,
        principal,
        Action.WARNING_VIEW,
        object_type="warning",
        object_id=warning_id,
        object_unit_id=detail.unit_id,
        fields=("masked",),
    )
    return _render(request, "detail.html", {"w": detail})
