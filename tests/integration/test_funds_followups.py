"""Renew, release and protective-hold instructions through the real simulated bank on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from fanzha.clock import ManualClock
from fanzha.funds import followups, service
from fanzha.funds import freeze as fz
from fanzha.funds import holds_service as hs
from fanzha.funds.model import FreezeStatus, TransitionError
from fanzha.funds.repository import FundsRepository
from fanzha.jobs.bank import exchange
from fanzha.jobs.bank.adapter import BankAdapter
from fanzha.jobs.bank.sim_server import SimulatedBank
from fanzha.store.engine import session_factory
from fanzha.store.tables_auth import AuditRow
from fanzha.uow import UnitOfWork

T0 = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
MULE = "6200999900000019"


@pytest.fixture
def store(sqlite_engine: Engine) -> Engine:
    return sqlite_engine


@pytest.fixture
def bank() -> Iterator[SimulatedBank]:
    with SimulatedBank() as sim:
        sim.state.delay_s = 1.0
        yield sim


def _uow(engine: Engine):
    factory = session_factory(engine)
    return lambda: UnitOfWork(factory)


def _active_freeze(engine: Engine, adapter: BankAdapter) -> str:
    with _uow(engine)() as uow:
        f = service.new_freeze(uow.session, unit_id="u1", account=MULE, amount_fen=300_000, now=T0)
        service.command_freeze(uow.session, f.freeze_id, fz.Approve("chief", T0))
        uow.commit()
    assert exchange.send(_uow(engine), adapter, "FREEZE", f.freeze_id, ManualClock(T0)) == ["APPLIED"]
    return f.freeze_id


def _command(engine: Engine, freeze_id: str, command: fz.Command) -> None:
    with _uow(engine)() as uow:
        service.command_freeze(uow.session, freeze_id, command)
        uow.commit()


def _states(engine: Engine) -> dict[str, tuple[str, str | None]]:
    with _uow(engine)() as uow:
        return {f.key: (f.state, f.reason) for f in followups.follow_ups(uow.session)}


def test_renew_and_release_are_queued_with_the_change_and_sent_once(
    store: Engine, bank: SimulatedBank
) -> None:
    with BankAdapter(bank.url) as adapter:
        freeze_id = _active_freeze(store, adapter)
        _command(store, freeze_id, fz.Renew(T0 + timedelta(days=170)))
        renew = f"RENEW:{freeze_id}:1"
        assert _states(store) == {renew: ("QUEUED", None)}  # no bank called yet: queued, not lost
        assert exchange.send_pending(_uow(store), adapter, ManualClock(T0)) == {renew: ["APPLIED"]}
        _command(store, freeze_id, fz.Release(T0 + timedelta(days=200), "unrelated funds"))
        release = f"RELEASE:{freeze_id}"
        assert exchange.send_pending(_uow(store), adapter, ManualClock(T0)) == {release: ["APPLIED"]}
        assert exchange.send_pending(_uow(store), adapter, ManualClock(T0)) == {}
        with pytest.raises(TransitionError):  # answered: a stale retry does nothing
            exchange.send_followup(_uow(store), adapter, release, ManualClock(T0))
    assert _states(store) == {renew: ("DONE", None), release: ("DONE", None)}
    assert MULE not in bank.state.frozen_by
    sent = [a.idempotency_key for a in bank.state.answers.values()]
    assert sent == [f"FREEZE:{freeze_id}", renew, release]


@pytest.mark.parametrize(("mode", "reason"), [("silent", "TIMEOUT"), ("garbage", "BAD_ANSWER")])
def test_silence_or_garbage_leaves_pending_retry_and_a_retry_completes(
    store: Engine, bank: SimulatedBank, mode: str, reason: str
) -> None:
    with BankAdapter(bank.url, timeout_s=0.3) as adapter:
        freeze_id = _active_freeze(store, adapter)
        _command(store, freeze_id, fz.Renew(T0 + timedelta(days=10), months=2))
        key = f"RENEW:{freeze_id}:1"
        bank.state.mode = mode
        assert exchange.send_pending(_uow(store), adapter, ManualClock(T0)) == {key: [reason]}
        assert _states(store) == {key: ("PENDING_RETRY", reason)}
        bank.state.mode = "normal"
        assert exchange.send_pending(_uow(store), adapter, ManualClock(T0)) == {key: ["APPLIED"]}
    assert _states(store) == {key: ("DONE", None)}


def test_duplicate_answers_to_a_follow_up_are_applied_once(store: Engine, bank: SimulatedBank) -> None:
    with BankAdapter(bank.url) as adapter:
        freeze_id = _active_freeze(store, adapter)
        _command(store, freeze_id, fz.Release(T0 + timedelta(days=1), "returned in full"))
        bank.state.mode = "duplicate"
        key = f"RELEASE:{freeze_id}"
        assert exchange.send_pending(_uow(store), adapter, ManualClock(T0)) == {key: ["APPLIED", "DUPLICATE"]}
        # a later poll repeats the answer: stored as DUPLICATE, nothing changes
        assert exchange.poll(_uow(store), adapter, "RELEASE", freeze_id, ManualClock(T0)) == ["DUPLICATE"] * 2
    assert _states(store) == {key: ("DONE", None)}


def test_a_refused_renewal_is_failed_for_a_human(store: Engine, bank: SimulatedBank) -> None:
    with BankAdapter(bank.url) as adapter:
        freeze_id = _active_freeze(store, adapter)
        bank.state.frozen_by.clear()  # the bank lost track of it
        _command(store, freeze_id, fz.Renew(T0 + timedelta(days=1)))
        exchange.send_pending(_uow(store), adapter, ManualClock(T0))
    assert _states(store) == {f"RENEW:{freeze_id}:1": ("FAILED", "FAILED")}


def test_hold_confirm_and_sweep_release_reach_the_bank_and_the_sweep_audits(
    store: Engine, bank: SimulatedBank
) -> None:
    accounts = ["6222000000000101", "6222000000000102"]
    with _uow(store)() as uow:
        hold = hs.propose_hold(uow.session, unit_id="u1", subject_id="P1", accounts=accounts, now=T0)
        hs.confirm_hold(uow.session, hold.hold_id, by="officer-1", at=T0)
        uow.commit()
    with BankAdapter(bank.url) as adapter:
        sent = exchange.send_pending(_uow(store), adapter, ManualClock(T0))
        assert sent == {f"HOLD:{hold.hold_id}:{i}": ["APPLIED"] for i in range(2)}
        assert bank.state.held == set(accounts)
        with _uow(store)() as uow:
            service.sweep(uow.session, T0 + timedelta(hours=73))
            uow.commit()
        released = exchange.send_pending(_uow(store), adapter, ManualClock(T0))
    assert released == {f"UNHOLD:{hold.hold_id}:{i}": ["APPLIED"] for i in range(2)}
    assert bank.state.held == set()
    with _uow(store)() as uow:
        rows = list(uow.session.scalars(select(AuditRow).where(AuditRow.actor == "system")))
        got = [(r.action, r.object_type, r.object_id) for r in rows]
    assert got == [("funds.auto_release", "protective_hold", hold.hold_id)]


def test_sweep_audits_expired_stops_and_lapsed_freezes(store: Engine, bank: SimulatedBank) -> None:
    with BankAdapter(bank.url) as adapter:
        freeze_id = _active_freeze(store, adapter)
    with _uow(store)() as uow:
        order = service.new_stop(
            uow.session,
            unit_id="u2",
            payee_account="6200999900000029",
            amount_fen=1_000,
            txn_time=T0,
            payer_account="6222000000000001",
        )
        uow.commit()
    with BankAdapter(bank.url) as adapter:
        exchange.send(_uow(store), adapter, "STOP", order.order_id, ManualClock(T0))
    with _uow(store)() as uow:
        service.sweep(uow.session, datetime.now(UTC) + timedelta(days=400))
        service.sweep(uow.session, datetime.now(UTC) + timedelta(days=401))  # nothing new to audit
        uow.commit()
        rows = list(uow.session.scalars(select(AuditRow).where(AuditRow.actor == "system")))
        got = sorted((r.object_type, r.object_id, r.object_unit_id) for r in rows)
    assert got == [
        ("freeze", freeze_id, "u1"),
        ("stop_order", order.order_id, "u2"),
    ]
    with _uow(store)() as uow:
        f = FundsRepository(uow.session).get_freeze(freeze_id)
    assert f is not None
    assert f.status is FreezeStatus.LAPSED
