"""The CSR graph answers exactly like the naive scan and the plain list graph."""

from __future__ import annotations

from fanzha.funds.arrays import CsrGraph, ScanGraph, synthetic_city
from fanzha.funds.model import AllocationRule
from fanzha.funds.trace import ListGraph, TraceSettings, trace


def test_csr_scan_and_list_graphs_give_the_same_trees() -> None:
    city = synthetic_city(20_000, victims=8, seed=3)
    t = city.transfers
    csr = CsrGraph(t, city.accounts, with_incoming=True)
    graphs = [csr, ScanGraph(t), ListGraph(t.edge(i) for i in range(len(t.payer)))]
    for rule in AllocationRule:
        settings = TraceSettings(rule=rule, max_depth=6)
        for i in city.victim_transfers:
            trees = [trace(g, [t.edge(i)], settings) for g in graphs]
            assert trees[0].nodes == trees[1].nodes == trees[2].nodes
            assert trees[0].depth >= 2  # the mule network carries the money on
            assert trees[0].at_risk_fen == trees[0].traced_fen == int(t.amount[i])
