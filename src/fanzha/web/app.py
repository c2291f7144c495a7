"""The application factory: `create_app(settings, engine)` wires the API, the console and static files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from fanzha.audit import logfilter
from fanzha.auth.config import auth_config
from fanzha.clock import SystemClock
from fanzha.funds.config import funds_settings
from fanzha.jobs.worker import Worker, config_from_settings, worker_from_settings
from fanzha.settings import Settings
from fanzha.store.engine import make_engine, migrate, session_factory
from fanzha.web.api import audit as audit_api
from fanzha.web.api import funds as funds_api
from fanzha.web.api import funds_holds as funds_holds_api
from fanzha.web.api import funds_returns as funds_returns_api
from fanzha.web.api import prevention as prevention_api
from fanzha.web.api import public as public_api
from fanzha.web.api import users as users_api
from fanzha.web.api import warnings as warnings_api
from fanzha.web.api import workflow as workflow_api
from fanzha.web.console import audit as audit_console
from fanzha.web.console import funds_orders, funds_trace, login, prevention, prevention_stats, public, users
from fanzha.web.console import warnings as warnings_console
from fanzha.web.console import workflow as workflow_console
from fanzha.web.deps import ForbiddenError, LoginRequiredError
from fanzha.web.render import make_templates, render_not_found
from fanzha.web.security import AuthMiddleware, principal_of

ROUTERS = (
    login.router,
    warnings_api.router,
    audit_api.router,
    users_api.router,
    workflow_api.router,
    funds_api.router,
    funds_holds_api.router,
    funds_returns_api.router,
    warnings_console.router,
    audit_console.router,
    users.router,
    workflow_console.router,
    funds_trace.router,
    funds_orders.router,
    prevention_api.router,  # 宣防 (issue 16): the officers' API and pages, and the public self-check
    public_api.router,
    prevention.router,
    prevention_stats.router,
    public.router,
)

STATIC_DIR = Path(__file__).parent / "static"


def create_app(
    settings: Settings | None = None, engine: Engine | None = None, *, migrate_on_startup: bool = True
) -> FastAPI:
    """Build the web app. Nothing is configured or connected at import time.

    `engine` defaults to one built from `settings.database_url` (and is then disposed of on
    shutdown). With `migrate_on_startup`, the schema is brought to head when the app starts,
    which is a no-op for an already migrated database.
    """
    settings = settings if settings is not None else Settings()
    owns_engine = engine is None
    db_engine = engine if engine is not None else make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if migrate_on_startup:
            migrate(db_engine)
        worker: Worker | None = (
            worker_from_settings(settings, db_engine).start() if settings.run_worker else None
        )
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()
            if owns_engine:
                db_engine.dispose()

    app = FastAPI(
        title="fanzha 反诈预警劝阻平台",
        description="预警指令 console and read-only JSON API; personal data is masked in every response.",
        version="0.1.0",
        lifespan=lifespan,
        # Swagger UI and ReDoc load their assets from a CDN; the console must work offline.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = db_engine
    app.state.session_factory = session_factory(db_engine)
    app.state.templates = make_templates()
    app.state.auth = auth_config(settings)
    logfilter.install()
    app.state.workflow_clock = SystemClock()
    app.state.workflow_config = config_from_settings(settings)
    app.state.funds_clock = SystemClock()
    app.state.funds_settings = funds_settings(settings)

    app.add_middleware(AuthMiddleware)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.exception_handler(StarletteHTTPException)
    async def _not_found_page(request: Request, exc: StarletteHTTPException) -> Response:
        # JSON for the API (and anything else but a missing console page); a Chinese page otherwise.
        if exc.status_code == 404 and not request.url.path.startswith(("/api", "/static")):
            return render_not_found(request, "您访问的页面不存在。")
        return await http_exception_handler(request, exc)

    app.add_exception_handler(LoginRequiredError, _login_required)
    app.add_exception_handler(ForbiddenError, _forbidden)
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


async def _login_required(request: Request, _exc: Exception) -> Response:
    """401 with a Bearer challenge for the API; the console goes to the login page."""
    if _is_api(request):
        return JSONResponse(
            {"detail": "authentication required"}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
        )
    target = "/login?next=" + quote(request.url.path)
    if request.headers.get("hx-request"):  # an HTMX partial: make the whole page go to the login
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def _forbidden(request: Request, _exc: Exception) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": "forbidden for your role"}, status_code=403)
    principal = principal_of(request)
    return request.app.state.templates.TemplateResponse(  # type: ignore[no-any-return]
        request,
        "auth/forbidden.html",
        {"role_label": principal.role_label if principal else ""},
        status_code=403,
    )
