"""All SQL of the two cards: the stored transfers, calls and SMS as frames, and the listed accounts and
numbers (the labels a model can learn from when no label file is given)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from fanzha.store.tables import EventRow, IndicatorRow
from fanzha.store.tables_funds import TransferRow

PAGE = 100_000


def _epoch(at: datetime) -> int:
    return int(at.timestamp())


def transfers(session: Session) -> pl.DataFrame:
    """`payer, payee, amount` (yuan), `ts` of every row of the `transfers` index."""
    stmt = select(TransferRow.payer, TransferRow.payee, TransferRow.amount_fen, TransferRow.at)
    frames = [
        pl.DataFrame(
            {
                "payer": [r[0] for r in rows],
                "payee": [r[1] for r in rows],
                "amount": [r[2] / 100 for r in rows],
                "ts": [_epoch(r[3]) for r in rows],
            },
            schema={"payer": pl.String, "payee": pl.String, "amount": pl.Float64, "ts": pl.Int64},
        )
        for rows in _pages(session, stmt)
    ]
    return pl.concat(frames) if frames else _empty_transfers()


def _empty_transfers() -> pl.DataFrame:
    return pl.DataFrame(schema={"payer": pl.String, "payee": pl.String, "amount": pl.Float64, "ts": pl.Int64})


def _pages(session: Session, stmt: Any) -> Iterator[list[tuple[Any, ...]]]:
    result = session.execute(stmt.execution_options(yield_per=PAGE))
    for part in result.partitions(PAGE):
        yield [tuple(row) for row in part]


def calls_and_sms(session: Session) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Stored call events (`phone, counterpart, direction, duration_s, ts`) and SMS events (the same
    without the duration)."""
    stmt = select(EventRow.kind, EventRow.payload, EventRow.occurred_at).where(
        EventRow.kind.in_(("call", "sms"))
    )
    calls: dict[str, list[Any]] = {k: [] for k in ("phone", "counterpart", "direction", "duration_s", "ts")}
    sms: dict[str, list[Any]] = {k: [] for k in ("phone", "counterpart", "direction", "ts")}
    for rows in _pages(session, stmt):
        for kind, payload, at in rows:
            assert isinstance(payload, dict)
            assert isinstance(at, datetime)
            target = calls if kind == "call" else sms
            target["phone"].append(payload.get("phone"))
            target["counterpart"].append(payload.get("counterpart"))
            target["direction"].append(payload.get("direction", "IN"))
            target["ts"].append(_epoch(at))
            if kind == "call":
                target["duration_s"].append(int(payload.get("duration_s") or 0))
    schema = {"phone": pl.String, "counterpart": pl.String, "direction": pl.String, "ts": pl.Int64}
    return (
        pl.DataFrame(calls, schema=schema | {"duration_s": pl.Int64}),
        pl.DataFrame(sms, schema=schema),
    )


def listed(session: Session, kind: str) -> set[str]:
    """Values of the indicators of `kind` (ACCOUNT or PHONE) on any list."""
    return set(session.scalars(select(IndicatorRow.value).where(IndicatorRow.kind == kind)))
