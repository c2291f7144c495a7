"""The city, day by day: everything but the events is planned first, then each day's events are built,
merged with the fraud side's records of that day, sorted by time, and handed out as one frame.

Both the in-memory world (`sim.world.generate`) and the writer for big cities (`sim.writer`) consume
these frames, so they produce the same events.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import polars as pl

from fanzha.event.codes import LeadSource
from fanzha.sim.campaigns import DAY
from fanzha.sim.catalog import Catalog, build_catalog
from fanzha.sim.city import CityMap, build_city
from fanzha.sim.config import SimConfig
from fanzha.sim.fraud import FraudSide, cold_contacts, plan_fraud
from fanzha.sim.leads import lead
from fanzha.sim.life import normal_day
from fanzha.sim.numbers import Issuer
from fanzha.sim.people import Population, build_population
from fanzha.sim.wire import CST, conform, epoch, from_records

DEFAULT_START = datetime(2026, 10, 1, tzinfo=CST)


@dataclass
class Setup:
    """Everything decided before the first day is built."""

    seed: int
    start: datetime
    days: int
    cfg: SimConfig
    city: CityMap
    pop: Population
    catalog: Catalog
    fraud: FraudSide

    @property
    def window(self) -> tuple[int, int]:
        return epoch(self.start), epoch(self.start) + self.days * DAY

    @property
    def prefix(self) -> str:
        return f"sim{self.seed}-"


def plan(
    population: int, days: int, seed: int, *, start: datetime = DEFAULT_START, cfg: SimConfig | None = None
) -> Setup:
    cfg = cfg or SimConfig()
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    issuer = Issuer(seed)
    city = build_city()
    pop = build_population(population, seed, city, issuer)
    catalog = build_catalog(population, seed, issuer, cfg.text_pool)
    window = (epoch(start), epoch(start) + days * DAY)
    fraud = plan_fraud(pop, catalog, issuer, cfg, seed=seed, window=window)
    return Setup(seed, start, days, cfg, city, pop, catalog, fraud)


def day_frames(setup: Setup, rows: int | None = None) -> Iterator[tuple[int, pl.DataFrame]]:
    """(day, events) in time order: each day in slices of at most `rows` events, with ids, wire columns
    plus `ts`. Only a slice is ever held as a wide frame."""
    w0, w1 = setup.window
    pending: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for record in setup.fraud.records:
        pending[(record["ts"] - w0) // DAY].append(record)
    for day in range(setup.days):
        t0 = w0 + day * DAY
        local = setup.start + timedelta(days=day)
        parts, offset = [], 0
        for frame in normal_day(
            setup.pop, setup.catalog, setup.cfg, day=day, t0=t0, day_of_month=local.day, seed=setup.seed
        ):
            parts.append(_with_ids(frame, f"{setup.prefix}n{day:03d}-", 8, offset))
            offset += frame.height
        cold, cold_leads = cold_contacts(setup.fraud, setup.pop, setup.cfg, day=day, t0=t0, seed=setup.seed)
        if cold.height:
            parts.append(_with_ids(cold, f"{setup.prefix}c{day:03d}-", 7, 0))
        transfers = [p for p in parts if p["kind"][0] == "transfer"]
        for record in [*cold_leads, *_bank_flags(transfers, setup.seed, day)]:
            if record["ts"] < w1:
                pending[(record["ts"] - w0) // DAY].append(record)
        todays = sorted(pending.pop(day, []), key=lambda r: (r["ts"], r["event_id"]))
        if todays:
            parts.append(from_records(todays))
        # Normal life comes in time order already; the small rest is sorted here.
        parts = [p if p["ts"].is_sorted() else p.sort("ts", maintain_order=True) for p in parts]
        for frame in sorted_slices(parts, rows or setup.cfg.part_rows):
            yield day, frame


def sorted_slices(parts: list[pl.DataFrame], rows: int) -> Iterator[pl.DataFrame]:
    """The rows of all `parts` (each sorted by `ts`) in time order, stable, as conformed wide frames of
    at most `rows` rows."""
    order = np.argsort(np.concatenate([p["ts"].to_numpy() for p in parts]), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    bounds = np.cumsum([0, *(p.height for p in parts)])
    ranks = [rank[bounds[i] : bounds[i + 1]] for i in range(len(parts))]  # increasing within a part
    for first in range(0, order.size, rows):
        pieces = []
        for part, ranked in zip(parts, ranks, strict=True):
            lo, hi = np.searchsorted(ranked, [first, first + rows])
            if hi > lo:
                pieces.append(conform(part.slice(lo, hi - lo)).with_columns(pos=pl.Series(ranked[lo:hi])))
        yield pl.concat(pieces, how="vertical").sort("pos").drop("pos")


def _with_ids(frame: pl.DataFrame, prefix: str, width: int, offset: int) -> pl.DataFrame:
    ids = pl.lit(prefix) + (pl.int_range(pl.len(), dtype=pl.Int64) + offset).cast(pl.String).str.zfill(width)
    return frame.with_columns(event_id=ids)


def _bank_flags(transfers: list[pl.DataFrame], seed: int, day: int) -> list[dict[str, Any]]:
    """Banks flag some large ordinary payments too (a car deposit, a tuition fee): leads without fraud."""
    if not transfers:
        return []
    big = pl.concat([t.select("ts", "payer_account", "amount_fen", "channel") for t in transfers])
    big = big.filter((pl.col("amount_fen") >= 5_000_000) & (pl.col("channel") != "atm"))
    rng = random.Random(seed * 1_000_037 + day)
    out = []
    for i, (ts, payer) in enumerate(big.select("ts", "payer_account").iter_rows()):
        if rng.random() < 0.05:
            out.append(
                lead(
                    ts + rng.randint(300, 5400),
                    LeadSource.BANK,
                    "MEDIUM",
                    f"sim{seed}-b{day:03d}-{i:07d}",
                    rng,
                    account=payer,
                )
            )
    return out
