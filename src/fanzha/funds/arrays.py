"""Transfer graphs in arrays, for tracing at scale: CSR by payer (and payee), plus a synthetic city.

`CsrGraph` sorts transfers by (payer, time) once; "out of account A from time t on" is then two
offsets and one binary search, and edges are materialised lazily, so tracing touches only what it
follows. `ScanGraph` answers the same questions by scanning every transfer (the naive baseline the
benchmark compares against). Accounts are ints in the arrays and decimal strings at the interface.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from fanzha.funds.model import Edge

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]


def _seconds(moment: datetime) -> int:
    return int((moment - EPOCH).total_seconds())


@dataclass
class Transfers:
    """Columns of a transfer table: payer, payee, time (seconds from EPOCH), amount in fen."""

    payer: I32
    payee: I32
    at: I32
    amount: I64

    @property
    def nbytes(self) -> int:
        return int(self.payer.nbytes + self.payee.nbytes + self.at.nbytes + self.amount.nbytes)

    def edge(self, i: int) -> Edge:
        return Edge(
            event_id=str(i),
            payer=str(int(self.payer[i])),
            payee=str(int(self.payee[i])),
            at=EPOCH + timedelta(seconds=int(self.at[i])),
            amount_fen=int(self.amount[i]),
        )


class _Index:
    """Transfers of each account (by `key`) in time order: `order[offsets[a]:offsets[a+1]]`."""

    def __init__(self, key: I32, at: I32, accounts: int) -> None:
        self.order: I64 = np.lexsort((at, key)).astype(np.int64)
        self.at: I32 = at[self.order]
        counts = np.bincount(key, minlength=accounts)
        self.offsets: I64 = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)

    @property
    def nbytes(self) -> int:
        return int(self.order.nbytes + self.at.nbytes + self.offsets.nbytes)

    def since(self, account: str, moment: datetime) -> Iterator[int]:
        a = int(account)
        if not 0 <= a < len(self.offsets) - 1:
            return iter(())
        lo, hi = int(self.offsets[a]), int(self.offsets[a + 1])
        start = lo + int(np.searchsorted(self.at[lo:hi], _seconds(moment), side="left"))
        return (int(self.order[i]) for i in range(start, hi))


class CsrGraph:
    """A `TransferGraph` over arrays, indexed by payer (and by payee when `incoming` is wanted)."""

    def __init__(self, transfers: Transfers, accounts: int, *, with_incoming: bool = False) -> None:
        self.transfers = transfers
        self._out = _Index(transfers.payer, transfers.at, accounts)
        self._in = _Index(transfers.payee, transfers.at, accounts) if with_incoming else None

    @property
    def index_nbytes(self) -> int:
        return self._out.nbytes + (self._in.nbytes if self._in else 0)

    def outgoing(self, account: str, since: datetime) -> Iterator[Edge]:
        return (self.transfers.edge(i) for i in self._out.since(account, since))

    def incoming(self, account: str, since: datetime) -> Iterator[Edge]:
        if self._in is None:
            raise ValueError("this graph was built without the incoming index")
        return (self.transfers.edge(i) for i in self._in.since(account, since))


class ScanGraph:
    """The naive baseline: every question scans all transfers (same answers, same order as CsrGraph)."""

    def __init__(self, transfers: Transfers) -> None:
        self.transfers = transfers

    def _scan(self, column: I32, account: str, since: datetime) -> Iterator[Edge]:
        t = self.transfers
        hits = np.flatnonzero((column == int(account)) & (t.at >= _seconds(since)))
        ordered = hits[np.lexsort((hits, t.at[hits]))]
        return (t.edge(int(i)) for i in ordered)

    def outgoing(self, account: str, since: datetime) -> Iterator[Edge]:
        return self._scan(self.transfers.payer, account, since)

    def incoming(self, account: str, since: datetime) -> Iterator[Edge]:
        return self._scan(self.transfers.payee, account, since)


@dataclass
class SyntheticCity:
    transfers: Transfers
    accounts: int
    victim_transfers: list[int]  # indices of the victims' payments into level-1 accounts


def _mule_edges(
    rng: np.random.Generator, *, victims: int, first_mule: int, mules: int, days: int, depth: int
) -> tuple[list[tuple[int, int, int, int]], list[int]]:
    """Victims pay level-1 mules, who split and pass the money on within minutes to hours; deeper levels
    draw from a shared pool, so networks merge across victims."""
    edges: list[tuple[int, int, int, int]] = []
    roots: list[int] = []
    for v in range(victims):
        amount = int(rng.integers(5_000, 500_000)) * 100
        at = int(rng.integers(0, (days - 2) * 86_400))
        level1 = first_mule + int(rng.integers(0, mules))
        roots.append(len(edges))
        edges.append((v, level1, at, amount))
        frontier = [(level1, at, amount)]
        for _ in range(depth):
            nxt = []
            for account, arrived, money in frontier:
                kept = money * int(rng.integers(0, 5)) // 100  # a mule's cut stays behind
                cuts = sorted(int(c) for c in rng.integers(1, max(2, money - kept), int(rng.integers(0, 3))))
                bounds = [0, *cuts, money - kept]
                for lo, hi in itertools.pairwise(bounds):
                    if hi <= lo:
                        continue
                    dest = first_mule + int(rng.integers(0, mules))
                    when = arrived + int(rng.integers(60, 4 * 3600))
                    edges.append((account, dest, when, hi - lo))
                    nxt.append((dest, when, hi - lo))
            frontier = nxt[:12]
    return edges, roots


def synthetic_city(transfers: int, *, victims: int = 200, seed: int = 7, days: int = 30) -> SyntheticCity:
    """A realistic-looking graph: everyday payments with hub merchants, plus mule networks 6 levels deep."""
    rng = np.random.default_rng(seed)
    accounts = max(1_000, transfers // 5)
    mules = max(50, accounts // 200)
    first_mule = accounts - mules
    mule, roots = _mule_edges(rng, victims=victims, first_mule=first_mule, mules=mules, days=days, depth=6)
    background = max(0, transfers - len(mule))
    hubs = max(10, accounts // 100)
    payer = rng.integers(0, accounts, background, dtype=np.int32)
    payee = np.where(
        rng.random(background) < 0.3,
        rng.integers(0, hubs, background, dtype=np.int32),
        rng.integers(0, accounts, background, dtype=np.int32),
    ).astype(np.int32)
    at = rng.integers(0, days * 86_400, background, dtype=np.int32)
    amount = np.exp(rng.normal(9.5, 1.5, background)).astype(np.int64) + 100
    m = np.array(mule, dtype=np.int64).reshape(-1, 4)
    data = Transfers(
        payer=np.concatenate((m[:, 0].astype(np.int32), payer)),
        payee=np.concatenate((m[:, 1].astype(np.int32), payee)),
        at=np.concatenate((m[:, 2].astype(np.int32), at)),
        amount=np.concatenate((m[:, 3], amount)),
    )
    return SyntheticCity(transfers=data, accounts=accounts, victim_transfers=roots)
