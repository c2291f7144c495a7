"""The benchmark's baseline: the same pass-one account features built with plain pandas (group-bys,
merges, `merge_asof`), as one would write them without Polars. `fanzha bench twocards` times it against
`features.first_pass` on the same transfers; a test checks both give the same numbers.

pandas is a development dependency: this module is imported only by the benchmark and its test.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from fanzha.twocards.features import CYCLE_DEGREE_CAP, FIRST_PASS, HOUR, ODD, QUICK_HOURS, SMALL, TEST_RATIO


def first_pass(tx: Any, n_accounts: int, *, has_clock: bool) -> pd.DataFrame:
    """`tx`: the `indexed` Polars frame (src, dst, rel, ts); returns id + FIRST_PASS, by id."""
    t = pd.DataFrame({c: tx[c].to_numpy() for c in ("src", "dst", "rel", "ts")})
    t["src"], t["dst"] = t["src"].astype(np.int64), t["dst"].astype(np.int64)
    out_legs = pd.DataFrame(
        {"id": t["src"], "cp": t["dst"], "rel": t["rel"], "ts": t["ts"], "inbound": False}
    )
    in_legs = pd.DataFrame({"id": t["dst"], "cp": t["src"], "rel": t["rel"], "ts": t["ts"], "inbound": True})
    legs = pd.concat([out_legs, in_legs], ignore_index=True)
    own = pd.DataFrame(index=pd.RangeIndex(n_accounts, name="id"))
    for part in (_counts(legs), _tests(t), _dwell(legs), _timing(legs, has_clock), _cycles(t), _odd(t)):
        own = own.join(part)
    inn, out = own["in_amount"].fillna(0.0), own["out_amount"].fillna(0.0)
    own["flow_through"] = (np.minimum(inn, out) / np.maximum(inn, out)).fillna(0.0)
    own["net_share"] = (inn - out) / (inn + out)
    own["in_repeat"] = own["in_count"] / own["in_counterparts"]
    own["out_repeat"] = own["out_count"] / own["out_counterparts"]
    own["out_in_amount_ratio"] = own["out_mean"] / own["in_mean"]
    own["cycle3"] = own["cycle3"].fillna(0.0)
    own = own.join(_neighbours(legs, own))
    return own.reset_index()[["id", *FIRST_PASS]].replace([np.inf, -np.inf], np.nan)


def _counts(legs: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for side, inbound in (("in", True), ("out", False)):
        g = legs[legs["inbound"] == inbound].groupby("id")
        agg = pd.DataFrame(
            {
                f"{side}_count": g["rel"].size(),
                f"{side}_counterparts": g["cp"].nunique(),
                f"{side}_amount": g["rel"].sum(),
                f"{side}_mean": g["rel"].mean(),
            }
        )
        agg[f"{side}_cv"] = g["rel"].std() / agg[f"{side}_mean"]
        parts.append(agg)
    every = legs.groupby("id")
    out = pd.concat(parts, axis=1)
    out = out.reindex(every.size().index)
    for side in ("in", "out"):
        out[f"{side}_count"] = out[f"{side}_count"].fillna(0)
        out[f"{side}_counterparts"] = out[f"{side}_counterparts"].fillna(0)
        out[f"{side}_amount"] = out[f"{side}_amount"].fillna(0.0)
    out["small_share"] = (legs["rel"] < SMALL).groupby(legs["id"]).mean()
    both = legs.drop_duplicates(["id", "cp", "inbound"]).groupby(["id", "cp"])["inbound"].nunique() == 2
    out["reciprocal_share"] = both.groupby(level="id").mean()
    return out


def _tests(t: pd.DataFrame) -> pd.DataFrame:
    s = t.sort_values(["ts", "rel"], kind="stable").groupby(["src", "dst"], sort=False)
    pairs = pd.DataFrame({"first": s["rel"].first(), "largest": s["rel"].max(), "n": s["rel"].size()})
    pairs["test"] = (pairs["n"] >= 2) & (pairs["first"] < TEST_RATIO * pairs["largest"])
    pairs = pairs.reset_index()
    out = pairs.groupby("src")["test"].mean().rename("test_out_share").rename_axis("id")
    into = pairs.groupby("dst")["test"].mean().rename("test_in_share").rename_axis("id")
    return pd.concat([out, into], axis=1)


def _dwell(legs: pd.DataFrame) -> pd.DataFrame:
    inflow = legs.loc[legs["inbound"], ["id", "ts"]].rename(columns={"ts": "in_ts"}).sort_values("in_ts")
    outflow = legs.loc[~legs["inbound"], ["id", "ts", "rel"]].sort_values("ts")
    joined = pd.merge_asof(outflow, inflow, left_on="ts", right_on="in_ts", by="id", direction="backward")
    joined["dwell"] = (joined["ts"] - joined["in_ts"]) / HOUR
    joined["quick"] = joined["dwell"] <= QUICK_HOURS
    g = joined.groupby("id")
    in_total = legs.loc[legs["inbound"]].groupby("id")["rel"].sum()
    quick_amount = joined["rel"].where(joined["quick"], 0.0).groupby(joined["id"]).sum()
    return pd.DataFrame(
        {
            "dwell_median_h": g["dwell"].median(),
            "quick_out_share": g["quick"].mean(),
            "passed_quickly": np.minimum(quick_amount / in_total, 1.0),
        }
    )


def _timing(legs: pd.DataFrame, has_clock: bool) -> pd.DataFrame:
    g = legs.groupby("id")
    first_seen, last = g["ts"].min(), g["ts"].max()
    first_in = legs.loc[legs["inbound"]].groupby("id")["ts"].min()
    active = (last - first_seen) / 86_400 + 1
    peak = legs.assign(day=legs["ts"] // 86_400).groupby(["id", "day"]).size().groupby(level="id").max()
    night = (((legs["ts"] + 8 * 3600) % 86_400) // 3600 < 6).groupby(legs["id"]).mean()
    return pd.DataFrame(
        {
            "first_in_age_h": (first_in - first_seen) / HOUR,
            "active_days": active,
            "per_active_day": g.size() / active,
            "peak_day_share": peak / g.size(),
            "night_share": night if has_clock else np.nan,
        }
    )


def _cycles(t: pd.DataFrame) -> pd.DataFrame:
    e = t[["src", "dst"]].drop_duplicates()
    e = e[e["src"] != e["dst"]]
    degree = pd.concat([e["src"], e["dst"]]).value_counts()
    small = degree[degree <= CYCLE_DEGREE_CAP].index
    e = e[e["src"].isin(small) & e["dst"].isin(small)]
    two = e.merge(e.rename(columns={"src": "dst", "dst": "c"}), on="dst")
    two = two[two["c"] != two["src"]]
    three = two.merge(e.rename(columns={"src": "c", "dst": "src"}), on=["c", "src"])
    return three.groupby("src").size().astype(float).rename("cycle3").rename_axis("id").to_frame()


def _odd(t: pd.DataFrame) -> pd.DataFrame:
    usual = t.groupby("src")["rel"].median().rename("usual")
    o = t.join(usual, on="src")
    o["odd"] = (o["rel"] - o["usual"]).abs() > ODD * o["usual"]
    odd_rows = o[o["odd"]]
    odd_out = odd_rows.groupby("src")["dst"].nunique()
    odd_in = odd_rows.groupby("dst")["src"].nunique()
    out = pd.DataFrame(
        {
            "odd_out_share": o.groupby("src")["odd"].mean().rename_axis("id"),
            "odd_in_share": o.groupby("dst")["odd"].mean().rename_axis("id"),
        }
    )
    out["odd_counterparts"] = odd_out.reindex(out.index).fillna(0) + odd_in.reindex(out.index).fillna(0)
    return out


def _neighbours(legs: pd.DataFrame, own: pd.DataFrame) -> pd.DataFrame:
    traits = pd.DataFrame(
        {
            "deg": own["in_counterparts"].fillna(0) + own["out_counterparts"].fillna(0),
            "flow_through": own["flow_through"],
            "small_share": own["small_share"],
            "repeat": own[["in_repeat", "out_repeat"]].max(axis=1),
            "quick_out_share": own["quick_out_share"],
            "odd": own[["odd_in_share", "odd_out_share"]].max(axis=1),
        }
    )
    pairs = legs[["id", "cp"]].drop_duplicates().join(traits, on="cp")
    g = pairs.groupby("id")
    return pd.DataFrame(
        {
            "nb_degree_mean": g["deg"].mean(),
            "nb_flow_through_mean": g["flow_through"].mean(),
            "nb_flow_through_max": g["flow_through"].max(),
            "nb_small_share_mean": g["small_share"].mean(),
            "nb_repeat_mean": g["repeat"].mean(),
            "nb_quick_out_mean": g["quick_out_share"].mean(),
            "nb_odd_mean": g["odd"].mean(),
        }
    )
