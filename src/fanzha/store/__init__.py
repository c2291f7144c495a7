"""The store: the engine, SQLAlchemy 2 tables, Alembic migrations and the ingest repositories (no domain)."""

from fanzha.store import tables_auth as tables_auth  # registers its tables on the metadata
