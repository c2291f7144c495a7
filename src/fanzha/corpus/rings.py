"""A transfer network with mule rings of many shapes, for the mule-account model (`fanzha.twocards`).

Ordinary account holders pay a few regular counterparts (family, landlords) and popular merchants,
each with a habitual amount and rhythm. Mule rings move a sum through their accounts in one of the
laundering typologies below, each account passing on what it received minus a cut after a short
dwell, some opening an edge with a small test transfer (试探性转账), and the members keep an ordinary
life beside it. The money of one ring shape looks unlike another's, so a model trained on some shapes
can be tested on the others (`tests/twocards/test_generalisation.py`).

Everything is seeded: the same arguments give the same transfers. Amounts are fen, times Unix seconds.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import polars as pl

DAY = 86_400
START = 1_790_000_000  # 2026-09-21, a Monday (Asia/Shanghai)
Edge = tuple[int, int]

TYPOLOGIES = (
    "fan_in", "fan_out", "cycle", "scatter_gather", "gather_scatter", "bipartite", "stack", "chain",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class RingConfig:
    accounts: int = 20_000
    days: int = 120
    rings_per_typology: int = 25
    typologies: tuple[str, ...] = TYPOLOGIES
    payments_per_day: float = 0.05  # median ordinary payments per account per day (heavy-tailed)
    test_transfer: float = 0.4  # share of ring edges opened by a small test transfer
    seed: int = 7


@dataclass(frozen=True, slots=True)
class RingNetwork:
    transfers: pl.DataFrame  # payer, payee, amount (fen), ts
    labels: pl.DataFrame  # account, label (1 mule, 0 not), typology ("" for ordinary accounts)


def account_name(i: int) -> str:
    return f"62{i:014d}"


def generate(cfg: RingConfig = RingConfig()) -> RingNetwork:
    rng = np.random.default_rng([cfg.seed, 1])
    frames = [_ordinary(cfg, rng)]
    members: dict[int, str] = {}
    prng = random.Random(cfg.seed * 7919 + 3)
    free = prng.sample(range(cfg.accounts), k=cfg.accounts)
    for typology in cfg.typologies:
        for _ in range(cfg.rings_per_typology):
            size = prng.randint(*SIZES[typology])
            ring, free = free[:size], free[size:]
            members.update((m, typology) for m in ring)
            frames.append(_ring(typology, ring, cfg, prng))
    transfers = pl.concat(frames).sort("ts", "payer", maintain_order=True)
    names = [account_name(i) for i in range(cfg.accounts)]
    labels = pl.DataFrame(
        {
            "account": names,
            "label": [int(i in members) for i in range(cfg.accounts)],
            "typology": [members.get(i, "") for i in range(cfg.accounts)],
        }
    )
    return RingNetwork(
        transfers.with_columns(
            pl.col("payer").map_elements(account_name, return_dtype=pl.String),
            pl.col("payee").map_elements(account_name, return_dtype=pl.String),
        ),
        labels,
    )


def _ordinary(cfg: RingConfig, rng: np.random.Generator) -> pl.DataFrame:
    """Everyone's ordinary payments: habitual amounts to regular contacts and popular merchants."""
    n = cfg.accounts
    rate = cfg.payments_per_day * rng.lognormal(0, 0.8, n)
    count = rng.poisson(rate * cfg.days)
    payer = np.repeat(np.arange(n), count)
    k = payer.size
    habit = rng.lognormal(np.log(30_000), 0.9, n)  # fen
    contacts = rng.integers(0, n, (n, 4))  # each account's regular counterparts
    popular = (rng.pareto(1.2, k) * 50).astype(np.int64) % n  # merchants: a heavy-tailed few
    regular = contacts[payer, rng.integers(0, 4, k)]
    payee = np.where(rng.random(k) < 0.6, regular, popular)
    amount = habit[payer] * rng.lognormal(0, 0.15, k)
    ts = START + rng.integers(0, cfg.days, k) * DAY + _daytime(rng, k)
    keep = payee != payer
    return pl.DataFrame(
        {"payer": payer[keep], "payee": payee[keep], "amount": amount[keep].astype(np.int64), "ts": ts[keep]}
    )


