"""The public self-check and report pages and API: no sign-in, exact answers, no personal data, no
dumping, a limit per address, and pages that need no inline script or style."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fanzha.event.codes import FraudType, IndicatorKind
from fanzha.event.entities import Indicator
from fanzha.store.engine import session_factory
from fanzha.uow import UnitOfWork
from fanzha.web.app import create_app

from .auth_helpers import fast_settings

LISTED_PHONE = "17000000009"


@pytest.fixture
def listed(engine: Engine) -> Engine:
    with UnitOfWork(session_factory(engine)) as uow:
        uow.lists.upsert(
            [
                Indicator(kind=IndicatorKind.PHONE, value=LISTED_PHONE, fraud_type=FraudType.FAKE_AUTHORITY),
                Indicator(kind=IndicatorKind.PHONE, value="17000000010", fraud_type=FraudType.LOAN),
            ]
        )
        uow.commit()
    return engine


@pytest.fixture
def anonymous(app: FastAPI, listed: Engine) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def test_the_check_page_needs_no_sign_in_and_answers_with_type_and_tip(anonymous: TestClient) -> None:
    page = anonymous.get("/check")
    assert page.status_code == 200
    assert "涉诈风险查询" in page.text
    hit = anonymous.post("/check", data={"kind": "PHONE", "value": "170-0000-0009"})
    assert hit.status_code == 200
    assert "已收录涉诈信息：冒充公检法" in hit.text
    assert "安全账户" in hit.text  # the type's standard tip
    assert "1700000000" not in hit.text  # the value is not echoed back
    miss = anonymous.post("/check", data={"kind": "PHONE", "value": "13900000001"})
    assert "未收录" in miss.text
    assert "不代表安全" in miss.text


def test_the_api_answers_only_the_verdict_type_and_tip(anonymous: TestClient) -> None:
    hit = anonymous.post("/api/public/check", json={"kind": "PHONE", "value": "+86 17000000009"}).json()
    assert set(hit) == {"verdict", "message", "fraud_type", "fraud_type_label", "tip"}
    assert hit["verdict"] == "KNOWN_FRAUD"
    assert hit["fraud_type"] == "FAKE_AUTHORITY"
    assert LISTED_PHONE not in str(hit)
    miss = anonymous.post(
        "/api/public/check", json={"kind": "URL", "value": "https://example-shop.cn/a"}
    ).json()
    assert miss["verdict"] == "NOT_KNOWN"
    assert miss["fraud_type"] is None


@pytest.mark.parametrize("value", ["1700000000*", "170%", "17000000", "%", "*"])
def test_no_wildcard_or_partial_value_lists_entries(anonymous: TestClient, value: str) -> None:
    answer = anonymous.post("/api/public/check", json={"kind": "PHONE", "value": value}).json()
    assert answer["verdict"] in ("INVALID", "NOT_KNOWN")
    assert answer["fraud_type"] is None


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "PHONE", "value": 17000000009},  # a number is not a string
        {"kind": "PHONE", "value": True},
        {"kind": "EMAIL", "value": "a@b.cn"},
        {"kind": "PHONE", "value": "17000000009", "extra": 1},
    ],
)
def test_bad_requests_are_refused(anonymous: TestClient, body: dict[str, object]) -> None:
    assert anonymous.post("/api/public/check", json=body).status_code == 422


def test_each_address_is_limited(engine: Engine, listed: Engine) -> None:
    app = create_app(fast_settings(prevention_file=None), engine)
    with TestClient(app) as c:
        answers = [
            c.post("/api/public/check", json={"kind": "PHONE", "value": "13900000001"}) for _ in range(21)
        ]
        assert [a.status_code for a in answers[:20]] == [200] * 20
        assert answers[20].status_code == 429
        assert int(answers[20].headers["Retry-After"]) > 0
        assert c.post("/check", data={"kind": "PHONE", "value": "13900000001"}).status_code == 429


def test_reports_are_received_without_an_id_to_probe(anonymous: TestClient) -> None:
    body = {
        "kind": "URL",
        "value": "http://jiedong-fei.vip/pay",
        "fraud_type": "LOAN",
        "description": "要交解冻费",
    }
    answer = anonymous.post("/api/public/reports", json=body)
    assert answer.status_code == 202
    assert answer.json() == {"status": "received", "message": "举报已收到，民警将尽快核查。感谢您的支持！"}
    assert anonymous.post("/api/public/reports", json={"kind": "PHONE", "value": "12"}).status_code == 422
    page = anonymous.post(
        "/report", data={"kind": "CHAT", "value": "wxid_fake_boss", "fraud_type": "FAKE_BOSS_ACQ"}
    )
    assert page.status_code == 200
    assert "举报已收到" in page.text
    for _ in range(3):
        anonymous.post("/api/public/reports", json=body)
    assert anonymous.post("/api/public/reports", json=body).status_code == 429  # five an hour


def test_public_pages_run_under_a_strict_csp(anonymous: TestClient) -> None:
    for page in (
        anonymous.get("/check"),
        anonymous.get("/report"),
        anonymous.post("/check", data={"kind": "URL"}),
    ):
        inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page.text)
        assert inline_scripts == []
        assert " style=" not in page.text
        assert not re.search(r"<[^>]*\son[a-z]+=", page.text)  # no inline event handlers
