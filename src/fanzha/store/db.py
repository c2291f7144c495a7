"""Engine, migrations and the unit of work: the one place in fanzha that commits."""

from __future__ import annotations

from importlib.resources import files
from types import TracebackType
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from fanzha.store.lists import ListRepository, ShadowRepository
from fanzha.store.outbox import OutboxRepository
from fanzha.store.repositories import (
    AssessmentRepository,
    DeadLetterRepository,
    EventRepository,
    WarningRepository,
)
from fanzha.store.workflow import WorkflowRepository


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs that name no driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets WAL mode and a busy timeout so the console can read during ingest."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(files("fanzha.store").joinpath("migrations")))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (head by default) with Alembic."""
    command.upgrade(alembic_config(engine), revision)


def is_migrated(engine: Engine) -> bool:
    return inspect(engine).has_table("alembic_version")


class UnitOfWork:
    """One transaction and the repositories that work in it.

    Used as a context manager; nothing is written unless `commit` is called, and leaving the block
    without committing rolls back.
    """

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        self.events = EventRepository(self.session)
        self.assessments = AssessmentRepository(self.session)
        self.warnings = WarningRepository(self.session)
        self.dead_letters = DeadLetterRepository(self.session)
        self.workflow = WorkflowRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.shadow = ShadowRepository(self.session)
        self.lists = ListRepository(self.session)
        return self

    def commit(self) -> None:
        # Buffered rows go in dependency order: events before the assessments that cite them.
        self.events.flush()
        self.assessments.flush()
        self.shadow.flush()
        self.session.commit()

    def rollback(self) -> None:
        self.events.discard()
        self.assessments.discard()
        self.shadow.discard()
        self.session.rollback()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.rollback()
        self.session.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
