"""Every role against the API and the console: own unit, other units, and actions beyond the role."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from fanzha.auth.model import Role
from fanzha.event.codes import RiskLevel
from fanzha.store.engine import session_factory
from fanzha.store.tables import UnitRow
from fanzha.store.tables_auth import AuditRow
from fanzha.uow import UnitOfWork

from .auth_helpers import CITY_UNIT, ensure_unit
from .conftest import LoginAs
from .seed_data import (
    PAYEE_ACCOUNT,
    PERSON_ID_NO,
    PERSON_NAME,
    RAW_VALUES,
    SUBJECT_PHONE,
    Seeded,
    _reason,
    _warning,
)


@dataclass(frozen=True)
class Tree:
    own: int  # the CRITICAL warning of station U1 (branch B1)
    own_medium: int  # a MEDIUM warning of U1 with financial evidence
    other: int  # a MEDIUM warning of station U3 in another branch (B2)


@pytest.fixture
def tree(engine: Engine, seeded: Seeded) -> Tree:
    """C0 (city) → B1 → U1, U2; C0 → B2 → U3. The seed's U1 becomes a station of B1."""
    ensure_unit(engine, "B1", "BRANCH", CITY_UNIT)
    ensure_unit(engine, "B2", "BRANCH", CITY_UNIT)
    ensure_unit(engine, "U2", "STATION", "B1")
    ensure_unit(engine, "U3", "STATION", "B2")
    money = _reason(
        "PAYEE_LISTED",
        "向涉诈账户转账",
        40,
        {"payee_account": "6222000011112222", "amount_fen": 900, "channel": "网银"},
        "ev-1",
    )
    with UnitOfWork(session_factory(engine)) as uow:
        uow.session.execute(update(UnitRow).where(UnitRow.unit_id == "U1").values(parent_id="B1"))
        own_medium = uow.warnings.save(
            _warning(
                subject_key="phone:13911112222",
                person_id=None,
                unit_id="U1",
                level=RiskLevel.MEDIUM,
                score=50,
                reasons=(money,),
            )
        )
        other = uow.warnings.save(
            _warning(
                subject_key="phone:13933334444",
                person_id=None,
                unit_id="U3",
                level=RiskLevel.MEDIUM,
                score=55,
                reasons=(money,),
            )
        )
        uow.commit()
    return Tree(own=seeded.critical_id, own_medium=own_medium, other=other)


# role → (unit, sees other branch's warning, may reveal, may export, may search audit)
ROLES = {
    Role.CITY_ADMIN: (CITY_UNIT, True, False, False, False),
    Role.ANALYST: (CITY_UNIT, True, True, True, False),
    Role.STOP_PAYMENT_OFFICER: (CITY_UNIT, True, True, False, False),
    Role.BRANCH_DISPATCHER: ("B1", False, False, True, False),
    Role.STATION_OFFICER: ("U1", False, True, False, False),
    Role.GRID_WORKER: ("U1", False, False, False, False),
    Role.INSPECTOR: ("B1", False, False, False, True),
}
NO_WARNINGS = {Role.BANK_LIAISON: CITY_UNIT, Role.STATISTICS: CITY_UNIT}
PURPOSE = {"purpose": "DISSUASION"}


def _own(role: Role, tree: Tree) -> int:
    return tree.own_medium if role is Role.GRID_WORKER else tree.own


@pytest.mark.parametrize("role", list(ROLES))
def test_role_sees_own_units_and_never_another_units_warning(
    role: Role, login_as: LoginAs, tree: Tree
) -> None:
    unit, sees_other, _reveal, _export, _audit = ROLES[role]
    c = login_as(role, unit)
    listed = {w["warning_id"] for w in c.get("/api/warnings").json()}
    assert _own(role, tree) in listed
    assert (tree.other in listed) is sees_other
    for path in (f"/api/warnings/{tree.other}", f"/warnings/{tree.other}"):
        assert c.get(path).status_code == (200 if sees_other else 404)
    assert c.get(f"/api/warnings/{_own(role, tree)}").status_code == 200
    page = c.get("/")
    assert page.status_code == 200
    assert (f'href="/warnings/{tree.other}"' in page.text) is sees_other
    # Guessing an id that does not exist and one that exists elsewhere look the same.
    assert c.get("/api/warnings/999999").json() == {"detail": "warning 999999 not found"}
    if not sees_other:
        assert c.get(f"/api/warnings/{tree.other}").json() == {"detail": f"warning {tree.other} not found"}


@pytest.mark.parametrize("role", list(ROLES))
def test_reveal_export_and_audit_follow_the_role(role: Role, login_as: LoginAs, tree: Tree) -> None:
    unit, sees_other, may_reveal, may_export, may_audit = ROLES[role]
    c = login_as(role, unit)
    own = c.post(f"/api/warnings/{_own(role, tree)}/reveal", json=PURPOSE)
    other = c.post(f"/api/warnings/{tree.other}/reveal", json=PURPOSE)
    if may_reveal:
        assert own.status_code == 200
        assert other.status_code == (200 if sees_other else 404)
    else:
        assert (own.status_code, other.status_code) == (403, 403)
    export = c.post("/api/warnings/export", json=PURPOSE)
    assert export.status_code == (200 if may_export else 403)
    assert c.get("/api/audit").status_code == (200 if may_audit else 403)
    assert c.get("/audit").status_code == (200 if may_audit else 403)


@pytest.mark.parametrize("role", list(NO_WARNINGS))
def test_roles_without_lead_access_get_403(role: Role, login_as: LoginAs, tree: Tree) -> None:
    c = login_as(role, NO_WARNINGS[role])
    for path in ("/api/warnings", f"/api/warnings/{tree.own}", "/", f"/warnings/{tree.own}"):
        assert c.get(path).status_code == 403, path
    assert c.post(f"/api/warnings/{tree.own}/reveal", json=PURPOSE).status_code == 403
    assert "无权访问" in c.get("/").text


