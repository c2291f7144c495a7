"""Accounts for the web tests: create users in the test store and log in through the real login form."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fanzha.auth.passwords import HashCost, Passwords
from fanzha.auth.service import create_token, create_user
from fanzha.settings import Settings
from fanzha.store.engine import session_factory
from fanzha.store.tables import UnitRow
from fanzha.uow import UnitOfWork

CITY_UNIT = "C0"
CITY_NAME = "测试市公安局"
# Argon2id with a small cost keeps the suite fast; production uses the RFC 9106 defaults in Settings.
FAST_HASH = {"password_time_cost": 1, "password_memory_kib": 8192, "password_parallelism": 1}
PASSWORDS = Passwords(HashCost(time_cost=1, memory_kib=8192, parallelism=1))

LOGIN_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
PAGE_TOKEN = re.compile(r'"X-CSRF-Token": "([^"]*)"')


def fast_settings(**overrides: object) -> Settings:
    return Settings.model_validate({**FAST_HASH, **overrides})


def ensure_unit(
    engine: Engine, unit_id: str, level: str, parent_id: str | None, name: str | None = None
) -> None:
    with UnitOfWork(session_factory(engine)) as uow:
        if uow.session.get(UnitRow, unit_id) is None:
            uow.session.add(
                UnitRow(
                    unit_id=unit_id, name=name or unit_id, level=level, parent_id=parent_id, area_codes=[]
                )
            )
            uow.commit()


def add_user(engine: Engine, role: str, unit_id: str, username: str | None = None) -> tuple[str, str]:
    """A new user; returns (username, password). The password is random, as a real one would be."""
    username = username or f"{role}-{unit_id}-{secrets.token_hex(3)}".lower()
    password = "Pw-" + secrets.token_urlsafe(12)
    with UnitOfWork(session_factory(engine)) as uow:
        create_user(
            uow.session,
            PASSWORDS,
            username=username,
            password=password,
            role=role,
            unit_id=unit_id,
            now=datetime.now(UTC),
        )
        uow.commit()
    return username, password


def add_token(engine: Engine, role: str, unit_id: str, name: str | None = None) -> str:
    with UnitOfWork(session_factory(engine)) as uow:
        token = create_token(
            uow.session,
            name=name or f"{role}-{secrets.token_hex(3)}",
            role=role,
            unit_id=unit_id,
            now=datetime.now(UTC),
            valid_days=None,
        )
        uow.commit()
    return token


def post_login(client: TestClient, username: str, password: str) -> int:
    """Fill in and submit the login form; returns the response status (303 on success)."""
    page = client.get("/login")
    match = LOGIN_TOKEN.search(page.text)
    assert match, "login form has no CSRF token"
    resp = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": match.group(1), "next": "/"},
        follow_redirects=False,
    )
    return resp.status_code


def login(client: TestClient, username: str, password: str) -> str:
    """Log `client` in and make it send the session's CSRF token on every request; returns the token."""
    status = post_login(client, username, password)
    assert status == 303, f"login failed with {status}"
    match = PAGE_TOKEN.search(client.get("/no-such-page").text)
    assert match, "no CSRF token on the page after login"
    assert match.group(1), "empty CSRF token after login"
    client.headers["X-CSRF-Token"] = match.group(1)
    return match.group(1)
