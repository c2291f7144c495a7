"""Statistics feed (§8): amounts and accounts stopped, frozen, returned, by unit and period. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum


class Period(StrEnum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


def period_label(moment: datetime, period: Period, tz: tzinfo) -> str:
    """The period `moment` falls in, in the centre's local time: 2026-05-01, 2026-05, 2026-Q2, 2026."""
    local = moment.astimezone(tz)
    if period is Period.DAY:
        return local.strftime("%Y-%m-%d")
    if period is Period.MONTH:
        return local.strftime("%Y-%m")
    if period is Period.QUARTER:
        return f"{local.year}-Q{(local.month - 1) // 3 + 1}"
    return str(local.year)


@dataclass(frozen=True, slots=True)
class Fact:
    """One counted measure: a stop took hold, a freeze took effect, a return was decided."""

    kind: str  # STOPPED | FROZEN | RETURNED
    unit_id: str | None
    at: datetime
    amount_fen: int
    key: str  # the account (stops, freezes) or the victim (returns), counted once per row


@dataclass(frozen=True, slots=True)
class StatsRow:
    unit_id: str | None
    period: str
    stopped_fen: int
    stopped_accounts: int
    frozen_fen: int
    frozen_accounts: int
    returned_fen: int
    returned_people: int


KINDS = ("STOPPED", "FROZEN", "RETURNED")


def aggregate(facts: Iterable[Fact], period: Period, tz: tzinfo) -> list[StatsRow]:
    """Sum facts into one row per (unit, period), ordered by period then unit."""
    sums: dict[tuple[str | None, str], dict[str, int]] = {}
    keys: dict[tuple[str | None, str], dict[str, set[str]]] = {}
    for fact in facts:
        if fact.kind not in KINDS:
            raise ValueError("unknown statistics fact kind")
        slot = (fact.unit_id, period_label(fact.at, period, tz))
        sums.setdefault(slot, dict.fromkeys(KINDS, 0))[fact.kind] += fact.amount_fen
        keys.setdefault(slot, {k: set() for k in KINDS})[fact.kind].add(fact.key)
    rows = [
        StatsRow(
            unit_id=unit,
            period=label,
            stopped_fen=s["STOPPED"],
            stopped_accounts=len(keys[(unit, label)]["STOPPED"]),
            frozen_fen=s["FROZEN"],
            frozen_accounts=len(keys[(unit, label)]["FROZEN"]),
            returned_fen=s["RETURNED"],
            returned_people=len(keys[(unit, label)]["RETURNED"]),
        )
        for (unit, label), s in sums.items()
    ]
    return sorted(rows, key=lambda r: (r.period, r.unit_id or ""))
