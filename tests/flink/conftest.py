"""Stores and the seeded stream for the Flink suite.

The Flink runs need the Flink environment (`sh scripts/install-flink.sh`, part of the README's test
command). Without it they fail with that instruction, unless FANZHA_SKIP_FLINK=1 says to skip them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from fanzha.sim.world import World
from fanzha.store.engine import make_engine, migrate
from fanzha.stream.flink import launch
from fanzha.stream.flink.eventtime import TimePolicy
from fanzha.stream.flink.streams import StreamSpec, load_reference, write_stream
from tests.conftest import PG_ADMIN_URL, _pg_admin

POLICY = TimePolicy(out_of_orderness=timedelta(minutes=5), allowed_lateness=timedelta(hours=6))
SPEC = StreamSpec(population=300, days=2, seed=7)


@pytest.fixture(scope="session")
def flink_ready() -> None:
    try:
        launch.flink_python()
    except launch.FlinkNotInstalledError as exc:
        if os.environ.get("FANZHA_SKIP_FLINK") == "1":
            pytest.skip(f"FANZHA_SKIP_FLINK=1: {exc}")
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    """The seeded stream's parts (out of order, late, too late, duplicated, with bad lines)."""
    out = tmp_path_factory.mktemp("stream") / "parts"
    world = write_stream(out, SPEC, POLICY)
    return out, world


@pytest.fixture(scope="session")
def new_store(
    tmp_path_factory: pytest.TempPathFactory, seeded: tuple[Path, World]
) -> Iterator[Callable[[], str]]:
    """Makes migrated stores holding the city's reference data: PostgreSQL when it answers, else SQLite."""
    admin = _pg_admin()
    made: list[str] = []

    def make() -> str:
        if admin is None:
            url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'fanzha.db'}"
        else:
            name = f"fanzha_test_{uuid.uuid4().hex[:12]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            made.append(name)
            url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
        engine = make_engine(url)
        migrate(engine)
        load_reference(engine, seeded[1])
        engine.dispose()
        return url

    yield make
    if admin is not None:
        with admin.connect() as conn:
            for name in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
