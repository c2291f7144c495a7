"""The application factory: `create_app(settings, engine)` wires the API, the console and static files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from fanzha.clock import SystemClock
from fanzha.jobs.worker import Worker, config_from_settings, worker_from_settings
from fanzha.settings import Settings
from fanzha.store.db import make_engine, migrate, session_factory
from fanzha.web import api, console, workflow_api, workflow_console

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
    app.state.templates = console.make_templates()
    app.state.workflow_clock = SystemClock()
    app.state.workflow_config = config_from_settings(settings)

    app.include_router(api.router)
    app.include_router(console.router)
    app.include_router(workflow_api.router)
    app.include_router(workflow_console.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.exception_handler(StarletteHTTPException)
    async def _not_found_page(request: Request, exc: StarletteHTTPException) -> Response:
        # JSON for the API (and anything else but a missing console page); a Chinese page otherwise.
        if exc.status_code == 404 and not request.url.path.startswith(("/api", "/static")):
            return console.render_not_found(request, "您访问的页面不存在。")
        return await http_exception_handler(request, exc)

    return app
