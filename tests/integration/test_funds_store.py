"""The transfer index is filled as transfers are stored; tracing through the store; timers in the store."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, delete

from fanzha.funds import service
from fanzha.funds.model import BankResult, StopStatus
from fanzha.funds.protocol import PROTOCOL, Answer
from fanzha.funds.repository import FundsRepository
from fanzha.store.engine import session_factory
from fanzha.store.tables_funds import TransferRow
from fanzha.stream.runner import Runner
from fanzha.stream.sources import RawRecord
from fanzha.uow import UnitOfWork
from tests.factories import at, record


def _chain() -> list[dict]:
    return [
        record(
            "transfer",
            0,
            event_id="v1",
            payer_account="6222000000000001",
            payee_account="6200000000000101",
            amount_fen=1_000_000,
        ),
        record(
            "transfer",
            5,
            event_id="m1",
            payer_account="6200000000000101",
            payee_account="6200000000000202",
            amount_fen=600_000,
        ),
        record(
            "transfer",
            6,
            event_id="m2",
            payer_account="6200000000000101",
            payee_account="6200000000000303",
            amount_fen=300_000,
        ),
        record(
            "transfer",
            9,
            event_id="m3",
            payer_account="6200000000000202",
            payee_account="6200000000000404",
            amount_fen=600_000,
        ),
        record(
            "transfer",
            -60,
            event_id="old",
            payer_account="6200000000000101",
            payee_account="6200000000000505",
            amount_fen=900_000,
        ),
    ]


def _records() -> list[RawRecord]:
    return [RawRecord(f"test:{i}", r) for i, r in enumerate(_chain())]


def test_ingested_transfers_are_indexed_and_traced(engine: Engine) -> None:
    Runner(engine, event_time=True).run(_records(), source="test")
    factory = session_factory(engine)
    with UnitOfWork(factory) as uow:
        tree = service.trace_event(uow.session, "v1")
        assert service.trace_event(uow.session, "nope") is None
    assert tree is not None
    levels = {(n.level, n.account[-3:], n.amount_fen) for n in tree.nodes}
    assert levels == {(1, "101", 1_000_000), (2, "202", 600_000), (2, "303", 300_000), (3, "404", 600_000)}
    with UnitOfWork(factory) as uow:
        from_account = service.trace_account(uow.session, "6200000000000101", at(-1))
    assert from_account.traced_fen == 1_000_000
    assert {n.account[-3:] for n in from_account.nodes} == {"101", "202", "303", "404"}


def test_backfill_indexes_transfers_stored_before_the_index(engine: Engine) -> None:
    Runner(engine, event_time=True).run(_records(), source="test")
    factory = session_factory(engine)
    with UnitOfWork(factory) as uow:
        uow.session.execute(delete(TransferRow))
        uow.commit()
    with UnitOfWork(factory) as uow:
        assert FundsRepository(uow.session).backfill_transfers(batch=2) == 5
        assert FundsRepository(uow.session).backfill_transfers() == 0
        uow.commit()


def test_sweep_alerts_then_expires_a_stop(engine: Engine) -> None:
    factory = session_factory(engine)
    with UnitOfWork(factory) as uow:
        order = service.new_stop(
            uow.session,
            unit_id="u1",
            payee_account="6200000000000101",
            amount_fen=100,
            txn_time=at(0),
            payer_account="6222000000000001",
        )
        service.mark_sent(uow.session, "STOP", order.order_id, at(1))
        answer = Answer(
            protocol=PROTOCOL,
            message_id="b1",
            in_reply_to="x",
            idempotency_key=f"STOP:{order.order_id}",
            result=BankResult.STOPPED,
            at=at(2),
        )
        assert service.record_answers(uow.session, [answer, answer], at(2)) == ["APPLIED", "DUPLICATE"]
        uow.commit()
    with UnitOfWork(factory) as uow:
        assert service.sweep(uow.session, at(2) + timedelta(hours=30)) == []
        assert [e.kind for e in service.sweep(uow.session, at(2) + timedelta(hours=43))] == ["ALERT"]
        assert [e.kind for e in service.sweep(uow.session, at(2) + timedelta(hours=48))] == ["ALERT"]
        uow.commit()
    with UnitOfWork(factory) as uow:
        stored = FundsRepository(uow.session).get_stop(order.order_id)
    assert stored is not None
    assert stored.status is StopStatus.EXPIRED
