"""The console's templates and the helpers every console page shares (render, the Chinese 404)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from fanzha.present import format_time, format_yuan
from fanzha.web import security

TEMPLATES_DIR = Path(__file__).parent / "templates"
REFRESH_SECONDS = 5


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


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def render_not_found(request: Request, message: str) -> HTMLResponse:
    """The Chinese 404 page, for missing records and unknown console paths alike."""
    return render(request, "not_found.html", {"message": message}, status_code=404)


def script_json(value: object) -> Markup:
    """JSON safe to place inside a <script> element: no `<`, `>` or `&` that could close or confuse it."""
    text = json.dumps(value, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
