"""Sign-in from outside: login form, cookies, CSRF on every unsafe request, lockout, sessions, logout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from fanzha.auth.model import Role
from fanzha.store.engine import session_factory
from fanzha.store.tables_auth import AuditRow, SessionRow, UserRow
from fanzha.uow import UnitOfWork

from .auth_helpers import CITY_UNIT, LOGIN_TOKEN, PAGE_TOKEN, add_user, login, post_login
from .seed_data import Seeded


def test_pages_and_api_need_a_session(app: FastAPI, seeded: Seeded) -> None:
    c = TestClient(app)
    resp = c.get("/", follow_redirects=False)
    assert (resp.status_code, resp.headers["location"]) == (303, "/login?next=/")
    assert c.get(f"/warnings/{seeded.critical_id}", follow_redirects=False).status_code == 303
    htmx = c.get("/partials/warnings", headers={"HX-Request": "true"})
    assert (htmx.status_code, htmx.headers["HX-Redirect"]) == (401, "/login?next=/partials/warnings")
    api = c.get("/api/warnings")
    assert (api.status_code, api.headers["www-authenticate"]) == (401, "Bearer")
    assert "登录" in c.get("/login").text


def test_login_sets_a_hardened_cookie_and_logout_ends_the_session(app: FastAPI, engine: Engine) -> None:
    user, password = add_user(engine, Role.STATION_OFFICER, CITY_UNIT)
    c = TestClient(app)
    assert post_login(c, user, password) == 303
    page = c.get("/")
    assert page.status_code == 200
    assert user in page.text
    c.headers["X-CSRF-Token"] = PAGE_TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
    assert c.post("/logout", follow_redirects=False).status_code == 303
    assert c.get("/", follow_redirects=False).status_code == 303


def test_session_cookie_flags(app: FastAPI, engine: Engine) -> None:
    user, password = add_user(engine, Role.ANALYST, CITY_UNIT)
    c = TestClient(app)
    form = LOGIN_TOKEN.search(c.get("/login").text)
    assert form
    resp = c.post(
        "/login",
        data={"username": user, "password": password, "csrf_token": form.group(1)},
        follow_redirects=False,
    )
    header = next(h for h in resp.headers.get_list("set-cookie") if h.startswith("fanzha_session="))
    lowered = header.lower()
    assert "httponly" in lowered
    assert "samesite=lax" in lowered
    assert "path=/" in lowered
    assert "secure" not in lowered  # plain HTTP unless FANZHA_COOKIE_SECURE is set


def test_forged_requests_without_the_csrf_token_are_refused(
    app: FastAPI, engine: Engine, seeded: Seeded
) -> None:
    user, password = add_user(engine, Role.STATION_OFFICER, "U1")
    c = TestClient(app)
    token = login(c, user, password)
    del c.headers["X-CSRF-Token"]  # a cross-site form sends the cookie but cannot know the token
    target = f"/warnings/{seeded.critical_id}/reveal"
    assert c.post(target, data={"purpose": "DISSUASION"}).status_code == 403
    assert c.post(target, data={"purpose": "DISSUASION", "csrf_token": "guess"}).status_code == 403
    assert c.post(f"/api{target}", json={"purpose": "DISSUASION"}).status_code == 403
    assert c.post("/logout", follow_redirects=False).status_code == 403
    assert c.post("/warnings/export", data={"purpose": "REPORTING"}).status_code == 403
    # The same requests with the session's token go through (form field or header).
    assert c.post(target, data={"purpose": "DISSUASION", "csrf_token": token}).status_code == 200
    assert (
        c.post(f"/api{target}", json={"purpose": "DISSUASION"}, headers={"X-CSRF-Token": token}).status_code
        == 200
    )


def test_login_form_itself_needs_its_token(app: FastAPI, engine: Engine) -> None:
    user, password = add_user(engine, Role.ANALYST, CITY_UNIT)
    c = TestClient(app)
    resp = c.post("/login", data={"username": user, "password": password}, follow_redirects=False)
    assert resp.status_code == 403
    assert "fanzha_session" not in resp.headers.get("set-cookie", "")


def test_brute_force_locks_the_account_even_for_the_right_password(app: FastAPI, engine: Engine) -> None:
    user, password = add_user(engine, Role.STATION_OFFICER, CITY_UNIT)
    c = TestClient(app)
    statuses = [post_login(c, user, f"wrong-{i}") for i in range(5)]
    assert statuses == [401, 401, 401, 401, 423]
    assert post_login(c, user, password) == 423  # locked: the right password fails too
    assert c.get("/", follow_redirects=False).status_code == 303
    with session_factory(engine)() as s:
        locked_until = s.scalars(select(UserRow.locked_until).where(UserRow.username == user)).one()
        actions = s.scalars(select(AuditRow.action).where(AuditRow.object_id == user)).all()
    assert locked_until is not None
    assert actions.count("auth.login_failed") == 5
    assert "auth.locked" in actions
    # When the lock has run out the right password works again.
    with UnitOfWork(session_factory(engine)) as uow:
        uow.session.execute(
            update(UserRow)
            .where(UserRow.username == user)
            .values(locked_until=datetime.now(UTC) - timedelta(seconds=1))
        )
        uow.commit()
    assert post_login(c, user, password) == 303


def test_many_failures_from_one_address_are_throttled(app: FastAPI, engine: Engine) -> None:
    user, password = add_user(engine, Role.ANALYST, CITY_UNIT)
    c = TestClient(app)
    for i in range(20):  # spread over many (unknown) names, so no single account locks
        post_login(c, f"nobody-{i}", "x")
    assert post_login(c, user, password) == 429


def test_idle_sessions_expire(app: FastAPI, engine: Engine) -> None:
    user, password = add_user(engine, Role.ANALYST, CITY_UNIT)
    c = TestClient(app)
    login(c, user, password)
    assert c.get("/", follow_redirects=False).status_code == 200
    with UnitOfWork(session_factory(engine)) as uow:
        uow.session.execute(update(SessionRow).values(last_seen_at=datetime.now(UTC) - timedelta(minutes=31)))
        uow.commit()
    assert c.get("/", follow_redirects=False).status_code == 303


def test_only_a_hash_of_the_session_token_is_stored(app: FastAPI, engine: Engine) -> None:
    user, password = add_user(engine, Role.ANALYST, CITY_UNIT)
    c = TestClient(app)
    login(c, user, password)
    cookie = c.cookies.get("fanzha_session")
    with session_factory(engine)() as s:
        stored = s.scalars(select(SessionRow.token_hash)).all()
        pw_hash = s.scalars(select(UserRow.password_hash).where(UserRow.username == user)).one()
    assert cookie
    assert cookie not in stored
    assert len(stored) == 1
    assert pw_hash.startswith("$argon2id$")
    assert password not in pw_hash


def test_next_parameter_cannot_redirect_off_site(app: FastAPI, engine: Engine) -> None:
    user, password = add_user(engine, Role.ANALYST, CITY_UNIT)
    c = TestClient(app)
    token = LOGIN_TOKEN.search(c.get("/login").text)
    assert token
    resp = c.post(
        "/login",
        data={
            "username": user,
            "password": password,
            "csrf_token": token.group(1),
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert resp.headers["location"] == "/"
