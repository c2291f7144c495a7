"""Where and when the city's accounts were opened: bank branch, opening date, account class.

Ordinary accounts are opened at their bank's branches in proportion to the branch's size, over the
last twenty years; most are 个人 I 类 (full-function), some II 类 (online), a few III 类 (small
payments) and 对公 (corporate). Cards sold to fraud rings (两卡) are
opened recently, mostly as I 类 (a II 类 account cannot take large transfers), and at a few branches:
as in the field, where 断卡 work finds mule cards clustered at the branches that open them carelessly
(domain brief §4.7, §5).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from fanzha.sim.numbers import BANKS
from fanzha.sim.people import Population

DISTRICTS = (
    "城关",
    "东城",
    "西城",
    "南关",
    "北站",
    "新区",
    "开发区",
    "高新",
    "滨河",
    "工业园",
    "老城",
    "港区",
)
CLASSES = ("I", "II", "III", "CORPORATE")
CLASS_WEIGHTS = (0.62, 0.26, 0.07, 0.05)
HOT_SHARE = 0.8  # share of sold cards opened at their bank's one careless branch


def branch_names() -> list[list[str]]:
    """Each bank's branches in the city: 支行 named after districts."""
    return [[f"{bank}{district}支行" for district in DISTRICTS] for bank, _ in BANKS]


def account_details(pop: Population, sold: set[str], *, seed: int, start: date) -> pl.DataFrame:
    """`account, branch, opened_on, account_class` for every resident account; `sold` are the accounts
    whose holders sold them to a ring."""
    rng = np.random.default_rng([seed, 77])
    n = pop.accounts.len()
    names = branch_names()
    size = rng.pareto(1.5, (len(names), len(DISTRICTS))) + 1
    weights = size / size.sum(axis=1, keepdims=True)
    bank = pop.account_bank
    pick = np.zeros(n, dtype=np.int64)
    for b in range(len(names)):
        mine = np.flatnonzero(bank == b)
        pick[mine] = rng.choice(len(DISTRICTS), mine.size, p=weights[b])
    age_days = rng.integers(30, 20 * 365, n)
    account_class = rng.choice(len(CLASSES), n, p=CLASS_WEIGHTS)
    is_sold = pop.accounts.is_in(list(sold)).to_numpy()
    hot = rng.integers(0, len(DISTRICTS), len(names))  # each bank's careless branch
    to_hot = is_sold & (rng.random(n) < HOT_SHARE)
    pick = np.where(to_hot, hot[bank], pick)
    age_days = np.where(is_sold, rng.integers(5, 120, n), age_days)
    account_class = np.where(is_sold, np.where(rng.random(n) < 0.85, 0, 1), account_class)
    branches = pl.Series([name for bank_names in names for name in bank_names])
    return pl.DataFrame(
        {
            "account": pop.accounts,
            "branch": branches.gather(bank.astype(np.int64) * len(DISTRICTS) + pick),
            "age": age_days,
            "account_class": pl.Series(CLASSES).gather(account_class),
        }
    ).select(
        "account",
        "branch",
        (pl.lit(start, dtype=pl.Date) - pl.duration(days=pl.col("age"))).alias("opened_on"),
        "account_class",
    )
