"""The store: SQLAlchemy 2 tables, Alembic migrations, repositories, and the unit of work that commits."""
