"""Account management from outside: the administrator's 用户管理 scoped to their units, and every
user's own password change. Requests go through the real login, the CSRF check and the audit log."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from fanzha.auth.model import Role
from fanzha.store.engine import session_factory
from fanzha.store.tables_auth import ApiTokenRow, AuditRow, UserRow

from .auth_helpers import CITY_UNIT, add_token, add_user, ensure_unit, login, post_login
from .conftest import LoginAs

ONCE = re.compile(r'<code id="once-password">([^<]+)</code>')


@pytest.fixture
def units(engine: Engine) -> None:
    """C0 (city) → B1 → U1; C0 → B2 → U3."""
    ensure_unit(engine, "B1", "BRANCH", CITY_UNIT)
    ensure_unit(engine, "U1", "STATION", "B1")
    ensure_unit(engine, "B2", "BRANCH", CITY_UNIT)
    ensure_unit(engine, "U3", "STATION", "B2")


def _user_id(engine: Engine, username: str) -> int:
    with session_factory(engine)() as s:
        return s.scalars(select(UserRow.user_id).where(UserRow.username == username)).one()


def _actions(engine: Engine, action: str) -> list[AuditRow]:
    with session_factory(engine)() as s:
        return list(s.scalars(select(AuditRow).where(AuditRow.action == action)))


def _signed_in(app: FastAPI, username: str, password: str) -> TestClient:
    c = TestClient(app)
    login(c, username, password)
    return c


@pytest.mark.parametrize("role", [Role.ANALYST, Role.STATION_OFFICER, Role.INSPECTOR, Role.BANK_LIAISON])
def test_only_administrators_manage_accounts(
    role: Role, login_as: LoginAs, engine: Engine, units: None
) -> None:
    victim, _ = add_user(engine, Role.STATION_OFFICER, "U1")
    c = login_as(role, CITY_UNIT)
    uid = _user_id(engine, victim)
    assert c.get("/users").status_code == 403
    assert c.get("/api/users").status_code == 403
    for path in (f"/users/{uid}/disable", f"/users/{uid}/reset-password", "/users/tokens/1/revoke"):
        assert c.post(path).status_code == 403, path
    assert c.post("/users", data={"username": "x", "role": "analyst", "unit_id": "U1"}).status_code == 403
    with session_factory(engine)() as s:
        assert s.get(UserRow, uid).active  # type: ignore[union-attr]
    assert "用户管理" not in c.get("/account/password").text


def test_branch_admin_sees_and_acts_only_within_the_branch(
    login_as: LoginAs, engine: Engine, units: None
) -> None:
    mine, _ = add_user(engine, Role.STATION_OFFICER, "U1")
    theirs, _ = add_user(engine, Role.STATION_OFFICER, "U3")
    with session_factory(engine)() as s:  # a personal name, to be masked
        s.get(UserRow, _user_id(engine, mine)).display_name = "王小明"  # type: ignore[union-attr]
        s.commit()
    add_token(engine, Role.BANK_LIAISON, "U3", name="bank-b2")
    c = login_as(Role.CITY_ADMIN, "B1")
    page = c.get("/users")
    assert page.status_code == 200
    assert mine in page.text
    assert theirs not in page.text
    assert "王**" in page.text
    assert "王小明" not in page.text
    assert "bank-b2" not in page.text
    listed = {u["username"]: u for u in c.get("/api/users").json()}
    assert mine in listed
    assert theirs not in listed
    assert listed[mine]["masked_name"] == "王**"
    other = _user_id(engine, theirs)
    for path in (f"/users/{other}/disable", f"/users/{other}/unlock", f"/users/{other}/reset-password"):
        resp = c.post(path)
        assert resp.status_code == 404, path
    assert c.post("/users/999999/disable").status_code == 404  # same answer as a missing account
    with session_factory(engine)() as s:
        token_id = s.scalars(select(ApiTokenRow.token_id).where(ApiTokenRow.name == "bank-b2")).one()
    assert c.post(f"/users/tokens/{token_id}/revoke").status_code == 404
    denied = _actions(engine, "denied")
    assert {(r.object_type, r.object_id) for r in denied} >= {("user", str(other)), ("user", "999999")}
    # Adding a user in another branch's unit is refused and audited.
    resp = c.post("/users", data={"username": "intruder", "role": "analyst", "unit_id": "U3"})
    assert resp.status_code == 400
    assert "管辖范围" in resp.text
    assert [r.outcome for r in _actions(engine, "user.created")] == ["refused"]


def test_admin_adds_a_user_whose_password_is_shown_once_and_works(
    app: FastAPI, login_as: LoginAs, engine: Engine, units: None
) -> None:
    c = login_as(Role.CITY_ADMIN, "B1")
    form = {"username": "officer-zhao", "display_name": "赵某某", "role": "station_officer", "unit_id": "U1"}
    resp = c.post("/users", data=form)
    assert resp.status_code == 200
    assert resp.headers["cache-control"] == "no-store"
    match = ONCE.search(resp.text)
    assert match
    password = match.group(1)
    assert password not in c.get("/users").text  # shown once only
    assert c.post("/users", data=form).status_code == 400  # the name is taken now
    new = _signed_in(app, "officer-zhao", password)
    assert "派出所民警" in new.get("/account/password").text
    row = _actions(engine, "user.created")[0]
    assert (row.object_unit_id, row.fields, row.actor.startswith("city_admin")) == (
        "U1",
        ["station_officer"],
        True,
    )


def test_forged_admin_forms_without_the_csrf_token_are_refused(
    app: FastAPI, engine: Engine, units: None
) -> None:
    admin, password = add_user(engine, Role.CITY_ADMIN, CITY_UNIT)
    victim, _ = add_user(engine, Role.STATION_OFFICER, "U1")
    uid = _user_id(engine, victim)
    c = TestClient(app)
    token = login(c, admin, password)
    del c.headers["X-CSRF-Token"]
    for path in (f"/users/{uid}/disable", f"/users/{uid}/reset-password", "/users/tokens/1/revoke"):
        assert c.post(path, data={"csrf_token": "guess"}).status_code == 403, path
    assert (
        c.post("/users", data={"username": "forged", "role": "city_admin", "unit_id": "C0"}).status_code
        == 403
    )
    assert c.post("/account/password", data={"current_password": password}).status_code == 403
    with session_factory(engine)() as s:
        assert s.get(UserRow, uid).active  # type: ignore[union-attr]
        assert s.scalars(select(UserRow).where(UserRow.username == "forged")).first() is None
    # The form field with the session's token goes through.
    resp = c.post(f"/users/{uid}/disable", data={"csrf_token": token}, follow_redirects=False)
    assert resp.status_code == 303


def test_reset_revokes_sessions_and_disable_stops_sign_in(
    app: FastAPI, login_as: LoginAs, engine: Engine, units: None
) -> None:
    user, old = add_user(engine, Role.STATION_OFFICER, "U1")
    uid = _user_id(engine, user)
    first, second = _signed_in(app, user, old), _signed_in(app, user, old)
    admin = login_as(Role.CITY_ADMIN, "B1")
    resp = admin.post(f"/users/{uid}/reset-password")
    match = ONCE.search(resp.text)
    assert resp.status_code == 200
    assert match
    for c in (first, second):
        assert c.get("/", follow_redirects=False).status_code == 303  # sent back to the login page
    assert post_login(TestClient(app), user, old) == 401
    signed = _signed_in(app, user, match.group(1))
    assert admin.post(f"/users/{uid}/disable", follow_redirects=False).status_code == 303
    assert signed.get("/", follow_redirects=False).status_code == 303
    assert post_login(TestClient(app), user, match.group(1)) == 401
    assert "已停用" in admin.get("/users").text
    admin.post(f"/users/{uid}/enable")
    assert post_login(TestClient(app), user, match.group(1)) == 303
    assert {r.object_unit_id for r in _actions(engine, "user.password_reset")} == {"U1"}
    assert len(_actions(engine, "user.disabled")) == len(_actions(engine, "user.enabled")) == 1


def test_unlock_lets_a_locked_user_in_and_counting_starts_afresh(
    app: FastAPI, login_as: LoginAs, engine: Engine, units: None
) -> None:
    user, password = add_user(engine, Role.STATION_OFFICER, "U1")
    probe = TestClient(app)
    assert [post_login(probe, user, f"wrong-{i}") for i in range(5)][-1] == 423
    admin = login_as(Role.CITY_ADMIN, CITY_UNIT)
    assert "已锁定" in admin.get("/users").text
    admin.post(f"/users/{_user_id(engine, user)}/unlock")
    assert post_login(probe, user, "wrong-again") == 401  # one failure does not re-lock
    assert post_login(probe, user, password) == 303
    assert len(_actions(engine, "user.unlocked")) == 1


def test_admin_cannot_disable_or_reset_their_own_account(app: FastAPI, engine: Engine) -> None:
    admin, password = add_user(engine, Role.CITY_ADMIN, CITY_UNIT)
    c = _signed_in(app, admin, password)
    uid = _user_id(engine, admin)
    resp = c.post(f"/users/{uid}/disable")
    assert "不能对自己的账号" in resp.text
    resp = c.post(f"/users/{uid}/reset-password", follow_redirects=False)
    assert (resp.status_code, resp.headers["location"]) == (303, "/users?notice=self")
    assert c.get("/users").status_code == 200  # still signed in, still active
    assert post_login(TestClient(app), admin, password) == 303  # the password is unchanged


def test_revoked_token_no_longer_opens_the_api(app: FastAPI, login_as: LoginAs, engine: Engine) -> None:
    token = add_token(engine, Role.STATISTICS, CITY_UNIT, name="stats-feed")
    api = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    assert api.get("/api/health").status_code == 200
    admin = login_as(Role.CITY_ADMIN, CITY_UNIT)
    page = admin.get("/users").text
    token_id = re.search(r'data-token-id="(\d+)"', page)
    assert token_id
    assert "stats-feed" in page
    assert admin.post(f"/users/tokens/{token_id.group(1)}/revoke").status_code == 200
    assert api.get("/api/health").status_code == 401
    assert "已吊销" in admin.get("/users").text
    assert [r.object_id for r in _actions(engine, "token.revoked")] == ["stats-feed"]


def _change(c: TestClient, current: str, new: str, confirm: str | None = None) -> int:
    data = {"current_password": current, "new_password": new, "confirm_password": confirm or new}
    return c.post("/account/password", data=data).status_code


def test_own_password_change_needs_the_current_one_and_ends_other_sessions(
    app: FastAPI, engine: Engine
) -> None:
    user, old = add_user(engine, Role.GRID_WORKER, CITY_UNIT)
    here, elsewhere = _signed_in(app, user, old), _signed_in(app, user, old)
    new = "Nw-" + "k9Lq2Zr7Tx4v"
    assert _change(here, "not-my-password", new) == 400
    assert _change(here, old, "short") == 400  # the creation rules apply
    assert _change(here, old, f"x{user}yz1234") == 400  # contains the username
    assert _change(here, old, new, confirm=new + "!") == 400
    assert _change(here, old, old) == 400
    assert elsewhere.get("/", follow_redirects=False).status_code == 200  # nothing changed yet
    assert _change(here, old, new) == 200
    assert here.get("/", follow_redirects=False).status_code == 200  # this session stays
    assert elsewhere.get("/", follow_redirects=False).status_code == 303  # the other one ends
    assert post_login(TestClient(app), user, old) == 401
    assert post_login(TestClient(app), user, new) == 303
    outcomes = [r.outcome for r in _actions(engine, "user.password_changed")]
    assert outcomes.count("ok") == 1
    assert outcomes.count("bad_credentials") == 1
    with session_factory(engine)() as s:
        stored = s.scalars(select(UserRow.password_hash).where(UserRow.username == user)).one()
    assert stored.startswith("$argon2id$")
    assert new not in stored


def test_wrong_current_passwords_lock_the_account(app: FastAPI, engine: Engine) -> None:
    user, password = add_user(engine, Role.ANALYST, CITY_UNIT)
    c = _signed_in(app, user, password)
    statuses = [_change(c, f"guess-{i}", "Nw-k9Lq2Zr7Tx4v") for i in range(5)]
    assert statuses == [400, 400, 400, 400, 423]
    assert _change(c, password, "Nw-k9Lq2Zr7Tx4v") == 423  # locked: the right one fails too
    assert post_login(TestClient(app), user, password) == 423
    assert len(_actions(engine, "auth.locked")) == 1


def test_api_tokens_have_no_password_to_change(app: FastAPI, engine: Engine) -> None:
    token = add_token(engine, Role.ANALYST, CITY_UNIT)
    api = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    assert api.post("/account/password", data={"current_password": "x"}).status_code == 403
