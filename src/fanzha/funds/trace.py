"""Fund-chain tracing (资金流向查询, §4.3): where did the victim's money go, level by level.

Pure: the graph comes in through `TransferGraph` ("transfers out of account A from time t on, in
time order"), so the same code runs over the store's `transfers` table, an in-memory CSR array of
ten million transfers, or a hand-built test graph.

Rules, all documented in ARCHITECTURE.md:
- money that arrived before the victim's cannot be the victim's: from an account, only transfers at or
  after the moment the victim's money arrived are followed;
- splits and merges: each outflow carries part of the victim's money by the `AllocationRule`;
- an edge carries at most its own amount of one victim's money over the whole trace, so merges are
  not double counted and cycles end;
- taint below `min_amount_fen` is not followed further (it stays on the account as at risk);
- any depth by default; `max_depth` cuts the tree (and says so).
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from fanzha.funds.model import AllocationRule, Edge, require_aware


class TransferGraph(Protocol):
    """Read access to the transfer graph, in time order."""

    def outgoing(self, account: str, since: datetime) -> Iterable[Edge]:
        """Transfers paid by `account` at or after `since`, oldest first (lazily, if possible)."""
        ...

    def incoming(self, account: str, since: datetime) -> Iterable[Edge]:
        """Transfers received by `account` at or after `since`, oldest first."""
        ...


@dataclass(frozen=True, slots=True)
class TraceSettings:
    """Tracing knobs [DESIGN]; the defaults follow the domain brief (any depth, show levels 1–3)."""

    rule: AllocationRule = AllocationRule.GREEDY
    max_depth: int | None = None
    min_amount_fen: int = 100
    until: datetime | None = None
    display_depth: int = 3

    def __post_init__(self) -> None:
        if self.min_amount_fen < 1:
            raise ValueError("min_amount_fen must be at least 1 fen")
        if self.max_depth is not None and self.max_depth < 1:
            raise ValueError("max_depth must be at least 1")
        require_aware(self.until)


@dataclass(frozen=True, slots=True)
class TraceNode:
    """The victim's money arriving at one account by one transfer, and what became of it."""

    node_id: int
    parent_id: int | None
    level: int
    account: str
    payer: str
    at: datetime
    via_event_id: str
    amount_fen: int
    out_fen: int

    @property
    def at_risk_fen(self) -> int:
        """The part of this arrival that did not leave the account again (what a stop could catch)."""
        return self.amount_fen - self.out_fen


@dataclass(frozen=True, slots=True)
class AccountExposure:
    account: str
    level: int  # the lowest level at which the account was reached
    received_fen: int
    at_risk_fen: int
    first_at: datetime


@dataclass(frozen=True, slots=True)
class Trace:
    """A forest of arrivals: one root per victim transfer, children are the onward transfers."""

    root_event_ids: tuple[str, ...]
    nodes: tuple[TraceNode, ...]
    truncated: bool
    rule: AllocationRule

    def by_parent(self) -> dict[int | None, list[TraceNode]]:
        """The children of each node (roots under None), in node order."""
        kids: dict[int | None, list[TraceNode]] = {}
        for n in self.nodes:
            kids.setdefault(n.parent_id, []).append(n)
        return kids

    @property
    def depth(self) -> int:
        return max((n.level for n in self.nodes), default=0)

    @property
    def traced_fen(self) -> int:
        return sum(n.amount_fen for n in self.nodes if n.parent_id is None)

    @property
    def at_risk_fen(self) -> int:
        return sum(n.at_risk_fen for n in self.nodes)

    def exposures(self) -> list[AccountExposure]:
        """Per account: lowest level, the victim's money received and still there; highest risk first."""
        acc: dict[str, AccountExposure] = {}
        for n in self.nodes:
            old = acc.get(n.account)
            acc[n.account] = AccountExposure(
                account=n.account,
                level=min(n.level, old.level) if old else n.level,
                received_fen=n.amount_fen + (old.received_fen if old else 0),
                at_risk_fen=n.at_risk_fen + (old.at_risk_fen if old else 0),
                first_at=min(n.at, old.first_at) if old else n.at,
            )
        return sorted(acc.values(), key=lambda e: (-e.at_risk_fen, e.level, e.account))


@dataclass(slots=True)
class _Open:
    """A node while the trace runs (mutable; frozen into a TraceNode at the end)."""

    node_id: int
    parent_id: int | None
    level: int
    account: str
    payer: str
    at: datetime
    via: str
    amount: int
    out: int = 0


