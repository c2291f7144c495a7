"""Fixtures: a migrated temporary SQLite store, seeded or empty, and a TestClient on the app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fanzha.settings import Settings
from fanzha.store.db import make_engine, migrate
from fanzha.web.app import create_app

from .seed_data import Seeded, seed


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def seeded(engine: Engine) -> Seeded:
    return seed(engine)


@pytest.fixture
def client(engine: Engine, seeded: Seeded) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), engine)) as c:
        yield c


@pytest.fixture
def empty_client(engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), engine)) as c:
        yield c
