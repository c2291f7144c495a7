"""保护性止付 API: confirmation before effect, automatic release by the sweep, roles, unit scope, masking."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from fanzha.funds import service
from fanzha.store.engine import session_factory
from fanzha.store.tables_auth import AuditRow
from fanzha.uow import UnitOfWork
from tests.web.auth_helpers import CITY_UNIT, ensure_unit
from tests.web.conftest import LoginAs

ACCOUNT = "6222000011112222"


@pytest.fixture
def officer(engine: Engine, login_as: LoginAs) -> TestClient:
    ensure_unit(engine, "S1", "STATION", CITY_UNIT)
    return login_as("stop_payment_officer", CITY_UNIT)


def _create(client: TestClient, unit_id: str = "S1") -> dict:
    body = {"subject_id": "P1", "accounts": [ACCOUNT], "unit_id": unit_id, "trigger_lead_id": "W1"}
    response = client.post("/api/funds/holds", json=body)
    assert response.status_code == 201, response.text
    assert ACCOUNT not in response.text
    return dict(response.json())


def test_a_hold_needs_confirmation_and_the_sweep_releases_it(officer: TestClient, engine: Engine) -> None:
    hold = _create(officer)
    assert hold["status"] == "PROPOSED"
    assert hold["accounts"] == ["6222****2222"]
    assert hold["planned_end"] is None
    assert officer.post(f"/api/funds/holds/{hold['hold_id']}/confirm", json={"hours": 200}).status_code == 422
    confirmed = officer.post(f"/api/funds/holds/{hold['hold_id']}/confirm", json={}).json()
    assert confirmed["status"] == "ACTIVE"
    assert confirmed["confirmed_by"]
    with UnitOfWork(session_factory(engine)) as uow:
        end = datetime.fromisoformat(confirmed["planned_end"])
        assert end - datetime.fromisoformat(confirmed["starts_at"]) == timedelta(hours=72)
        assert service.sweep(uow.session, end - timedelta(minutes=1)) == []
        assert service.sweep(uow.session, end + timedelta(minutes=1))
        uow.commit()
    listed = officer.get("/api/funds/holds").json()
    assert [(h["hold_id"], h["status"]) for h in listed] == [(hold["hold_id"], "RELEASED")]
    assert ACCOUNT not in officer.get("/api/funds/holds").text
    again = officer.post(f"/api/funds/holds/{hold['hold_id']}/release", json={"reason": "x"})
    assert again.status_code == 422
    with UnitOfWork(session_factory(engine)) as uow:
        steps = uow.session.scalars(
            select(AuditRow.purpose).where(AuditRow.object_id == hold["hold_id"]).order_by(AuditRow.id)
        ).all()
    assert steps == ["propose", "confirm", "sweep"]  # the automatic release is audited too


def test_early_release_with_a_reason(officer: TestClient) -> None:
    hold = _create(officer)
    officer.post(f"/api/funds/holds/{hold['hold_id']}/confirm", json={"hours": 24})
    assert officer.post(f"/api/funds/holds/{hold['hold_id']}/release", json={"reason": ""}).status_code == 422
    out = officer.post(f"/api/funds/holds/{hold['hold_id']}/release", json={"reason": "已见面核实"}).json()
    assert out["status"] == "RELEASED"
    assert out["release_reason"] == "已见面核实"


def test_only_funds_act_roles_may_act_and_other_units_get_404(
    officer: TestClient, engine: Engine, login_as: LoginAs
) -> None:
    hold = _create(officer)
    analyst = login_as("analyst", CITY_UNIT)  # funds.view only
    assert analyst.get("/api/funds/holds").status_code == 200
    assert analyst.post(f"/api/funds/holds/{hold['hold_id']}/confirm", json={}).status_code == 403
    assert analyst.post("/api/funds/holds", json={"subject_id": "P", "accounts": ["1"]}).status_code == 403
    assert login_as("station_officer", CITY_UNIT).get("/api/funds/holds").status_code == 403
    ensure_unit(engine, "S2", "STATION", CITY_UNIT)
    other = login_as("stop_payment_officer", "S2")
    assert other.get("/api/funds/holds").json() == []
    assert other.post(f"/api/funds/holds/{hold['hold_id']}/confirm", json={}).status_code == 404
    assert other.post(f"/api/funds/holds/{hold['hold_id']}/release", json={"reason": "x"}).status_code == 404
    assert other.post("/api/funds/holds/nope/confirm", json={}).status_code == 404
    refused = other.post("/api/funds/holds", json={"subject_id": "P", "accounts": ["1"], "unit_id": "S1"})
    assert refused.status_code == 404
    own = other.post("/api/funds/holds", json={"subject_id": "P", "accounts": [ACCOUNT]}).json()
    assert own["unit_id"] == "S2"
