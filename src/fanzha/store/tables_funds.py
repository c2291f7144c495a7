"""Funds tables: the transfer index for tracing, orders, freezes, holds, returns, bank messages.

Records are kept whole in a `record` JSON column (encoded by `fanzha.funds.repository`), with the
columns that queries filter on (unit, status, account, amounts, due times) alongside.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fanzha.event.model import Transfer
from fanzha.store.tables import Base, UTCDateTime

Money = BigInteger().with_variant(Integer, "sqlite")


class TransferRow(Base):
    """One row per stored transfer event, indexed for "out of account A from time t on" queries."""

    __tablename__ = "transfers"
    __table_args__ = (
        Index("ix_transfers_payer_at", "payer", "at"),
        Index("ix_transfers_payee_at", "payee", "at"),
    )
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    payer: Mapped[str] = mapped_column(String(40))
    payee: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    amount_fen: Mapped[int] = mapped_column(Money)


def transfer_values(event: Transfer) -> dict[str, Any]:
    """The `transfers` row of a transfer event."""
    return {
        "event_id": event.event_id,
        "payer": event.payer_account,
        "payee": event.payee_account,
        "at": event.occurred_at,
        "amount_fen": event.amount_fen,
    }


class StopOrderRow(Base):
    __tablename__ = "stop_orders"
    order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit_id: Mapped[str | None] = mapped_column(String(64), index=True)
    account: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    amount_fen: Mapped[int] = mapped_column(Money)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FreezeRow(Base):
    __tablename__ = "freezes"
    freeze_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit_id: Mapped[str | None] = mapped_column(String(64), index=True)
    account: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    amount_fen: Mapped[int] = mapped_column(Money)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class HoldRow(Base):
    __tablename__ = "protective_holds"
    hold_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit_id: Mapped[str | None] = mapped_column(String(64), index=True)
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReturnDecisionRow(Base):
    """返还决定书 (附件3) and, in `application`, the victim's 返还申请表 (附件1) it answers."""

    __tablename__ = "return_decisions"
    decision_no: Mapped[str] = mapped_column(String(80), primary_key=True)
    unit_id: Mapped[str | None] = mapped_column(String(64), index=True)
    freeze_id: Mapped[str] = mapped_column(String(64), index=True)
    victim_id: Mapped[str] = mapped_column(String(64), index=True)
    amount_fen: Mapped[int] = mapped_column(Money)
    basis: Mapped[str] = mapped_column(String(16))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    application: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class BankMessageRow(Base):
    """Every instruction out and every answer in, kept; an answer's message id is applied once."""

    __tablename__ = "bank_messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[str | None] = mapped_column(String(80), unique=True)
    direction: Mapped[str] = mapped_column(String(3))  # OUT | IN
    target_kind: Mapped[str] = mapped_column(String(16))  # STOP | FREEZE | HOLD
    target_id: Mapped[str] = mapped_column(String(64), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(80), index=True)
    status: Mapped[str] = mapped_column(String(16))  # SENT | APPLIED | DUPLICATE | REJECTED | TIMEOUT
    detail: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