@dataclass(slots=True)
class _Run:
    graph: TransferGraph
    settings: TraceSettings
    nodes: list[_Open] = field(default_factory=list)
    used: dict[str, int] = field(default_factory=dict)
    heap: list[tuple[datetime, int]] = field(default_factory=list)
    truncated: bool = False

    def add(self, parent: _Open | None, edge: Edge, amount: int) -> None:
        node = _Open(
            node_id=len(self.nodes),
            parent_id=parent.node_id if parent else None,
            level=parent.level + 1 if parent else 1,
            account=edge.payee,
            payer=edge.payer,
            at=edge.at,
            via=edge.event_id,
            amount=amount,
        )
        self.nodes.append(node)
        self.used[edge.event_id] = self.used.get(edge.event_id, 0) + amount
        if parent is not None:
            parent.out += amount
        heapq.heappush(self.heap, (node.at, node.node_id))

    def capacity(self, edge: Edge) -> int:
        return edge.amount_fen - self.used.get(edge.event_id, 0)

    def outflows(self, node: _Open) -> Iterator[Edge]:
        until = self.settings.until
        for edge in self.graph.outgoing(node.account, node.at):
            if until is not None and edge.at > until:
                return
            if edge.payee != edge.payer and edge.event_id != node.via:
                yield edge


def _greedy(run: _Run, node: _Open) -> None:
    remaining = node.amount
    for edge in run.outflows(node):
        if remaining < run.settings.min_amount_fen:
            return
        take = min(run.capacity(edge), remaining)
        if take > 0:
            run.add(node, edge, take)
            remaining -= take


def _proportional(run: _Run, node: _Open) -> None:
    taint = node.amount
    pool = node.amount
    until = run.settings.until
    ins = (
        (e.at, 0, e)
        for e in run.graph.incoming(node.account, node.at)
        if e.event_id != node.via and (until is None or e.at <= until)
    )
    outs = ((e.at, 1, e) for e in run.outflows(node))
    for _, direction, edge in heapq.merge(ins, outs, key=lambda item: (item[0], item[1])):
        if taint < run.settings.min_amount_fen:
            return
        if direction == 0:
            pool += edge.amount_fen
            continue
        pool = max(pool, edge.amount_fen)
        share = min(taint, edge.amount_fen * taint // pool, run.capacity(edge))
        pool -= edge.amount_fen
        if share > 0:
            run.add(node, edge, share)
            taint -= share


def trace(graph: TransferGraph, roots: Sequence[Edge], settings: TraceSettings | None = None) -> Trace:
    """Follow the money of the victim transfers `roots` through `graph`, level by level, in time order."""
    cfg = settings or TraceSettings()
    run = _Run(graph=graph, settings=cfg)
    for root in roots:
        require_aware(root.at)
        run.add(None, root, root.amount_fen)
    expand = _greedy if cfg.rule is AllocationRule.GREEDY else _proportional
    while run.heap:
        _, node_id = heapq.heappop(run.heap)
        node = run.nodes[node_id]
        if node.amount < cfg.min_amount_fen:
            continue
        if cfg.max_depth is not None and node.level >= cfg.max_depth:
            run.truncated = run.truncated or any(run.capacity(e) > 0 for e in run.outflows(node))
            continue
        expand(run, node)
    return Trace(
        root_event_ids=tuple(r.event_id for r in roots),
        nodes=tuple(
            TraceNode(
                node_id=n.node_id,
                parent_id=n.parent_id,
                level=n.level,
                account=n.account,
                payer=n.payer,
                at=n.at,
                via_event_id=n.via,
                amount_fen=n.amount,
                out_fen=n.out,
            )
            for n in run.nodes
        ),
        truncated=run.truncated,
        rule=cfg.rule,
    )


def account_root(account: str, since: datetime, amount_fen: int, *, ref: str = "account") -> Edge:
    """A synthetic root for tracing from an account (e.g. a reported level-1 account) from `since` on."""
    return Edge(
        event_id=f"{ref}:{account}", payer=f"{ref}:source", payee=account, at=since, amount_fen=amount_fen
    )


class ListGraph:
    """An in-memory graph over a list of edges, by payer and payee, found by time with a bisect.

    For tests and for data that fits in memory (the evaluation's stream); the store and the 10 M
    benchmark have their own indexed graphs.
    """

    def __init__(self, edges: Iterable[Edge]) -> None:
        self._out: dict[str, list[Edge]] = {}
        self._in: dict[str, list[Edge]] = {}
        for edge in edges:
            self._out.setdefault(edge.payer, []).append(edge)
            self._in.setdefault(edge.payee, []).append(edge)
        self._out_at: dict[str, list[datetime]] = {}
        self._in_at: dict[str, list[datetime]] = {}
        for table, times in ((self._out, self._out_at), (self._in, self._in_at)):
            for account, bucket in table.items():
                bucket.sort(key=lambda e: (e.at, e.event_id))
                times[account] = [e.at for e in bucket]

    def outgoing(self, account: str, since: datetime) -> Iterable[Edge]:
        return self._out.get(account, [])[bisect_left(self._out_at.get(account, []), since) :]

    def incoming(self, account: str, since: datetime) -> Iterable[Edge]:
        return self._in.get(account, [])[bisect_left(self._in_at.get(account, []), since) :]
