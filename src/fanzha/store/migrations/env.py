"""Alembic environment: batch mode so SQLite and PostgreSQL share one migration history."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

import fanzha.store.tables_funds  # noqa: F401  (registers the funds tables on the metadata)
from fanzha.settings import Settings
from fanzha.store import (
    tables_lists,  # noqa: F401  (registers its tables on Base.metadata)
    tables_prevention,  # noqa: F401  (its tables join Base.metadata)
    tables_workflow,  # noqa: F401  (its tables join Base.metadata)
)
from fanzha.store.tables import Base

config = context.config
target_metadata = Base.metadata


def _engine() -> Engine:
    given = config.attributes.get("engine")
    if isinstance(given, Engine):
        return given
    from fanzha.store.engine import make_engine

    return make_engine(Settings().database_url)


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
