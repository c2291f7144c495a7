"""Console 止付冻结 and the trace page's 紧急止付 form: Chinese, masked, countdown, roles, idempotency."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fanzha.funds import holds_service as hs
from fanzha.funds import service
from fanzha.funds.model import BankResult
from fanzha.funds.protocol import PROTOCOL, Answer
from fanzha.funds.repository import FundsRepository
from fanzha.jobs.bank.sim_server import SimulatedBank
from fanzha.store.engine import session_factory
from fanzha.store.tables import AccountRow, PersonRow
from fanzha.store.tables_funds import TransferRow
from fanzha.uow import UnitOfWork
from tests.web.auth_helpers import CITY_UNIT, ensure_unit
from tests.web.conftest import LoginAs

T0 = datetime(2025, 3, 1, 2, 5, tzinfo=UTC)
VICTIM = "6222333344445555"
L1 = "6200111122223333"
L2 = "6200444455556666"
RAW = (VICTIM, L1, L2)


@pytest.fixture
def chain(engine: Engine) -> None:
    ensure_unit(engine, "U1", "STATION", CITY_UNIT)
    with UnitOfWork(session_factory(engine)) as uow:
        uow.session.add(PersonRow(person_id="PV", name="赵六", groups=[], unit_id="U1"))
        uow.session.add(AccountRow(account=VICTIM, person_id="PV"))
        uow.session.add(AccountRow(account=L1, person_id="PM", bank="某商业银行"))
        for event_id, payer, payee, minutes, fen in (
            ("fv1", VICTIM, L1, 0, 1_000_000),
            ("fm1", L1, L2, 10, 700_000),
        ):
            at = T0 + timedelta(minutes=minutes)
            uow.session.add(TransferRow(event_id=event_id, payer=payer, payee=payee, at=at, amount_fen=fen))
        uow.commit()


@pytest.fixture
def officer(engine: Engine, login_as: LoginAs, chain: None) -> TestClient:
    return login_as("stop_payment_officer", "U1")


def _no_raw(text: str) -> None:
    for value in RAW:
        assert value not in text


def _form(page: str, via: str) -> dict[str, str]:
    """The hidden fields of the stop form for the account reached by transfer `via`."""
    forms = re.findall(r'<form method="post" action="/funds/trace/fv1/stop">(.*?)</form>', page, re.S)
    for form in forms:
        fields = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', form))
        if fields.get("via_event_id") == via:
            return fields
    raise AssertionError(f"no stop form for {via}")


def _stops(engine: Engine) -> list:
    with UnitOfWork(session_factory(engine)) as uow:
        return FundsRepository(uow.session).list_stops()


def test_stop_form_creates_one_order_and_a_third_is_refused(officer: TestClient, engine: Engine) -> None:
    page = officer.get("/funds/trace/fv1").text
    _no_raw(page)
    assert "紧急止付" in page
    assert "/funds/orders" in page
    fields = _form(page, "fv1")
    first = officer.post("/funds/trace/fv1/stop", data=fields, follow_redirects=False)
    assert first.status_code == 303
    assert "notice=stop_queued" in first.headers["location"]
    again = officer.post("/funds/trace/fv1/stop", data=fields, follow_redirects=False)  # stale double submit
    assert "notice=stop_duplicate" in again.headers["location"]
    orders = _stops(engine)
    assert [(o.payee_account, o.layer, o.amount_fen, o.status.value) for o in orders] == [
        (L1, 1, 1_000_000, "DRAFT")
    ]
    assert orders[0].unit_id == "U1"
    assert orders[0].payee_bank_hq == "某商业银行"
    listing = officer.get(first.headers["location"]).text
    assert "未配置银行接口" in listing
    assert "待发送银行" in listing
    second = officer.post("/funds/trace/fv1/stop", data=_form(officer.get("/funds/trace/fv1").text, "fv1"))
    assert second.status_code == 200  # followed to the orders page
    assert len(_stops(engine)) == 2
    page = officer.get("/funds/trace/fv1").text
    assert "已达止付上限" in page
    third = officer.post("/funds/trace/fv1/stop", data={**fields, "idempotency_key": "a" * 32})
    assert third.status_code == 422
    assert "最多止付 2 次" in third.text
    _no_raw(third.text)
    assert len(_stops(engine)) == 2
    assert officer.post("/funds/trace/fv1/stop", data={**fields, "idempotency_key": "x"}).status_code == 422
    level2 = officer.post("/funds/trace/fv1/stop", data=_form(page, "fm1"), follow_redirects=False)
    assert level2.status_code == 303
    assert sorted(o.layer for o in _stops(engine)) == [1, 1, 2]


def test_orders_page_is_chinese_masked_with_countdown_and_alert(officer: TestClient, engine: Engine) -> None:
    now = datetime.now(UTC)
    with UnitOfWork(session_factory(engine)) as uow:
        order = service.new_stop(
            uow.session, unit_id="U1", payee_account=L1, amount_fen=123_456, txn_time=T0, payer_account=VICTIM
        )
        sent = service.mark_sent(uow.session, "STOP", order.order_id, now - timedelta(hours=44))
        answer = Answer(
            protocol=PROTOCOL,
            message_id="in-1",
            in_reply_to=sent.message_id,
            idempotency_key=f"STOP:{order.order_id}",
            result=BankResult.STOPPED,
            at=now - timedelta(hours=44),
        )
        service.record_answers(uow.session, [answer], now)
        hold = hs.propose_hold(uow.session, unit_id="U1", subject_id="PV", accounts=[VICTIM], now=now)
        uow.commit()
    page = officer.get("/funds/orders")
    assert page.status_code == 200
    _no_raw(page.text)
    assert "止付中" in page.text
    assert "6200****3333" in page.text
    assert "¥1,234.56" in page.text
    expires = (now + timedelta(hours=4)).isoformat()[:16]
    assert re.search(rf'data-due="{re.escape(expires)}', page.text)
    assert "/static/workflow/countdown.js" in page.text
    assert "止付即将到期，尚未冻结" in page.text
    assert "1 / 2" in page.text
    assert "保护性止付待确认" in page.text
    assert f"/funds/holds/{hold.hold_id}/confirm" in page.text
    done = officer.post(f"/funds/holds/{hold.hold_id}/confirm", follow_redirects=False)
    assert done.status_code == 303
    assert "保护性止付中" in officer.get(done.headers["location"]).text
    assert officer.post(f"/funds/holds/{hold.hold_id}/confirm").status_code == 422


def test_roles_and_units(officer: TestClient, engine: Engine, login_as: LoginAs) -> None:
    fields = _form(officer.get("/funds/trace/fv1").text, "fv1")
    officer.post("/funds/trace/fv1/stop", data=fields)
    assert 'href="/funds/orders"' in officer.get("/").text
    station = login_as("station_officer", "U1")
    assert station.get("/funds/orders").status_code == 403
    assert 'href="/funds/orders"' not in station.get("/").text
    analyst = login_as("analyst", "U1")  # funds.view: sees the orders, no buttons, may not post
    seen = analyst.get("/funds/orders").text
    assert "6200****3333" in seen
    assert "无止付权限" in analyst.get("/funds/trace/fv1").text
    assert (
        analyst.post("/funds/trace/fv1/stop", data={**fields, "idempotency_key": "b" * 32}).status_code == 403
    )
    ensure_unit(engine, "U2", "STATION", CITY_UNIT)
    other = login_as("stop_payment_officer", "U2")
    assert "6200****3333" not in other.get("/funds/orders").text
    assert (
        other.post("/funds/trace/fv1/stop", data={**fields, "idempotency_key": "c" * 32}).status_code == 404
    )
    assert len(_stops(engine)) == 1


def test_form_without_csrf_is_refused(engine: Engine, officer: TestClient) -> None:
    fields = _form(officer.get("/funds/trace/fv1").text, "fv1")
    officer.headers.pop("X-CSRF-Token", None)
    assert officer.post("/funds/trace/fv1/stop", data={**fields, "csrf_token": "bad"}).status_code == 403
    assert _stops(engine) == []


def test_stop_is_sent_to_the_bank_when_an_endpoint_is_configured(
    app: FastAPI, officer: TestClient, engine: Engine
) -> None:
    with SimulatedBank() as bank:
        app.state.settings = app.state.settings.model_copy(update={"funds_bank_url": bank.url})
        fields = _form(officer.get("/funds/trace/fv1").text, "fv1")
        sent = officer.post("/funds/trace/fv1/stop", data=fields, follow_redirects=False)
    assert "notice=stop_sent" in sent.headers["location"]
    assert [o.status.value for o in _stops(engine)] == ["STOPPED"]
    page = officer.get(sent.headers["location"]).text
    assert "银行已反馈" in page
    assert "止付中" in page
    assert 'data-due="' in page
