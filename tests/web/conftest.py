"""Fixtures: a migrated temporary SQLite store, seeded or empty, and TestClients signed in through the
real login form (`client`, `empty_client`: a city administrator; `login_as(role, unit_id)`: any role).

A signed-in client sends its session cookie and, on every request, the session's CSRF token header,
as the console's HTMX does; tests of forged requests build a client without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fanzha.auth.model import Role
from fanzha.store.engine import make_engine, migrate
from fanzha.web.app import create_app

from .auth_helpers import CITY_NAME, CITY_UNIT, add_user, ensure_unit, fast_settings, login
from .seed_data import Seeded, seed


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    migrate(eng)
    ensure_unit(eng, CITY_UNIT, "CITY", None, CITY_NAME)
    yield eng
    eng.dispose()


@pytest.fixture
def seeded(engine: Engine) -> Seeded:
    return seed(engine)


@pytest.fixture
def app(engine: Engine) -> FastAPI:
    return create_app(fast_settings(), engine)


def _admin_client(app: FastAPI, engine: Engine) -> Iterator[TestClient]:
    with TestClient(app) as c:
        login(c, *add_user(engine, Role.CITY_ADMIN, CITY_UNIT))
        yield c


@pytest.fixture
def client(app: FastAPI, engine: Engine, seeded: Seeded) -> Iterator[TestClient]:
    """Signed in as a city administrator, on the seeded store."""
    yield from _admin_client(app, engine)


@pytest.fixture
def empty_client(app: FastAPI, engine: Engine) -> Iterator[TestClient]:
    """Signed in as a city administrator, on a store with no events or warnings."""
    yield from _admin_client(app, engine)


LoginAs = Callable[[str, str], TestClient]


@pytest.fixture
def login_as(app: FastAPI, engine: Engine) -> Iterator[LoginAs]:
    """`login_as(role, unit_id)`: a new user of that role and unit, signed in on its own client."""
    clients: list[TestClient] = []

    def make(role: str, unit_id: str) -> TestClient:
        c = TestClient(app)
        login(c, *add_user(engine, role, unit_id))
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.close()
