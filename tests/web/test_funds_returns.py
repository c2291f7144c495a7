"""资金返还 API: traced decisions at once, pro rata refused until the 30-day notice has run; roles; scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from fanzha.clock import ManualClock
from fanzha.funds.model import FreezeOrder, FreezeStatus
from fanzha.funds.repository import FundsRepository
from fanzha.store.engine import session_factory
from fanzha.store.tables_funds import ReturnDecisionRow
from fanzha.uow import UnitOfWork
from tests.web.auth_helpers import CITY_UNIT, ensure_unit
from tests.web.conftest import LoginAs

T0 = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
FROZEN = "6200000011112222"
RETURN_TO = "6222000033334444"


def form(victim: str, loss: int, traced: int) -> dict:
    return {
        "victim_id": victim,
        "return_account": RETURN_TO,
        "case_unit": "S1",
        "case_no": "A2025-1",
        "involved_account": FROZEN,
        "loss_fen": loss,
        "traced_fen": traced,
        "case_officers": ["甲", "乙"],
        "freeze_officers": ["丙", "丁"],
    }


BODY = {"prefix": "东", "applications": [form("V1", 600_000, 300_000), form("V2", 600_000, 0)]}


@pytest.fixture
def clock(app: FastAPI) -> ManualClock:
    c = ManualClock(T0)
    app.state.funds_clock = c
    return c


@pytest.fixture
def officer(engine: Engine, login_as: LoginAs) -> TestClient:
    ensure_unit(engine, "S1", "STATION", CITY_UNIT)
    order = FreezeOrder(
        freeze_id="DJ1",
        unit_id="S1",
        notice_no="DJ1",
        account=FROZEN,
        account_name=None,
        amount_fen=900_000,
        requested_at=T0 - timedelta(days=2),
        status=FreezeStatus.ACTIVE,
        starts_at=T0 - timedelta(days=1),
        ends_at=T0 + timedelta(days=180),
    )
    with UnitOfWork(session_factory(engine)) as uow:
        FundsRepository(uow.session).save_freeze(order)
        uow.commit()
    return login_as("stop_payment_officer", CITY_UNIT)


def test_pro_rata_is_refused_until_the_notice_has_run(
    officer: TestClient, clock: ManualClock, engine: Engine
) -> None:
    base = "/api/funds/freezes/DJ1/returns"
    first = officer.post(f"{base}/decisions", json=BODY)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["pro_rata_refused"] is True
    assert [(d["victim_id"], d["basis"], d["amount_fen"]) for d in body["decisions"]] == [
        ("V1", "TRACED", 300_000)
    ]
    assert body["decisions"][0]["to_account"] == "6222****4444"
    assert RETURN_TO not in first.text
    assert officer.post(f"{base}/decisions", json=BODY).status_code == 422  # pro rata waits, traced done
    assert officer.post(f"{base}/notice").status_code == 200
    assert officer.post(f"{base}/notice").status_code == 422
    clock.advance(timedelta(days=29))
    assert officer.post(f"{base}/plan", json=BODY).json()["pro_rata"] == "AWAITING_NOTICE"
    assert officer.post(f"{base}/decisions", json=BODY).status_code == 422
    clock.advance(timedelta(days=1))
    later = officer.post(f"{base}/decisions", json=BODY).json()
    assert [(d["victim_id"], d["amount_fen"]) for d in later["decisions"]] == [
        ("V1", 200_000),
        ("V2", 400_000),
    ]
    listed = officer.get(base).json()
    assert sum(d["amount_fen"] for d in listed) == 900_000
    with UnitOfWork(session_factory(engine)) as uow:
        forms = uow.session.scalars(select(ReturnDecisionRow.application)).all()
    assert all(f is not None and f["frozen_account"] == FROZEN for f in forms)  # 申请表 kept as records


def test_roles_and_scope(officer: TestClient, clock: ManualClock, engine: Engine, login_as: LoginAs) -> None:
    base = "/api/funds/freezes/DJ1/returns"
    analyst = login_as("analyst", CITY_UNIT)
    assert analyst.get(base).json() == []
    assert analyst.post(f"{base}/plan", json=BODY).status_code == 200
    assert analyst.post(f"{base}/notice").status_code == 403
    assert analyst.post(f"{base}/decisions", json=BODY).status_code == 403
    ensure_unit(engine, "S2", "STATION", CITY_UNIT)
    other = login_as("stop_payment_officer", "S2")
    assert other.get(base).status_code == 404
    assert other.post(f"{base}/notice").status_code == 404
    assert other.post(f"{base}/decisions", json=BODY).status_code == 404
    assert officer.get("/api/funds/freezes/nope/returns").status_code == 404
