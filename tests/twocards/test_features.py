"""Mule-account features on hand-built transfer graphs: each says what it should, whatever the unit."""

import math

import polars as pl
import pytest

from fanzha.twocards.features import FIRST_PASS, first_pass, indexed

H = 3600
T0 = 1_790_000_000  # 2026-09-21 22:13:20 (UTC+8)


def _frame(rows: list[tuple[str, str, float, int]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["payer", "payee", "amount", "ts"], orient="row")


def _features(rows: list[tuple[str, str, float, int]], *, has_clock: bool = True) -> dict[str, dict]:
    tx, names = indexed(_frame(rows))
    out = first_pass(tx, names.len(), has_clock=has_clock)
    return {names[i]: row for i, row in enumerate(out.iter_rows(named=True))}


BACKGROUND = [(f"p{i}", f"q{i % 3}", 100.0 + i, T0 + i * 7 * H) for i in range(12)]


def test_pass_through_account_shows_flow_through_and_a_short_dwell() -> None:
    f = _features([*BACKGROUND, ("victim", "mule", 1000.0, T0), ("mule", "next", 980.0, T0 + H)])
    mule = f["mule"]
    assert mule["flow_through"] == pytest.approx(0.98)
    assert mule["dwell_median_h"] == pytest.approx(1.0)
    assert mule["quick_out_share"] == 1.0
    assert mule["passed_quickly"] == pytest.approx(0.98)
    assert f["victim"]["flow_through"] == 0.0
    assert f["victim"]["dwell_median_h"] is None  # nothing came in before it paid


def test_small_test_transfer_before_a_large_one_is_seen_on_both_sides() -> None:
    f = _features([*BACKGROUND, ("a", "b", 1.0, T0), ("a", "b", 900.0, T0 + H), ("a", "c", 100.0, T0)])
    assert f["a"]["test_out_share"] == pytest.approx(0.5)  # one of its two payees got a test first
    assert f["b"]["test_in_share"] == 1.0
    assert f["c"]["test_in_share"] == 0.0
    assert f["a"]["small_share"] > 0


def test_three_hop_cycle_is_counted_for_each_member() -> None:
    cycle = [("x", "y", 500.0, T0), ("y", "z", 490.0, T0 + H), ("z", "x", 480.0, T0 + 2 * H)]
    f = _features([*BACKGROUND, *cycle])
    assert [f[a]["cycle3"] for a in "xyz"] == [1.0, 1.0, 1.0]
    assert f["p0"]["cycle3"] == 0.0


def test_reciprocal_counterparts_and_repeats() -> None:
    rows = [("a", "b", 100.0, T0), ("b", "a", 100.0, T0 + H), ("a", "b", 100.0, T0 + 2 * H)]
    f = _features([*BACKGROUND, *rows])
    assert f["a"]["reciprocal_share"] == 1.0
    assert f["a"]["out_repeat"] == 2.0


def test_amount_unit_does_not_change_any_feature() -> None:
    rows = [*BACKGROUND, ("v", "m", 1000.0, T0), ("m", "n", 980.0, T0 + H), ("m", "n", 3.0, T0 - H)]
    yuan = _features(rows)
    fen = _features([(a, b, x * 100, t) for a, b, x, t in rows])
    for account, feats in yuan.items():
        for name in FIRST_PASS:
            left, right = feats[name], fen[account][name]
            assert (left is None and right is None) or math.isclose(left, right, rel_tol=1e-9), name


def test_night_share_only_when_times_have_a_clock() -> None:
    night = T0 + 4 * H  # 02:13 local on 2026-09-22
    rows = [*BACKGROUND, ("a", "b", 100.0, night), ("a", "c", 100.0, night + 12 * H)]
    assert _features(rows)["a"]["night_share"] == pytest.approx(0.5)
    assert _features(rows, has_clock=False)["a"]["night_share"] is None


def test_neighbour_aggregates_describe_the_counterparts() -> None:
    f = _features([*BACKGROUND, ("v", "mule", 1000.0, T0), ("mule", "out", 990.0, T0 + H)])
    assert f["v"]["nb_flow_through_max"] == pytest.approx(0.99)
    assert f["v"]["nb_degree_mean"] == 2.0  # the mule has two counterparts
