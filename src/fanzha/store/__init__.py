"""The store: SQLAlchemy 2 tables, Alembic migrations, repositories, and the unit of work that commits."""

from fanzha.store import tables_auth as tables_auth  # registers its tables on the metadata