def _daytime(rng: np.random.Generator, k: int) -> np.ndarray:
    """Seconds after local midnight (UTC+8), mostly 08–23 h, as Unix offsets from a UTC midnight."""
    hour = np.clip(rng.normal(15, 3.5, k), 0, 23.99)
    return ((hour - 8) * 3600).astype(np.int64)


SIZES: dict[str, tuple[int, int]] = {
    "fan_in": (6, 14),
    "fan_out": (6, 14),
    "cycle": (3, 9),
    "scatter_gather": (5, 12),
    "gather_scatter": (7, 15),
    "bipartite": (6, 12),
    "stack": (8, 15),
    "chain": (4, 9),
}


def _edges(typology: str, m: Sequence[int]) -> list[list[Edge]]:
    """The ring's hops in order: each inner list is one step of transfers that can happen together."""
    if typology == "fan_in":
        return [[(s, m[0]) for s in m[1:]]]
    if typology == "fan_out":
        return [[(m[0], t) for t in m[1:]]]
    if typology in ("cycle", "chain"):
        loop = [*m, m[0]] if typology == "cycle" else list(m)
        return [[(a, b)] for a, b in pairwise(loop)]
    if typology == "scatter_gather":
        mid = m[1:-1]
        return [[(m[0], x) for x in mid], [(x, m[-1]) for x in mid]]
    if typology == "gather_scatter":
        half = (len(m) - 1) // 2
        return [[(s, m[0]) for s in m[1 : 1 + half]], [(m[0], t) for t in m[1 + half :]]]
    cut = len(m) // 2 if typology == "bipartite" else len(m) // 3
    layers = [m[:cut], m[cut:]] if typology == "bipartite" else [m[:cut], m[cut : 2 * cut], m[2 * cut :]]
    return [[(a, b) for a in x for b in y] for x, y in pairwise(layers)]


@dataclass
class _Run:
    """One pass of a ring's money through its shape."""

    rows: list[tuple[int, int, int, int]]
    fresh: float  # money entering at the start of the shape
    test_transfer: float  # chance of a small test transfer before an edge's first real one
    prng: random.Random
    sums: dict[int, float]


def _ring(typology: str, members: list[int], cfg: RingConfig, prng: random.Random) -> pl.DataFrame:
    """The ring runs its shape a few times; each hop passes on what arrived, less a cut, after a dwell."""
    rows: list[tuple[int, int, int, int]] = []
    base = random.Random(prng.random()).lognormvariate(np.log(500_000), 0.8)
    for run in range(prng.randint(2, 6)):
        t = START + int(prng.uniform(0, cfg.days - 3) * DAY)
        tests = cfg.test_transfer if run == 0 else 0.0
        state = _Run(rows, base * prng.uniform(0.6, 1.4), tests, prng, {})
        for step in _edges(typology, members):
            t = _step(step, t, state)
    return pl.DataFrame(rows, schema=["payer", "payee", "amount", "ts"], orient="row")


def _step(step: list[Edge], t: int, run: _Run) -> int:
    """One layer of hops; returns when the last of them happened."""
    out_deg: dict[int, int] = {}
    for a, _ in step:
        out_deg[a] = out_deg.get(a, 0) + 1
    latest, prng = t, run.prng
    for a, b in step:
        have = run.sums.get(a, run.fresh)  # what the payer received in this run, or fresh money
        amount = have * (1 - prng.uniform(0.01, 0.05)) / out_deg[a] * prng.uniform(0.8, 1.2)
        at = t + int(prng.uniform(0.2, 30) * 3600)
        if prng.random() < run.test_transfer:
            run.rows.append((a, b, int(prng.uniform(100, 2_000)), at - int(prng.uniform(600, 7200))))
        run.rows.append((a, b, int(amount), at))
        run.sums[b] = run.sums.get(b, 0.0) + amount
        latest = max(latest, at)
    return latest
