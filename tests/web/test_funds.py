"""Funds API and console: the traced tree, masked; unit scope; statistics."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fanzha.store.engine import session_factory
from fanzha.store.tables import AccountRow, PersonRow
from fanzha.store.tables_funds import TransferRow
from fanzha.uow import UnitOfWork
from tests.web.auth_helpers import CITY_UNIT, ensure_unit
from tests.web.conftest import LoginAs

T0 = datetime(2025, 3, 1, 2, 5, tzinfo=UTC)
VICTIM = "6222333344445555"
L1 = "6200111122223333"
L2A = "6200444455556666"
L2B = "6200777788889999"
RAW = (VICTIM, L1, L2A, L2B)


@pytest.fixture
def officer(engine: Engine, login_as: LoginAs) -> TestClient:
    """A city-level stop-payment officer: may view fund chains of every unit."""
    ensure_unit(engine, CITY_UNIT, "CITY", None)
    return login_as("stop_payment_officer", CITY_UNIT)


@pytest.fixture
def chain(engine: Engine) -> None:
    rows = [
        ("fv1", VICTIM, L1, 0, 1_000_000),
        ("fm1", L1, L2A, 10, 700_000),
        ("fm2", L1, L2B, 12, 200_000),
        ("fm0", L1, L2B, -30, 50_000),  # before the victim's money: not followed
    ]
    with UnitOfWork(session_factory(engine)) as uow:
        uow.session.add(PersonRow(person_id="PV", name="赵六", groups=[], unit_id="U1"))
        uow.session.add(AccountRow(account=VICTIM, person_id="PV"))
        for event_id, payer, payee, minutes, fen in rows:
            at = T0 + timedelta(minutes=minutes)
            uow.session.add(TransferRow(event_id=event_id, payer=payer, payee=payee, at=at, amount_fen=fen))
        uow.commit()


def _no_raw(text: str) -> None:
    for value in RAW:
        assert value not in text


def test_trace_api_returns_the_masked_tree(officer: TestClient, chain: None) -> None:
    response = officer.get("/api/funds/trace/fv1")
    assert response.status_code == 200
    body = response.json()
    _no_raw(response.text)
    assert body["traced_fen"] == 1_000_000
    assert body["depth"] == 2
    levels = sorted((n["level"], n["account"], n["amount_fen"]) for n in body["nodes"])
    assert levels == [
        (1, "6200****3333", 1_000_000),
        (2, "6200****6666", 700_000),
        (2, "6200****9999", 200_000),
    ]
    assert body["accounts"][0] == {
        "account": "6200****6666",
        "level": 2,
        "received_fen": 700_000,
        "at_risk_fen": 700_000,
        "first_at": "2025-03-01T02:15:00Z",
    }
    assert body["tree"][0]["name"] == "L1 6200****3333"
    assert len(body["tree"][0]["children"]) == 2


def test_trace_depth_and_unknown_transfer(officer: TestClient, chain: None) -> None:
    cut = officer.get("/api/funds/trace/fv1", params={"depth": 1}).json()
    assert cut["depth"] == 1
    assert cut["truncated"] is True
    assert officer.get("/api/funds/trace/nope").status_code == 404


def test_other_units_get_404_and_roles_without_funds_rights_get_403(
    engine: Engine, login_as: LoginAs, officer: TestClient, chain: None
) -> None:
    ensure_unit(engine, "U9", "STATION", CITY_UNIT)
    other = login_as("stop_payment_officer", "U9")
    assert other.get("/api/funds/trace/fv1").status_code == 404
    assert other.get("/funds/trace/fv1").status_code == 404
    assert officer.get("/api/funds/trace/fv1").status_code == 200
    station = login_as("station_officer", CITY_UNIT)
    assert station.get("/api/funds/trace/fv1").status_code == 403


def test_console_draws_the_tree(officer: TestClient, chain: None) -> None:
    page = officer.get("/funds/trace/fv1")
    assert page.status_code == 200
    _no_raw(page.text)
    assert "资金流向" in page.text
    assert "/static/vendor/echarts.min.js" in page.text
    assert "6200****6666" in page.text
    data = page.text.split('<script id="tree-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    tree = json.loads(data)  # raw JSON in the page (HTML escaping here would break the chart)
    assert tree[0]["name"] == "L1 6200****3333"
    assert officer.get("/static/vendor/echarts.min.js").status_code == 200
    assert officer.get("/funds/trace/nope").status_code == 404


def test_stats_and_stops_feeds_start_empty(officer: TestClient, client: TestClient) -> None:
    assert officer.get("/api/funds/stops").json() == []
    assert client.get("/api/funds/stats").json() == []  # the administrator sees aggregates only
    assert client.get("/api/funds/stops").status_code == 403
