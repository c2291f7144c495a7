"""The bank adapter against the real simulated bank on 127.0.0.1: silence, duplicates, garbage."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from fanzha.clock import ManualClock
from fanzha.funds import freeze as fz
from fanzha.funds import service
from fanzha.funds.model import FreezeStatus, StopStatus, TransitionError
from fanzha.funds.repository import FundsRepository
from fanzha.jobs.bank import exchange
from fanzha.jobs.bank.adapter import BankAdapter
from fanzha.jobs.bank.sim_server import SimulatedBank
from fanzha.store.engine import session_factory
from fanzha.uow import UnitOfWork

T0 = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
MULE = "6200999900000009"


@pytest.fixture
def store(sqlite_engine: Engine) -> Engine:
    return sqlite_engine


@pytest.fixture
def bank() -> Iterator[SimulatedBank]:
    with SimulatedBank() as sim:
        sim.state.delay_s = 1.5
        yield sim


def _uow(engine: Engine):
    factory = session_factory(engine)
    return lambda: UnitOfWork(factory)


def _draft(engine: Engine, account: str = MULE, name: str | None = "李四") -> str:
    with _uow(engine)() as uow:
        order = service.new_stop(
            uow.session,
            unit_id="u1",
            payee_account=account,
            payee_name=name,
            amount_fen=500_000,
            txn_time=T0,
            payer_account="6222000000000001",
        )
        uow.commit()
    return order.order_id


def _stop(engine: Engine, order_id: str):
    with _uow(engine)() as uow:
        order = FundsRepository(uow.session).get_stop(order_id)
        messages = [(m.direction, m.status) for m in FundsRepository(uow.session).messages_for(order_id)]
    assert order is not None
    return order, messages


def test_normal_answer_stops_the_account_for_48_hours(store: Engine, bank: SimulatedBank) -> None:
    order_id = _draft(store)
    with BankAdapter(bank.url) as adapter:
        assert exchange.send(_uow(store), adapter, "STOP", order_id, ManualClock(T0)) == ["APPLIED"]
    order, messages = _stop(store, order_id)
    assert order.status is StopStatus.STOPPED
    assert order.expires_at is not None
    assert order.stopped_at is not None
    assert order.expires_at - order.stopped_at == service.FundsSettings().stop.duration
    assert messages == [("OUT", "SENT"), ("IN", "APPLIED")]


def test_silent_bank_leaves_a_clear_pending_state_and_a_retry_gets_the_answer(
    store: Engine, bank: SimulatedBank
) -> None:
    order_id = _draft(store)
    bank.state.mode = "silent"
    with BankAdapter(bank.url, timeout_s=0.3) as adapter:
        assert exchange.send(_uow(store), adapter, "STOP", order_id, ManualClock(T0)) == ["TIMEOUT"]
        order, _ = _stop(store, order_id)
        assert order.status is StopStatus.PENDING_RETRY
        assert order.last_error == "TIMEOUT"
        bank.state.mode = "normal"
        assert exchange.send(_uow(store), adapter, "STOP", order_id, ManualClock(T0)) == ["APPLIED"]
    order, messages = _stop(store, order_id)
    assert order.status is StopStatus.STOPPED
    assert order.attempts == 2
    assert messages == [("OUT", "SENT"), ("IN", "TIMEOUT"), ("OUT", "SENT"), ("IN", "APPLIED")]
    # the bank did the work once: the retry carried the same idempotency key
    assert len(bank.state.answers) == 1


def test_unreachable_bank_is_a_clear_state_too(store: Engine) -> None:
    order_id = _draft(store)
    with SimulatedBank() as gone:
        url = gone.url
    with BankAdapter(url, timeout_s=0.5) as adapter:
        assert exchange.send(_uow(store), adapter, "STOP", order_id, ManualClock(T0)) == ["UNREACHABLE"]
    assert _stop(store, order_id)[0].status is StopStatus.PENDING_RETRY


def test_duplicate_answers_are_applied_once(store: Engine, bank: SimulatedBank) -> None:
    order_id = _draft(store)
    bank.state.mode = "duplicate"
    with BankAdapter(bank.url) as adapter:
        assert exchange.send(_uow(store), adapter, "STOP", order_id, ManualClock(T0)) == [
            "APPLIED",
            "DUPLICATE",
        ]
        assert exchange.poll(_uow(store), adapter, "STOP", order_id, ManualClock(T0)) == ["DUPLICATE"] * 2
    order, messages = _stop(store, order_id)
    assert order.status is StopStatus.STOPPED
    assert messages.count(("IN", "APPLIED")) == 1
    with _uow(store)() as uow:
        assert FundsRepository(uow.session).stops_on(MULE) == 1


def test_garbage_is_rejected_and_the_order_stays_clear(store: Engine, bank: SimulatedBank) -> None:
    order_id = _draft(store)
    bank.state.mode = "garbage"
    with BankAdapter(bank.url) as adapter:
        assert exchange.send(_uow(store), adapter, "STOP", order_id, ManualClock(T0)) == ["BAD_ANSWER"]
    order, messages = _stop(store, order_id)
    assert order.status is StopStatus.PENDING_RETRY
    assert order.last_error == "BAD_ANSWER"
    assert messages[-1] == ("IN", "REJECTED")


def test_mismatch_and_the_third_stop(store: Engine, bank: SimulatedBank) -> None:
    bank.state.holders[MULE] = "王五"
    order_id = _draft(store, name="李四")
    with BankAdapter(bank.url) as adapter:
        exchange.send(_uow(store), adapter, "STOP", order_id, ManualClock(T0))
        assert _stop(store, order_id)[0].status is StopStatus.MISMATCH
        bank.state.holders.clear()
        for _ in range(2):
            exchange.send(_uow(store), adapter, "STOP", _draft(store), ManualClock(T0))
    with pytest.raises(TransitionError, match="at most 2"):
        _draft(store)


def test_freeze_converts_the_stop_and_a_second_freeze_queues(store: Engine, bank: SimulatedBank) -> None:
    order_id = _draft(store)
    clock = ManualClock(T0)
    new = _uow(store)
    with BankAdapter(bank.url) as adapter:
        exchange.send(new, adapter, "STOP", order_id, clock)
        ids = []
        for unit in ("u1", "u2"):
            with new() as uow:
                f = service.new_freeze(
                    uow.session,
                    unit_id=unit,
                    account=MULE,
                    amount_fen=500_000,
                    now=T0,
                    stop_order_id=order_id,
                )
                service.command_freeze(uow.session, f.freeze_id, fz.Approve("王局长", T0))
                uow.commit()
            exchange.send(new, adapter, "FREEZE", f.freeze_id, clock)
            ids.append(f.freeze_id)
    with new() as uow:
        repo = FundsRepository(uow.session)
        first, second = repo.get_freeze(ids[0]), repo.get_freeze(ids[1])
        stop = repo.get_stop(order_id)
    assert first is not None
    assert second is not None
    assert stop is not None
    assert first.status is FreezeStatus.ACTIVE
    assert second.status is FreezeStatus.QUEUED
    assert stop.status is StopStatus.CONVERTED
    with new() as uow:
        service.command_freeze(uow.session, ids[0], fz.Release(T0, "与案件无关"))
        uow.commit()
    with new() as uow:
        promoted = FundsRepository(uow.session).get_freeze(ids[1])
    assert promoted is not None
    assert promoted.status is FreezeStatus.ACTIVE
