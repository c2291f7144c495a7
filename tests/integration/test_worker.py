"""The worker in real time (a deadline fires within seconds and escalates) and SMS delivery with retries."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import Engine

from fanzha.clock import ManualClock, SystemClock
from fanzha.dispatch.channels.sms import render
from fanzha.event.codes import FraudType, RiskLevel
from fanzha.jobs.sms.fake_gateway import FakeSmsGateway
from fanzha.jobs.sms.gateway import HttpSmsGateway
from fanzha.jobs.sms.sender import SmsSender
from fanzha.jobs.worker import Worker
from fanzha.store.engine import session_factory
from fanzha.uow import UnitOfWork
from fanzha.warning import lifecycle as lc
from fanzha.warning.deadlines import default_config
from fanzha.warning.model import WarningStatus
from tests.workflow_seed import PHONE, T0, add_warning, seed_city


@pytest.fixture
def gateway() -> Iterator[FakeSmsGateway]:
    fake = FakeSmsGateway(port=0).start()
    yield fake
    fake.stop()


def _uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(session_factory(engine))


def test_a_due_deadline_fires_within_seconds_and_escalates(engine: Engine) -> None:
    seed_city(engine)
    fast = dict(default_config().sla_minutes)
    fast["CRITICAL"] = {"SIGN": 0.02, "CONTACT": 60, "MEET": None, "FEEDBACK": 120}  # sign-off due in 1.2 s
    worker = Worker(
        engine, config=default_config().model_copy(update={"sla_minutes": fast}), clock=SystemClock()
    )
    warning_id = add_warning(engine)
    worker.start()
    try:
        deadline = time.monotonic() + 20  # generous: the point is "seconds, not an hourly sweep"
        fired = None
        while time.monotonic() < deadline and fired is None:
            with _uow(engine) as uow:
                fired = next(
                    (
                        (d.kind, d.due_at, d.fired_at)
                        for d in uow.workflow.deadlines([warning_id])
                        if d.state == "FIRED"
                    ),
                    None,
                )
            time.sleep(0.05)
    finally:
        worker.stop()
    assert fired is not None, "the sign-off deadline did not fire"
    kind, due_at, fired_at = fired
    assert kind == "SIGN"
    assert fired_at is not None
    lateness = (fired_at - due_at).total_seconds()
    print(f"sign-off deadline fired {lateness:.2f} s after falling due")
    assert lateness >= 0
    with _uow(engine) as uow:
        state = uow.workflow.load(warning_id)
        assert state is not None
        assert state.warning.status is WarningStatus.ASSIGNED  # the station keeps the warning
        assert (state.overdue, state.escalated_unit_id, state.escalation_count) == (True, "B01", 1)
        escalation = [t for t in uow.workflow.transitions(warning_id) if t.command == "escalate"]
        assert [(t.actor, t.data["reason"]) for t in escalation] == [("system", "超时未签收")]
        assert [d.kind for d in uow.workflow.deadlines([warning_id]) if d.state == "PENDING"] == [
            "CONTACT",
            "FEEDBACK",
        ]


def test_a_failing_gateway_is_retried_with_backoff_and_delivers_once(
    engine: Engine, gateway: FakeSmsGateway
) -> None:
    seed_city(engine)
    clock = ManualClock(T0)
    worker = Worker(engine, clock=clock, gateway=HttpSmsGateway(gateway.url))
    warning_id = add_warning(engine, level=RiskLevel.LOW)
    gateway.fail_next(2)
    first = worker.tick()  # routes the warning, stages the SMS and makes the first attempt
    assert (first.routed, first.sms_failed) == (1, 1)
    assert worker.sender is not None
    delays = []
    for _ in range(5):
        with _uow(engine) as uow:
            [sms] = uow.outbox.sms_for([warning_id])
        if sms.status == "SENT":
            break
        delays.append(sms.next_attempt_at - clock.now())
        assert worker.sender.deliver_due().failed == 0  # not due yet: nothing is sent early
        clock.advance(delays[-1])
        worker.sender.deliver_due()
    assert delays == [timedelta(seconds=2), timedelta(seconds=4)]
    assert (sms.status, sms.attempts, sms.gateway_id) == ("SENT", 3, "fake-1")
    assert gateway.requests == 3
    assert len(gateway.delivered) == 1
    assert gateway.delivered[0].to == PHONE
    with _uow(engine) as uow:
        sent = [t for t in uow.workflow.transitions(warning_id) if t.command == "sms_sent"]
        assert [t.channel for t in sent] == ["SMS"]
        contact = next(d for d in uow.workflow.deadlines([warning_id]) if d.kind == "CONTACT")
        assert contact.state == "MET"  # LOW: the warning SMS is the first contact


def test_a_retry_after_a_lost_answer_does_not_send_twice(gateway: FakeSmsGateway) -> None:
    adapter = HttpSmsGateway(gateway.url)
    first = adapter.send(key="warning:1:sms:1", phone=PHONE, text="x")
    again = adapter.send(key="warning:1:sms:1", phone=PHONE, text="x")
    assert first == again
    assert len(gateway.delivered) == 1
    listing = httpx.get(f"{gateway.url}/messages").json()
    assert listing[0]["to"] == "139****2222"


def test_an_unreachable_gateway_keeps_the_message(engine: Engine) -> None:
    seed_city(engine)
    clock = ManualClock(T0)
    dead = FakeSmsGateway(port=0)
    url = dead.url
    dead.stop()  # nothing listens there any more
    worker = Worker(engine, clock=clock, gateway=HttpSmsGateway(url, timeout=1))
    warning_id = add_warning(engine, level=RiskLevel.LOW)
    worker.tick()
    with _uow(engine) as uow:
        [sms] = uow.outbox.sms_for([warning_id])
    assert (sms.status, sms.attempts) == ("PENDING", 1)
    assert sms.last_error is not None
    assert PHONE not in sms.last_error


@pytest.mark.parametrize("fraud_type", list(FraudType))
def test_the_warning_text_has_no_link_number_or_personal_data(fraud_type: FraudType) -> None:
    text = render(fraud_type)
    assert not any(ch.isdigit() for ch in text)
    assert "http" not in text
    assert "www" not in text
    assert "反诈" in text


def test_sender_backoff_is_capped() -> None:
    sender = SmsSender(lambda: None, None, ManualClock(T0))  # type: ignore[arg-type]
    assert [sender.retry_delay(n).total_seconds() for n in (1, 2, 3)] == [2, 4, 8]
    assert sender.retry_delay(30) == timedelta(minutes=5)


def test_a_level_rise_brings_pending_deadlines_forward(engine: Engine) -> None:
    seed_city(engine)
    clock = ManualClock(T0)
    worker = Worker(engine, clock=clock, fallback_unit="B01S01")
    warning_id = add_warning(engine, level=RiskLevel.MEDIUM, unit_id=None)
    worker.tick()  # routed and assigned: MEDIUM deadlines from T0
    with _uow(engine) as uow:
        before = {d.kind: d.due_at for d in uow.workflow.deadlines([warning_id]) if d.state == "PENDING"}
    assert before
    clock.advance(timedelta(minutes=10))
    with _uow(engine) as uow:  # new signals raise the open warning to CRITICAL
        warning = uow.warnings.get(warning_id)
        assert warning is not None
        uow.warnings.save(replace(warning, level=RiskLevel.CRITICAL, updated_at=clock.now()))
        uow.commit()
    assert worker.tick().tightened == 1
    with _uow(engine) as uow:
        after = {d.kind: d.due_at for d in uow.workflow.deadlines([warning_id]) if d.state == "PENDING"}
    config = default_config()
    for kind, due in after.items():
        critical = config.sla(RiskLevel.CRITICAL, lc.DeadlineKind(kind))
        assert due <= before[kind]
        if critical is not None and clock.now() + critical < before[kind]:
            assert due == clock.now() + critical  # the stricter SLA, counted from the rise
    assert any(after[k] < before[k] for k in after)
    assert worker.tick().tightened == 0  # idempotent: deadlines only ever move earlier
