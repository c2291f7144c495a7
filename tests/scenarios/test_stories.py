"""Scripted stories, end to end through the runner and the store: what an officer would see."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine

from fanzha.event.codes import FraudType, RiskLevel
from fanzha.jobs.worker import Worker
from fanzha.store.engine import session_factory
from fanzha.stream.runner import Runner
from fanzha.stream.sources import read_records
from fanzha.uow import UnitOfWork
from fanzha.warning.model import Warning
from tests.factories import FRAUD_ACCOUNT, VICTIM_PHONE, at, call, install, record, transfer
from tests.integration.test_runner import seed


def run_story(engine: Engine, tmp_path: Path, story: list[dict]) -> list[Warning]:
    seed(engine)
    path = tmp_path / "story.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in story), encoding="utf-8")
    Runner(engine, event_time=True).run(read_records(path), source="story")
    Worker(engine).route_received()  # the intake gives each new warning to its owner, as `serve` does
    with UnitOfWork(session_factory(engine)) as uow:
        return uow.warnings.list(open_only=False)


def test_fake_police_call_screen_share_then_payment_to_a_listed_account(
    engine: Engine, tmp_path: Path
) -> None:
    """冒充公检法: a long call from a listed number, a screen-sharing app, then the 'safe account'."""
    story = [
        call(0, duration_s=1800),
        install(25, app="安全防护", category="SCREEN_SHARE"),
        transfer(40, payee=FRAUD_ACCOUNT, amount_fen=5_000_000),
        transfer(90, payee=FRAUD_ACCOUNT, amount_fen=10_000_000),
    ]
    (warning,) = run_story(engine, tmp_path, story)
    assert warning.person_id == "P1"
    assert warning.unit_id == "S01"
    assert warning.level is RiskLevel.CRITICAL
    assert warning.fraud_type is FraudType.FAKE_AUTHORITY
    assert warning.propose_stop_payment
    assert warning.first_event_id == story[0]["event_id"]
    codes = {r.code for r in warning.reasons}
    assert {"PAYEE_LISTED", "TRANSFER_AFTER_FRAUD_CONTACT", "TRANSFER_AFTER_SCREEN_SHARE"} <= codes
    payee = next(r for r in warning.reasons if r.code == "PAYEE_LISTED")
    assert payee.evidence["amount_fen"] in {5_000_000, 10_000_000}
    # Raised at the first moment the evidence allowed (event time): the long call itself.
    assert warning.created_at == at(0)


def test_unlisted_fraud_is_caught_when_the_upstream_lead_arrives(engine: Engine, tmp_path: Path) -> None:
    """刷单返利 through accounts no list knows yet: only the national centre's lead reveals it."""
    story = [
        record("sms", 0, phone=VICTIM_PHONE, counterpart="16500001111", direction="IN"),
        transfer(30, payee="6200777700000001", amount_fen=30_000),
        transfer(60, payee="6200777700000001", amount_fen=80_000),
        record("lead", 300, person_id="P1", source="NAFC_FUND", level="HIGH", fraud_type="BRUSHING"),
    ]
    (warning,) = run_story(engine, tmp_path, story)
    assert warning.level is RiskLevel.HIGH
    assert warning.fraud_type is FraudType.BRUSHING
    assert [r.code for r in warning.reasons] == ["LEAD_HIGH"]


def test_ordinary_life_raises_nothing(engine: Engine, tmp_path: Path) -> None:
    story = [
        call(0, counterpart="13900001234", duration_s=300),
        record("sms", 1, phone=VICTIM_PHONE, counterpart="95588", direction="IN"),
        install(2, app="美团", category="OTHER"),
        record("url_visit", 3, phone=VICTIM_PHONE, url="https://www.taobao.com/"),
        transfer(10, amount_fen=12_900),
    ]
    assert run_story(engine, tmp_path, story) == []


def test_a_warning_grows_with_the_story_instead_of_multiplying(engine: Engine, tmp_path: Path) -> None:
    story = [call(0, duration_s=5), call(10, duration_s=600), transfer(20), transfer(30, payee=FRAUD_ACCOUNT)]
    (warning,) = run_story(engine, tmp_path, story)
    # The cold call alone (score 10) is below the warning level: assessed, no warning yet.
    assert warning.first_event_id == story[1]["event_id"]
    assert warning.signal_count == 3
    assert warning.level is RiskLevel.CRITICAL
    assert "FRAUD_NUMBER_CONTACT" in {r.code for r in warning.reasons}
    with UnitOfWork(session_factory(engine)) as uow:
        assert uow.assessments.count() == 4
