"""All SQL of the funds workflow: the transfer graph, orders, freezes, holds, returns, bank messages,
statistics. Rows never leave this module: callers get the records of `funds/model.py`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import TypeAdapter
from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.orm import Session

from fanzha.event.model import Transfer
from fanzha.funds.model import BankMessage, Edge, FreezeOrder, ProtectiveHold, StopPaymentOrder
from fanzha.funds.returns import ReturnApplication, ReturnDecision
from fanzha.funds.stats import Fact
from fanzha.funds.stop_payment import COUNTED
from fanzha.store.tables import AccountRow, EventRow, PersonRow
from fanzha.store.tables_funds import (
    BankMessageRow,
    FreezeRow,
    HoldRow,
    ReturnDecisionRow,
    StopOrderRow,
    TransferRow,
    transfer_values,
)

T = TypeVar("T")
_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def encode(record: object) -> dict[str, Any]:
    adapter = _ADAPTERS.setdefault(type(record), TypeAdapter(type(record)))
    data: dict[str, Any] = adapter.dump_python(record, mode="json")
    return data


def decode(kind: type[T], data: dict[str, Any]) -> T:
    adapter = _ADAPTERS.setdefault(kind, TypeAdapter(kind))
    value: T = adapter.validate_python(data)
    return value


def _message(row: BankMessageRow) -> BankMessage:
    return BankMessage(
        id=row.id,
        message_id=row.message_id,
        direction=row.direction,
        target_kind=row.target_kind,
        target_id=row.target_id,
        idempotency_key=row.idempotency_key,
        status=row.status,
        detail=row.detail,
        at=row.at,
    )


def _edge(row: TransferRow) -> Edge:
    return Edge(row.event_id, row.payer, row.payee, row.at, row.amount_fen)


class StoreGraph:
    """The `TransferGraph` of the `transfers` table: one indexed query per account, in pages."""

    PAGE = 200

    def __init__(self, session: Session) -> None:
        self._session = session

    def _pages(self, column: Any, account: str, since: datetime) -> Iterator[Edge]:
        last: tuple[datetime, str] | None = None
        while True:
            stmt = select(TransferRow).where(column == account, TransferRow.at >= since)
            if last is not None:
                stmt = stmt.where(
                    or_(
                        TransferRow.at > last[0],
                        and_(TransferRow.at == last[0], TransferRow.event_id > last[1]),
                    )
                )
            rows = list(
                self._session.scalars(stmt.order_by(TransferRow.at, TransferRow.event_id).limit(self.PAGE))
            )
            yield from (_edge(r) for r in rows)
            if len(rows) < self.PAGE:
                return
            last = (rows[-1].at, rows[-1].event_id)

    def outgoing(self, account: str, since: datetime) -> Iterator[Edge]:
        return self._pages(TransferRow.payer, account, since)

    def incoming(self, account: str, since: datetime) -> Iterator[Edge]:
        return self._pages(TransferRow.payee, account, since)

    def transfer(self, event_id: str) -> Edge | None:
        row = self._session.get(TransferRow, event_id)
        return _edge(row) if row is not None else None

    def received_since(self, account: str, since: datetime) -> int:
        stmt = select(func.coalesce(func.sum(TransferRow.amount_fen), 0)).where(
            TransferRow.payee == account, TransferRow.at >= since
        )
        return int(self._session.scalar(stmt) or 0)


class FundsRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # -- who owns what ---------------------------------------------------------------------------------
    def unit_of_account(self, account: str) -> str | None:
        stmt = select(PersonRow.unit_id).join(AccountRow, AccountRow.person_id == PersonRow.person_id)
        return self._session.scalar(stmt.where(AccountRow.account == account))

    def bank_of(self, account: str) -> str | None:
        return self._session.scalar(select(AccountRow.bank).where(AccountRow.account == account))

    # -- transfer index --------------------------------------------------------------------------------
    def backfill_transfers(self, batch: int = 5000) -> int:
        """Index stored transfer events missing from `transfers` (events stored before the index existed)."""
        have = select(TransferRow.event_id)
        stmt = select(EventRow.payload).where(EventRow.kind == "transfer", EventRow.event_id.not_in(have))
        rows: list[dict[str, Any]] = []
        added = 0
        for payload in self._session.execute(stmt).scalars().all():
            rows.append(transfer_values(Transfer.model_validate(payload)))
            if len(rows) >= batch:
                self._session.execute(insert(TransferRow), rows)
                added, rows = added + len(rows), []
        if rows:
            self._session.execute(insert(TransferRow), rows)
            added += len(rows)
        return added

    # -- stop-payment orders ---------------------------------------------------------------------------
    def save_stop(self, o: StopPaymentOrder) -> None:
        due = o.expires_at if o.converted_freeze_id is None else None
        self._session.merge(
            StopOrderRow(
                order_id=o.order_id,
                unit_id=o.unit_id,
                account=o.payee_account,
                status=o.status.value,
                amount_fen=o.amount_fen,
                stopped_at=o.stopped_at,
                due_at=due,
                record=encode(o),
                updated_at=datetime.now(UTC),
            )
        )

    def get_stop(self, order_id: str) -> StopPaymentOrder | None:
        row = self._session.get(StopOrderRow, order_id)
        return decode(StopPaymentOrder, row.record) if row is not None else None

    def stops_on(self, account: str) -> int:
        """How many stops count against `account` (sent, answered STOPPED, expired, converted, released)."""
        stmt = select(func.count()).where(
            StopOrderRow.account == account, StopOrderRow.status.in_([s.value for s in COUNTED])
        )
        return int(self._session.scalar(stmt) or 0)

    def list_stops(
        self, *, unit_ids: Sequence[str] | None = None, limit: int = 200
    ) -> list[StopPaymentOrder]:
        stmt = select(StopOrderRow)
        if unit_ids is not None:
            stmt = stmt.where(StopOrderRow.unit_id.in_(list(unit_ids)))
        rows = self._session.scalars(stmt.order_by(StopOrderRow.updated_at.desc()).limit(limit))
        return [decode(StopPaymentOrder, r.record) for r in rows]

    # -- freezes ---------------------------------------------------------------------------------------
    def save_freeze(self, f: FreezeOrder) -> None:
        self._session.merge(
            FreezeRow(
                freeze_id=f.freeze_id,
                unit_id=f.unit_id,
                account=f.account,
                status=f.status.value,
                amount_fen=f.amount_fen,
                starts_at=f.starts_at,
                due_at=f.ends_at,
                record=encode(f),
                updated_at=datetime.now(UTC),
            )
        )

    def get_freeze(self, freeze_id: str) -> FreezeOrder | None:
        row = self._session.get(FreezeRow, freeze_id)
        return decode(FreezeOrder, row.record) if row is not None else None

    def queued_on(self, account: str) -> list[FreezeOrder]:
        stmt = select(FreezeRow).where(FreezeRow.account == account, FreezeRow.status == "QUEUED")
        rows = self._session.scalars(stmt.order_by(FreezeRow.updated_at))
        return [decode(FreezeOrder, r.record) for r in rows]

    def list_freezes(self, *, unit_ids: Sequence[str] | None = None, limit: int = 200) -> list[FreezeOrder]:
        stmt = select(FreezeRow)
        if unit_ids is not None:
            stmt = stmt.where(FreezeRow.unit_id.in_(list(unit_ids)))
        rows = self._session.scalars(stmt.order_by(FreezeRow.updated_at.desc()).limit(limit))
        return [decode(FreezeOrder, r.record) for r in rows]

    # -- protective holds ------------------------------------------------------------------------------
    def save_hold(self, h: ProtectiveHold) -> None:
        self._session.merge(
            HoldRow(
                hold_id=h.hold_id,
                unit_id=h.unit_id,
                subject_id=h.subject_id,
                status=h.status.value,
                due_at=h.planned_end,
                record=encode(h),
                updated_at=datetime.now(UTC),
            )
        )

    def get_hold(self, hold_id: str) -> ProtectiveHold | None:
        row = self._session.get(HoldRow, hold_id)
        return decode(ProtectiveHold, row.record) if row is not None else None

    def list_holds(self, *, unit_ids: Sequence[str] | None = None, limit: int = 200) -> list[ProtectiveHold]:
        stmt = select(HoldRow)
        if unit_ids is not None:
            stmt = stmt.where(HoldRow.unit_id.in_(list(unit_ids)))
        rows = self._session.scalars(stmt.order_by(HoldRow.updated_at.desc()).limit(limit))
        return [decode(ProtectiveHold, r.record) for r in rows]

    # -- timers ----------------------------------------------------------------------------------------
    def due(self, until: datetime) -> tuple[list[StopPaymentOrder], list[FreezeOrder], list[ProtectiveHold]]:
        """Running stops, freezes and holds whose expiry, alert, lapse or release may be due by `until`."""
        stops = select(StopOrderRow).where(StopOrderRow.status == "STOPPED", StopOrderRow.due_at <= until)
        freezes = select(FreezeRow).where(FreezeRow.status == "ACTIVE", FreezeRow.due_at <= until)
        holds = select(HoldRow).where(HoldRow.status == "ACTIVE", HoldRow.due_at <= until)
        return (
            [decode(StopPaymentOrder, r.record) for r in self._session.scalars(stops)],
            [decode(FreezeOrder, r.record) for r in self._session.scalars(freezes)],
            [decode(ProtectiveHold, r.record) for r in self._session.scalars(holds)],
        )

    # -- returns ---------------------------------------------------------------------------------------
    def save_decision(
        self, d: ReturnDecision, *, unit_id: str | None, freeze_id: str, application: ReturnApplication | None
    ) -> None:
        self._session.add(
            ReturnDecisionRow(
                decision_no=d.decision_no,
                unit_id=unit_id,
                freeze_id=freeze_id,
                victim_id=d.victim_id,
                amount_fen=d.amount_fen,
                basis=d.basis,
                decided_at=d.decided_at,
                record=encode(d),
                application=encode(application) if application is not None else None,
            )
        )

    def decisions_for(self, freeze_id: str) -> list[ReturnDecision]:
        stmt = select(ReturnDecisionRow).where(ReturnDecisionRow.freeze_id == freeze_id)
        return [decode(ReturnDecision, r.record) for r in self._session.scalars(stmt)]

    def count_decisions(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(ReturnDecisionRow)) or 0)

    # -- bank messages ---------------------------------------------------------------------------------
    def has_message(self, message_id: str) -> bool:
        stmt = select(BankMessageRow.id).where(BankMessageRow.message_id == message_id)
        return self._session.scalar(stmt) is not None

    def add_message(self, **values: Any) -> None:
        self._session.add(BankMessageRow(at=values.pop("at", datetime.now(UTC)), **values))

    def messages_for(self, target_id: str) -> list[BankMessage]:
        stmt = select(BankMessageRow).where(BankMessageRow.target_id == target_id).order_by(BankMessageRow.id)
        return [_message(r) for r in self._session.scalars(stmt)]

    def messages_with_key(self, key: str) -> list[BankMessage]:
        """Every message of one instruction (its idempotency key), oldest first."""
        stmt = select(BankMessageRow).where(BankMessageRow.idempotency_key == key).order_by(BankMessageRow.id)
        return [_message(r) for r in self._session.scalars(stmt)]

    def queued_instruction_messages(self, target_ids: Sequence[str] | None = None) -> list[BankMessage]:
        """Messages of the instructions queued for the bank (of these records, or all), oldest first."""
        queued = select(BankMessageRow.idempotency_key).where(BankMessageRow.status == "QUEUED")
        if target_ids is not None:
            queued = queued.where(BankMessageRow.target_id.in_(list(target_ids)))
        stmt = select(BankMessageRow).where(BankMessageRow.idempotency_key.in_(queued))
        return [_message(r) for r in self._session.scalars(stmt.order_by(BankMessageRow.id))]

    # -- statistics ------------------------------------------------------------------------------------
    def stat_facts(self) -> list[Fact]:
        """Every stop, freeze and return as a fact for the statistics (unit, time, amount, who)."""
        stops = select(StopOrderRow).where(StopOrderRow.stopped_at.is_not(None))
        freezes = select(FreezeRow).where(FreezeRow.starts_at.is_not(None))
        facts = [
            Fact("STOPPED", r.unit_id, r.stopped_at, r.amount_fen, r.account)
            for r in self._session.scalars(stops)
            if r.stopped_at
        ]
        facts += [
            Fact("FROZEN", r.unit_id, r.starts_at, r.amount_fen, r.account)
            for r in self._session.scalars(freezes)
            if r.starts_at
        ]
        facts += [
            Fact("RETURNED", r.unit_id, r.decided_at, r.amount_fen, r.victim_id)
            for r in self._session.scalars(select(ReturnDecisionRow))
        ]
        return facts