def test_grid_worker_gets_no_high_levels_and_no_financial_evidence(login_as: LoginAs, tree: Tree) -> None:
    c = login_as(Role.GRID_WORKER, "U1")
    assert c.get(f"/api/warnings/{tree.own}").status_code == 404  # CRITICAL: not for grid workers
    detail = c.get(f"/api/warnings/{tree.own_medium}").json()
    keys = {k for r in detail["reasons"] for k in r["evidence"]}
    assert keys == {"channel"}  # the reason stays, its financial evidence does not
    assert "6222****2222" not in c.get(f"/warnings/{tree.own_medium}").text


def test_reveal_shows_full_data_once_and_is_audited(login_as: LoginAs, tree: Tree, engine: Engine) -> None:
    c = login_as(Role.STATION_OFFICER, "U1")
    page = c.get(f"/warnings/{tree.own}").text
    assert all(raw not in page for raw in RAW_VALUES)
    assert "查看完整信息" in page
    assert c.post(f"/api/warnings/{tree.own}/reveal", json={}).status_code == 422  # a purpose is required
    assert c.post(f"/warnings/{tree.own}/reveal", data={"purpose": ""}).status_code == 400
    revealed = c.post(f"/warnings/{tree.own}/reveal", data={"purpose": "DISSUASION"})
    assert revealed.status_code == 200
    for raw in (PERSON_NAME, PERSON_ID_NO, SUBJECT_PHONE, PAYEE_ACCOUNT):
        assert raw in revealed.text
    api = c.post(f"/api/warnings/{tree.own}/reveal", json=PURPOSE).json()
    assert {i["value"] for i in api["items"]} >= {PERSON_NAME, PERSON_ID_NO, SUBJECT_PHONE, PAYEE_ACCOUNT}
    assert all(raw not in c.get(f"/warnings/{tree.own}").text for raw in RAW_VALUES)  # masked again
    with session_factory(engine)() as s:
        rows = s.scalars(select(AuditRow).where(AuditRow.action == "warning.reveal")).all()
    assert len(rows) == 2
    assert {r.purpose for r in rows} == {"DISSUASION"}
    assert all(
        r.role == "station_officer" and r.unit_id == "U1" and r.object_id == str(tree.own) for r in rows
    )
    assert "person.id_no" in rows[0].fields
    assert rows[0].address == "testclient"


def test_export_needs_a_purpose_is_masked_scoped_and_audited(
    login_as: LoginAs, tree: Tree, engine: Engine
) -> None:
    c = login_as(Role.BRANCH_DISPATCHER, "B1")
    assert c.post("/api/warnings/export", json={}).status_code == 422
    resp = c.post("/warnings/export", data={"purpose": "REPORTING"})
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(resp.text.lstrip("\ufeff"))))
    ids = {int(r[0]) for r in rows[1:]}
    assert ids == {tree.own, tree.own_medium}
    assert all(raw not in resp.text for raw in RAW_VALUES)
    with session_factory(engine)() as s:
        row = s.scalars(select(AuditRow).where(AuditRow.action == "warning.export")).one()
    assert (row.purpose, row.actor.startswith("branch_dispatcher"), row.object_id) == (
        "REPORTING",
        True,
        "2 rows",
    )


def test_views_and_probes_are_audited_and_the_inspector_finds_them(
    login_as: LoginAs, tree: Tree, engine: Engine
) -> None:
    officer = login_as(Role.STATION_OFFICER, "U1")
    officer.get(f"/warnings/{tree.own}")
    officer.get(f"/api/warnings/{tree.other}")  # a probe of another branch's warning
    inspector = login_as(Role.INSPECTOR, "B1")
    found = inspector.get("/api/audit", params={"object_id": str(tree.own), "action": "warning.view"}).json()
    assert len(found) == 1
    assert found[0]["role"] == "station_officer"
    assert found[0]["unit_id"] == "U1"
    denied = inspector.get("/api/audit", params={"action": "denied"}).json()
    assert [d["object_id"] for d in denied] == [str(tree.other)]
    page = inspector.get("/audit", params={"action": "warning.view"}).text
    assert "查看预警" in page
    assert "station_officer" in page
    # The inspector of branch B1 does not see what happens in branch B2.
    outsider = login_as(Role.STATION_OFFICER, "U3")
    outsider.get(f"/warnings/{tree.other}")
    seen = inspector.get("/api/audit", params={"object_id": str(tree.other), "action": "warning.view"}).json()
    assert seen == []


def test_api_token_authenticates_machine_clients(app: object, engine: Engine, tree: Tree) -> None:
    from .auth_helpers import add_token

    token = add_token(engine, Role.STATION_OFFICER, "U1", name="feed-1")
    c = TestClient(app)  # type: ignore[arg-type]
    assert c.get("/api/warnings").status_code == 401
    assert c.get("/api/warnings", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    auth = {"Authorization": f"Bearer {token}"}
    ids = {w["warning_id"] for w in c.get("/api/warnings", headers=auth).json()}
    assert ids == {tree.own, tree.own_medium}
    # Token clients use no cookies, so they need no CSRF token for unsafe requests.
    assert c.post(f"/api/warnings/{tree.own}/reveal", json=PURPOSE, headers=auth).status_code == 200
    assert c.get(f"/api/warnings/{tree.other}", headers=auth).status_code == 404
    with session_factory(engine)() as s:
        row = s.scalars(select(AuditRow).where(AuditRow.action == "warning.reveal")).one()
    assert row.actor == "token:feed-1"
