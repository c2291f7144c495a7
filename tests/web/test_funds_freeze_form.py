"""Freezes on 止付冻结: approve, renew, release from the console; stale submits; the bank behind it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from fanzha.funds import service
from fanzha.funds.model import FreezeOrder, FreezeStatus
from fanzha.funds.repository import FundsRepository
from fanzha.jobs.bank.sim_server import SimulatedBank
from fanzha.store.engine import session_factory
from fanzha.store.tables_auth import AuditRow
from fanzha.uow import UnitOfWork
from tests.web.auth_helpers import CITY_UNIT, ensure_unit
from tests.web.conftest import LoginAs

ACCOUNT = "6200777788889999"


@pytest.fixture
def freeze_id(engine: Engine) -> str:
    ensure_unit(engine, "U1", "STATION", CITY_UNIT)
    with UnitOfWork(session_factory(engine)) as uow:
        f = service.new_freeze(
            uow.session, unit_id="U1", account=ACCOUNT, amount_fen=250_000, now=datetime.now(UTC)
        )
        uow.commit()
    return f.freeze_id


@pytest.fixture
def officer(login_as: LoginAs, freeze_id: str) -> TestClient:
    return login_as("stop_payment_officer", "U1")


def _freeze(engine: Engine, freeze_id: str) -> FreezeOrder:
    with UnitOfWork(session_factory(engine)) as uow:
        f = FundsRepository(uow.session).get_freeze(freeze_id)
    assert f is not None
    return f


def _version(page: str, freeze_id: str, action: str) -> str:
    form = re.search(rf'action="/funds/freezes/{freeze_id}/{action}">(.*?)</form>', page, re.S)
    assert form is not None, f"no {action} form"
    found = re.search(r'name="version" value="([^"]*)"', form.group(1))
    assert found is not None
    return found.group(1)


def _post(client: TestClient, freeze_id: str, action: str, **data: str):
    return client.post(f"/funds/freezes/{freeze_id}/{action}", data=data, follow_redirects=False)


def _audits(engine: Engine, freeze_id: str) -> list[tuple[str | None, str]]:
    with UnitOfWork(session_factory(engine)) as uow:
        rows = uow.session.scalars(
            select(AuditRow).where(AuditRow.object_id == freeze_id).order_by(AuditRow.id)
        )
        return [(r.purpose, r.outcome) for r in rows]


def test_approve_without_a_bank_queues_and_a_double_submit_does_nothing(
    officer: TestClient, engine: Engine, freeze_id: str
) -> None:
    page = officer.get("/funds/orders").text
    assert ACCOUNT not in page
    version = _version(page, freeze_id, "approve")
    done = _post(officer, freeze_id, "approve", version=version)
    assert done.status_code == 303
    assert "bank=bank_queued" in done.headers["location"]
    assert "未配置银行接口" in officer.get(done.headers["location"]).text
    f = _freeze(engine, freeze_id)
    assert f.status is FreezeStatus.APPROVED
    assert f.approved_by  # the caller is the named approver
    again = _post(officer, freeze_id, "approve", version=version)
    assert again.status_code == 409
    assert "本次提交未执行" in again.text
    assert _freeze(engine, freeze_id) == f
    assert _audits(engine, freeze_id) == [("approve", "ok"), ("approve", "stale")]


def test_approve_renew_release_reach_the_simulated_bank(
    app: FastAPI, officer: TestClient, engine: Engine, freeze_id: str
) -> None:
    with SimulatedBank() as bank:
        app.state.settings = app.state.settings.model_copy(update={"funds_bank_url": bank.url})
        page = officer.get("/funds/orders").text
        done = _post(officer, freeze_id, "approve", version=_version(page, freeze_id, "approve"))
        assert "bank=bank_done" in done.headers["location"]
        assert _freeze(engine, freeze_id).status is FreezeStatus.ACTIVE
        page = officer.get("/funds/orders").text
        stale = _version(page, freeze_id, "renew")
        renewed = _post(officer, freeze_id, "renew", version=stale, months="2")
        assert "bank=bank_done" in renewed.headers["location"]
        assert "续冻指令：银行已办理" in officer.get(renewed.headers["location"]).text
        assert _post(officer, freeze_id, "renew", version=stale, months="2").status_code == 409
        assert len(_freeze(engine, freeze_id).renewals) == 1
        page = officer.get("/funds/orders").text
        version = _version(page, freeze_id, "release")
        no_reason = _post(officer, freeze_id, "release", version=version, reason=" ")
        assert no_reason.status_code == 422
        assert "解冻须填写原因" in no_reason.text
        released = _post(officer, freeze_id, "release", version=version, reason="经核实与案件无关")
        assert "bank=bank_done" in released.headers["location"]
        assert ACCOUNT not in bank.state.frozen_by
        kinds = [a.idempotency_key.partition(":")[0] for a in bank.state.answers.values()]
    assert kinds == ["FREEZE", "RENEW", "RELEASE"]
    f = _freeze(engine, freeze_id)
    assert f.status is FreezeStatus.RELEASED
    assert f.release_reason == "经核实与案件无关"


def test_a_silent_bank_leaves_the_renewal_pending_retry_on_the_page(
    app: FastAPI, officer: TestClient, engine: Engine, freeze_id: str
) -> None:
    with SimulatedBank() as bank:
        app.state.settings = app.state.settings.model_copy(
            update={"funds_bank_url": bank.url, "funds_bank_timeout_s": 0.3}
        )
        bank.state.delay_s = 1.0
        page = officer.get("/funds/orders").text
        _post(officer, freeze_id, "approve", version=_version(page, freeze_id, "approve"))
        bank.state.mode = "silent"
        page = officer.get("/funds/orders").text
        renewed = _post(officer, freeze_id, "renew", version=_version(page, freeze_id, "renew"))
        assert "bank=bank_retry" in renewed.headers["location"]
        shown = officer.get(renewed.headers["location"]).text
    assert "续冻指令：未获银行应答，待重发（银行超时未应答）" in shown
    assert "待重发队列" in shown


def test_roles_units_and_csrf(officer: TestClient, engine: Engine, freeze_id: str, login_as: LoginAs) -> None:
    version = _version(officer.get("/funds/orders").text, freeze_id, "approve")
    analyst = login_as("analyst", "U1")  # funds.view only: sees the freeze, no buttons
    page = analyst.get("/funds/orders").text
    assert freeze_id in page
    assert f"/funds/freezes/{freeze_id}/approve" not in page
    assert _post(analyst, freeze_id, "approve", version=version).status_code == 403
    ensure_unit(engine, "U2", "STATION", CITY_UNIT)
    other = login_as("stop_payment_officer", "U2")
    assert _post(other, freeze_id, "approve", version=version).status_code == 404
    assert _post(officer, freeze_id, "thaw", version=version).status_code == 404
    officer.headers.pop("X-CSRF-Token", None)
    assert _post(officer, freeze_id, "approve", version=version, csrf_token="bad").status_code == 403
    assert _freeze(engine, freeze_id).status is FreezeStatus.REQUESTED


def test_hold_confirm_and_release_by_api_reach_the_bank(app: FastAPI, officer: TestClient) -> None:
    held = "6222000000000777"
    body = {"subject_id": "P1", "accounts": [held], "unit_id": "U1"}
    hold_id = officer.post("/api/funds/holds", json=body).json()["hold_id"]
    with SimulatedBank() as bank:
        app.state.settings = app.state.settings.model_copy(update={"funds_bank_url": bank.url})
        assert officer.post(f"/funds/holds/{hold_id}/confirm", follow_redirects=False).status_code == 303
        assert bank.state.held == {held}
        page = officer.get("/funds/orders").text
        assert "保护性止付指令：银行已办理" in page
        assert (
            officer.post(f"/api/funds/holds/{hold_id}/release", json={"reason": "已核实"}).status_code == 200
        )
        assert bank.state.held == set()
    assert "解除保护性止付指令：银行已办理" in officer.get("/funds/orders").text
