"""Returns of frozen funds: traced first, pro rata by loss after the notice, exact in fen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fanzha.funds.returns import (
    Claim,
    ProRata,
    ReturnApplication,
    decisions,
    largest_remainder,
    plan_returns,
)

T0 = datetime(2026, 5, 1, tzinfo=UTC)
DAY = timedelta(days=1)

fen = st.integers(min_value=0, max_value=10**11)


@st.composite
def claims(draw: st.DrawFn) -> list[Claim]:
    n = draw(st.integers(min_value=0, max_value=8))
    out = []
    for i in range(n):
        loss = draw(fen)
        out.append(Claim(f"v{i}", loss, draw(st.integers(min_value=0, max_value=loss))))
    return out


@given(frozen=fen, cs=claims(), noticed=st.booleans())
def test_returns_never_exceed_frozen_and_add_up(frozen: int, cs: list[Claim], noticed: bool) -> None:
    now = T0 + 31 * DAY
    plan = plan_returns(frozen, cs, now=now, notice_published_at=T0 if noticed else None)
    assert plan.payable_fen + plan.remainder_fen == frozen
    assert 0 <= plan.payable_fen <= frozen
    assert sum(s.total_fen for s in plan.shares) <= frozen
    for share, claim in zip(plan.shares, cs, strict=True):
        assert share.total_fen <= claim.loss_fen
        assert share.traced_fen <= claim.traced_fen
    if plan.remainder_fen > 0 and plan.pro_rata is ProRata.DUE:
        # money is only left over when every loss is paid in full
        assert all(s.total_fen == c.loss_fen for s, c in zip(plan.shares, cs, strict=True))


@given(frozen=fen, cs=claims(), days=st.integers(min_value=0, max_value=60))
def test_pro_rata_is_paid_only_after_the_30_day_notice(frozen: int, cs: list[Claim], days: int) -> None:
    without = plan_returns(frozen, cs, now=T0 + days * DAY)
    with_notice = plan_returns(frozen, cs, now=T0 + days * DAY, notice_published_at=T0)
    assert without.pro_rata is not ProRata.DUE
    assert without.payable_fen == sum(s.traced_fen for s in without.shares)
    if with_notice.pro_rata is ProRata.DUE:
        assert days >= 30
    if days < 30:
        assert with_notice.payable_fen == without.payable_fen


@given(total=fen, weights=st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=10))
def test_largest_remainder_sums_exactly(total: int, weights: list[int]) -> None:
    parts = largest_remainder(total, weights)
    assert sum(parts) == total
    if total <= sum(weights):
        assert all(0 <= p <= w for p, w in zip(parts, weights, strict=True))


def test_traced_deposits_go_back_directly_the_rest_pro_rata_by_loss() -> None:
    cs = [Claim("a", 10_000, traced_fen=6_000), Claim("b", 30_000), Claim("c", 10_000)]
    plan = plan_returns(20_001, cs, now=T0 + 30 * DAY, notice_published_at=T0)
    assert plan.pro_rata is ProRata.DUE
    # a gets its 6 000 back first; 14 001 left over remaining losses 4 000 / 30 000 / 10 000
    assert [(s.traced_fen, s.pro_rata_fen) for s in plan.shares] == [(6_000, 1_273), (0, 9_546), (0, 3_182)]
    assert plan.remainder_fen == 0


def test_traced_claims_larger_than_frozen_are_scaled() -> None:
    plan = plan_returns(100, [Claim("a", 300, 300), Claim("b", 100, 100)], now=T0)
    assert [s.traced_fen for s in plan.shares] == [75, 25]
    assert plan.pro_rata is ProRata.NOT_NEEDED


def test_floats_and_duplicates_refused() -> None:
    with pytest.raises(ValueError, match="integer fen"):
        Claim("a", 10.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="one claim"):
        plan_returns(10, [Claim("a", 1), Claim("a", 2)], now=T0)


def test_decisions_only_for_applicants_and_only_payable_parts() -> None:
    cs = [Claim("a", 1_000, 400), Claim("b", 1_000)]
    early = plan_returns(1_500, cs, now=T0 + DAY, notice_published_at=T0)
    app = ReturnApplication(
        victim_id="a",
        return_account="6222000000000001",
        case_unit="城东派出所",
        case_no="A-1",
        involved_account="6200999900000009",
        loss_fen=1_000,
        case_officers=("甲", "乙"),
        freezing_unit="城东派出所",
        freeze_officers=("丙", "丁"),
        frozen_account="6200999900000009",
        frozen_fen=1_500,
    )
    found = decisions(early, [app], at=T0 + DAY, prefix="东", first_serial=7)
    assert [(d.basis, d.amount_fen) for d in found] == [("TRACED", 400)]
    assert found[0].decision_no == "东公(刑)返字〔2026〕7号"
