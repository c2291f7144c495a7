"""Fund tracing on hand-built graphs: splits, merges, earlier money excluded, cycles, depth."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest

from fanzha.funds.model import AllocationRule, Edge
from fanzha.funds.recovery import recoverable
from fanzha.funds.trace import ListGraph, TraceSettings, account_root, trace

T0 = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
_ids = count(1)


def e(payer: str, payee: str, minutes: float, yuan: int) -> Edge:
    return Edge(f"e{next(_ids)}", payer, payee, T0 + timedelta(minutes=minutes), yuan * 100)


def by_account(tr, level: int | None = None) -> dict[str, int]:
    out: dict[str, int] = {}
    for n in tr.nodes:
        if level is None or n.level == level:
            out[n.account] = out.get(n.account, 0) + n.amount_fen
    return out


def test_split_follows_amounts_and_leaves_rest_at_risk() -> None:
    victim = e("V", "A", 0, 10_000)
    graph = ListGraph([victim, e("A", "B", 5, 4_000), e("A", "C", 6, 5_000), e("B", "D", 9, 4_000)])
    tr = trace(graph, [victim])
    assert by_account(tr, 1) == {"A": 1_000_000}
    assert by_account(tr, 2) == {"B": 400_000, "C": 500_000}
    assert by_account(tr, 3) == {"D": 400_000}
    exposure = {x.account: x.at_risk_fen for x in tr.exposures()}
    assert exposure == {"A": 100_000, "B": 0, "C": 500_000, "D": 400_000}
    assert tr.at_risk_fen == tr.traced_fen == 1_000_000


def test_money_that_arrived_before_the_victims_is_not_followed() -> None:
    earlier_out = e("A", "X", -30, 9_000)  # left before the victim paid: cannot be the victim's
    victim = e("V", "A", 0, 5_000)
    graph = ListGraph([earlier_out, victim, e("A", "Y", 10, 5_000)])
    tr = trace(graph, [victim])
    assert "X" not in by_account(tr)
    assert by_account(tr, 2) == {"Y": 500_000}


def test_outflow_larger_than_the_victims_money_carries_only_the_victims_part() -> None:
    victim = e("V", "A", 0, 1_000)
    graph = ListGraph([victim, e("O", "A", 1, 9_000), e("A", "B", 2, 10_000)])
    assert by_account(trace(graph, [victim]), 2) == {"B": 100_000}


def test_merge_counts_each_edge_once() -> None:
    # The victim's money splits at A and merges again at M; M forwards 8 000 once.
    victim = e("V", "A", 0, 8_000)
    graph = ListGraph(
        [
            victim,
            e("A", "B", 1, 4000),
            e("A", "C", 1, 4000),
            e("B", "M", 2, 4000),
            e("C", "M", 3, 4000),
            e("M", "Z", 5, 8000),
        ]
    )
    tr = trace(graph, [victim])
    assert by_account(tr, 3) == {"M": 800_000}
    assert by_account(tr)["Z"] == 800_000
    assert tr.at_risk_fen == 800_000


def test_cycle_terminates_and_conserves_money() -> None:
    victim = e("V", "A", 0, 1_000)
    graph = ListGraph([victim, e("A", "B", 1, 1_000), e("B", "A", 2, 1_000), e("A", "B", 3, 1_000)])
    tr = trace(graph, [victim])
    assert tr.at_risk_fen == 100_000
    assert max(n.level for n in tr.nodes) == 4
    # the same edge never carries more than its amount
    assert len({n.via_event_id for n in tr.nodes}) == len(tr.nodes)


def test_same_second_cycle_terminates() -> None:
    victim = e("V", "A", 0, 1_000)
    graph = ListGraph([victim, e("A", "B", 0, 1_000), e("B", "A", 0, 1_000)])
    tr = trace(graph, [victim])
    assert tr.at_risk_fen == 100_000
    assert len(tr.nodes) == 3


def test_depth_limit_cuts_and_says_so() -> None:
    victim = e("V", "L1", 0, 1_000)
    chain = [e(f"L{i}", f"L{i + 1}", i, 1_000) for i in range(1, 8)]
    graph = ListGraph([victim, *chain])
    cut = trace(graph, [victim], TraceSettings(max_depth=3))
    assert cut.depth == 3
    assert cut.truncated
    full = trace(graph, [victim])
    assert full.depth == 8
    assert not full.truncated


def test_until_hides_later_transfers() -> None:
    victim = e("V", "A", 0, 1_000)
    graph = ListGraph([victim, e("A", "B", 120, 1_000)])
    tr = trace(graph, [victim], TraceSettings(until=T0 + timedelta(minutes=60)))
    assert by_account(tr) == {"A": 100_000}


def test_proportional_rule_shares_a_mixed_pool() -> None:
    victim = e("V", "A", 0, 1_000)
    graph = ListGraph([victim, e("O", "A", 1, 3_000), e("A", "B", 2, 2_000), e("A", "C", 3, 2_000)])
    greedy = trace(graph, [victim])
    prop = trace(graph, [victim], TraceSettings(rule=AllocationRule.PROPORTIONAL))
    assert by_account(greedy, 2) == {"B": 100_000}
    # pool 4 000 of which 1 000 is the victim's: B takes 2 000 × ¼ = 500; C takes 2 000 × 500/2 000 = 500
    assert by_account(prop, 2) == {"B": 50_000, "C": 50_000}


def test_small_remainders_are_not_followed() -> None:
    victim = e("V", "A", 0, 1_000)
    graph = ListGraph([victim, e("A", "B", 1, 999), e("A", "C", 2, 5)])
    tr = trace(graph, [victim], TraceSettings(min_amount_fen=200))
    assert "C" not in by_account(tr)


def test_account_root_traces_from_a_reported_account() -> None:
    graph = ListGraph([e("A", "B", 10, 300)])
    tr = trace(graph, [account_root("A", T0, 30_000)])
    assert by_account(tr, 2) == {"B": 30_000}


def test_naive_datetime_rejected() -> None:
    with pytest.raises(ValueError, match="naive"):
        trace(ListGraph([]), [Edge("x", "V", "A", datetime(2026, 1, 1), 100)])


def test_recoverable_counts_money_caught_by_holds_once() -> None:
    victim = e("V", "A", 0, 10_000)
    graph = ListGraph([victim, e("A", "B", 5, 6_000), e("B", "C", 30, 6_000)])
    tr = trace(graph, [victim])
    nothing = recoverable(tr, {})
    assert nothing.recoverable_fen == 0
    # A stopped at minute 3: all 10 000 caught at A, nothing counted downstream
    early = recoverable(tr, {"A": T0 + timedelta(minutes=3), "B": T0 + timedelta(minutes=3)})
    assert early.by_account == {"A": 1_000_000}
    # A at minute 10 (6 000 already left), B at minute 20: 4 000 at A, 6 000 at B
    late = recoverable(tr, {"A": T0 + timedelta(minutes=10), "B": T0 + timedelta(minutes=20)})
    assert late.by_account == {"A": 400_000, "B": 600_000}
    assert late.recoverable_fen == late.traced_fen
