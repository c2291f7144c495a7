"""Mule-account features from a transfer graph, in batch with Polars.

Input: a frame of transfers `payer, payee` (account ids as strings), `amount` (any unit: every amount
feature is relative to the frame's median transfer, so fen or yuan give the same features) and `ts`
(Unix seconds; for a simulator's steps, step × 86 400). Output: one row per account with the columns
`FIRST_PASS` (what the account's own transfers and its counterparts' shapes say), and, after a first
model has scored every account, `neighbour_scores` adds what its counterparts' scores say.

The features ask typology-agnostic questions — does money pass through (快进快出), how long does it
stay, are there test transfers (试探性转账), repeated counterparts, money coming back (cycles), what
are the counterparts like — rather than "is this a fan-in", so that a model trained on one laundering
shape can still see another.
"""

from __future__ import annotations

import polars as pl

HOUR = 3600.0
SMALL = 0.1  # a transfer under 10% of the frame's median transfer is small
TEST_RATIO = 0.2  # a first transfer to a counterpart under 20% of the largest one to it is a test
ODD = 0.25  # a transfer more than 25% away from its payer's median payment is unusual for the payer
QUICK_HOURS = 24.0  # money that leaves within a day of arriving is passed on quickly
CYCLE_DEGREE_CAP = 200  # hubs above this many counterparts are left out of the 3-cycle search

OWN = (
    "in_count", "out_count", "in_counterparts", "out_counterparts", "in_amount", "out_amount",
    "in_mean", "out_mean", "in_cv", "out_cv", "in_repeat", "out_repeat", "flow_through", "net_share",
    "small_share", "test_in_share", "test_out_share", "reciprocal_share", "dwell_median_h",
    "quick_out_share", "passed_quickly", "first_in_age_h", "active_days", "per_active_day",
    "peak_day_share", "night_share", "cycle3", "out_in_amount_ratio", "odd_in_share", "odd_out_share",
    "odd_counterparts",
)  # fmt: skip
NEIGHBOUR = (
    "nb_degree_mean", "nb_flow_through_mean", "nb_flow_through_max", "nb_small_share_mean",
    "nb_repeat_mean", "nb_quick_out_mean", "nb_odd_mean",
)  # fmt: skip
FIRST_PASS = (*OWN, *NEIGHBOUR)
SCORES = ("nb_score_in_mean", "nb_score_in_max", "nb_score_out_mean", "nb_score_out_max", "nb_high_share")
SECOND_PASS = (*FIRST_PASS, *SCORES)


def indexed(transfers: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series]:
    """Transfers with integer account ids `src, dst` (and relative amounts `rel`), and the account names."""
    names = pl.concat([transfers["payer"], transfers["payee"]]).unique(maintain_order=True).rename("account")
    ids = pl.DataFrame({"account": names, "id": pl.int_range(names.len(), dtype=pl.UInt32, eager=True)})
    median = transfers["amount"].median()
    scale = float(median) if isinstance(median, int | float) and median > 0 else 1.0
    tx = (
        transfers.lazy()
        .join(ids.lazy().rename({"account": "payer", "id": "src"}), on="payer")
        .join(ids.lazy().rename({"account": "payee", "id": "dst"}), on="payee")
        .select("src", "dst", (pl.col("amount") / scale).alias("rel"), pl.col("ts").cast(pl.Int64))
        .collect()
    )
    return tx, names


def first_pass(tx: pl.DataFrame, n_accounts: int, *, has_clock: bool) -> pl.DataFrame:
    """`id` and the FIRST_PASS features of every account 0 … n_accounts-1 of an `indexed` frame."""
    legs = _legs(tx).collect().lazy()  # built once, read by several parts
    frame = pl.DataFrame({"id": pl.int_range(n_accounts, dtype=pl.UInt32, eager=True)}).lazy()
    edges = distinct_edges(tx)
    parts = (_counts(tx, edges), _tests(tx), _dwell(legs), _timing(legs, has_clock), _cycles(edges), _odd(tx))
    for part in parts:
        frame = frame.join(part, on="id", how="left")
    own = frame.with_columns(_ratios()).sort("id").collect()
    joined = own.join(_neighbours(_pairs(edges), own), on="id", how="left", maintain_order="left")
    return joined.sort("id").select("id", *FIRST_PASS).with_columns(pl.col(pl.Float64).fill_nan(None))


def distinct_edges(tx: pl.DataFrame) -> pl.LazyFrame:
    """Each (payer, payee) pair once, built once and read by several parts."""
    return tx.lazy().select("src", "dst").unique().collect().lazy()


def _pairs(edges: pl.LazyFrame) -> pl.LazyFrame:
    """(id, counterpart) once per pair, whichever way the money went."""
    paid_to = edges.select(pl.col("src").alias("id"), pl.col("dst").alias("cp"))
    paid_by = edges.select(pl.col("dst").alias("id"), pl.col("src").alias("cp"))
    return pl.concat([paid_to, paid_by]).unique()


def neighbour_scores(tx: pl.DataFrame, scores: pl.DataFrame, high: float) -> pl.DataFrame:
    """`id` and the SCORES features: counterparts' first-pass scores (`scores`: id, score), by direction."""
    s = scores.lazy()
    edges = distinct_edges(tx)
    paid_by = edges.select(pl.col("dst").alias("id"), pl.col("src").alias("cp"))
    paid_to = edges.select(pl.col("src").alias("id"), pl.col("dst").alias("cp"))
    incoming = (
        paid_by.join(s.rename({"id": "cp"}), on="cp")
        .group_by("id")
        .agg(nb_score_in_mean=pl.col("score").mean(), nb_score_in_max=pl.col("score").max())
    )
    outgoing = (
        paid_to.join(s.rename({"id": "cp"}), on="cp")
        .group_by("id")
        .agg(nb_score_out_mean=pl.col("score").mean(), nb_score_out_max=pl.col("score").max())
    )
    share = (
        _pairs(edges)
        .join(s.rename({"id": "cp"}), on="cp")
        .group_by("id")
        .agg(nb_high_share=(pl.col("score") >= high).mean())
    )
    return (
        s.select("id")
        .join(incoming, on="id", how="left")
        .join(outgoing, on="id", how="left")
        .join(share, on="id", how="left")
        .sort("id")
        .collect()
    )


def _legs(tx: pl.DataFrame) -> pl.LazyFrame:
    """Each transfer twice: once for the payer (out) and once for the payee (in)."""
    out = tx.lazy().select(pl.col("src").alias("id"), pl.col("dst").alias("cp"), "rel", "ts", inbound=False)
    into = tx.lazy().select(pl.col("dst").alias("id"), pl.col("src").alias("cp"), "rel", "ts", inbound=True)
    return pl.concat([out, into])


def _counts(tx: pl.DataFrame, edges: pl.LazyFrame) -> pl.LazyFrame:
    """Counts, counterparts, sums, means and spread of money in and out; small transfers; reciprocity."""
    sides = []
    for side, key, other in (("out", "src", "dst"), ("in", "dst", "src")):
        sides.append(
            tx.lazy()
            .group_by(pl.col(key).alias("id"))
            .agg(
                pl.len().alias(f"{side}_count"),
                pl.col(other).n_unique().alias(f"{side}_counterparts"),
                pl.col("rel").sum().alias(f"{side}_amount"),
                pl.col("rel").mean().alias(f"{side}_mean"),
                (pl.col("rel").std() / pl.col("rel").mean()).alias(f"{side}_cv"),
                (pl.col("rel") < SMALL).sum().alias(f"{side}_small"),
            )
        )
    zero = [f"{s}_{c}" for s in ("in", "out") for c in ("count", "counterparts", "amount", "small")]
    both = sides[0].join(sides[1], on="id", how="full", coalesce=True).with_columns(pl.col(zero).fill_null(0))
    small = (pl.col("in_small") + pl.col("out_small")) / (pl.col("in_count") + pl.col("out_count"))
    recip = pl.col("recip").fill_null(0)
    share = recip / (pl.col("in_counterparts") + pl.col("out_counterparts") - recip)
    return (
        both.with_columns(small_share=small)
        .join(_reciprocal(edges), on="id", how="left")
        .with_columns(reciprocal_share=share)
    )


def _reciprocal(edges: pl.LazyFrame) -> pl.LazyFrame:
    """Counterparts an account both paid and was paid by (over distinct edges)."""
    back = edges.select(pl.col("dst").alias("src"), pl.col("src").alias("dst"))
    return edges.join(back, on=["src", "dst"]).group_by(pl.col("src").alias("id")).agg(recip=pl.len())


def _ratios() -> list[pl.Expr]:
    inn, out = pl.col("in_amount").fill_null(0.0), pl.col("out_amount").fill_null(0.0)
    return [
        (pl.min_horizontal(inn, out) / pl.max_horizontal(inn, out)).fill_nan(0.0).alias("flow_through"),
        ((inn - out) / (inn + out)).alias("net_share"),
        (pl.col("test_in").fill_null(0) / pl.col("in_counterparts")).alias("test_in_share"),
        (pl.col("test_out").fill_null(0) / pl.col("out_counterparts")).alias("test_out_share"),
        (pl.col("in_count") / pl.col("in_counterparts")).alias("in_repeat"),
        (pl.col("out_count") / pl.col("out_counterparts")).alias("out_repeat"),
        (pl.col("out_mean") / pl.col("in_mean")).alias("out_in_amount_ratio"),
        pl.col("cycle3").fill_null(0),
    ]


def _tests(tx: pl.DataFrame) -> pl.LazyFrame:
    """试探性转账: pairs whose first transfer is small against the largest that followed (only pairs
    with two or more transfers can have one; shares are taken over all counterparts in `_ratios`)."""
    multi = tx.lazy().with_columns(n=pl.len().over("src", "dst")).filter(pl.col("n") >= 2)
    first = pl.col("rel").sort_by("ts", "rel").first()
    pairs = multi.group_by("src", "dst").agg(test=first < TEST_RATIO * pl.col("rel").max()).filter("test")
    out = pairs.group_by(pl.col("src").alias("id")).agg(test_out=pl.len())
    into = pairs.group_by(pl.col("dst").alias("id")).agg(test_in=pl.len())
    return out.join(into, on="id", how="full", coalesce=True)


def _odd(tx: pl.DataFrame) -> pl.LazyFrame:
    """Transfers unlike their payer's usual payment (more than ODD away from the payer's median)."""
    usual = tx.lazy().group_by("src").agg(usual=pl.col("rel").median())
    odd = (
        tx.lazy()
        .join(usual, on="src")
        .with_columns(odd=((pl.col("rel") - pl.col("usual")).abs() > ODD * pl.col("usual")))
    )
    out = odd.group_by(pl.col("src").alias("id")).agg(
        odd_out_share=pl.col("odd").mean(), odd_out=pl.col("dst").filter(pl.col("odd")).n_unique()
    )
    into = odd.group_by(pl.col("dst").alias("id")).agg(
        odd_in_share=pl.col("odd").mean(), odd_in=pl.col("src").filter(pl.col("odd")).n_unique()
    )
    return out.join(into, on="id", how="full", coalesce=True).select(
        "id",
        "odd_in_share",
        "odd_out_share",
        (pl.col("odd_in").fill_null(0) + pl.col("odd_out").fill_null(0)).alias("odd_counterparts"),
    )


def _dwell(legs: pl.LazyFrame) -> pl.LazyFrame:
    """快进快出: for each payment out, the time since the last money in; what left within a day."""
    inflow = legs.filter(pl.col("inbound")).select("id", pl.col("ts").alias("in_ts")).sort("in_ts")
    outflow = legs.filter(~pl.col("inbound")).select("id", "ts", "rel").sort("ts")
    joined = outflow.join_asof(
        inflow, left_on="ts", right_on="in_ts", by="id", strategy="backward", check_sortedness=False
    )
    dwell = (pl.col("ts") - pl.col("in_ts")) / HOUR
    quick = dwell <= QUICK_HOURS
    in_total = legs.filter(pl.col("inbound")).group_by("id").agg(in_total=pl.col("rel").sum())
    return (
        joined.group_by("id")
        .agg(
            dwell_median_h=dwell.median(),
            quick_out_share=quick.fill_null(False).mean(),
            quick_amount=pl.col("rel").filter(quick).sum(),
        )
        .join(in_total, on="id", how="left")
        .select(
            "id",
            "dwell_median_h",
            "quick_out_share",
            pl.when(pl.col("in_total") > 0)
            .then(pl.min_horizontal(pl.col("quick_amount") / pl.col("in_total"), 1.0))
            .alias("passed_quickly"),
        )
    )


def _timing(legs: pl.LazyFrame, has_clock: bool) -> pl.LazyFrame:
    """Account age at first inflow, active days, activity per day, the busiest day; night share."""
    day = pl.col("ts") // 86_400
    first_seen = pl.col("ts").min()
    first_in = pl.col("ts").filter(pl.col("inbound")).min()
    hour = ((pl.col("ts") + 8 * 3600) % 86_400) // 3600  # Asia/Shanghai, UTC+8 all year
    night = ((hour < 6).mean() if has_clock else pl.lit(None, dtype=pl.Float64)).alias("night_share")
    per_day = legs.group_by("id", day.alias("day")).agg(n=pl.len()).group_by("id").agg(peak=pl.col("n").max())
    return (
        legs.group_by("id")
        .agg(
            first_in_age_h=(first_in - first_seen) / HOUR,
            active_days=(pl.col("ts").max() - first_seen) / 86_400 + 1,
            n=pl.len(),
            night=night,
        )
        .join(per_day, on="id")
        .select(
            "id",
            "first_in_age_h",
            "active_days",
            (pl.col("n") / pl.col("active_days")).alias("per_active_day"),
            (pl.col("peak") / pl.col("n")).alias("peak_day_share"),
            pl.col("night").alias("night_share"),
        )
    )


def _cycles(distinct: pl.LazyFrame) -> pl.LazyFrame:
    """Money that comes back in three hops (a → b → c → a) over distinct edges, hubs left out."""
    edges = distinct.filter(pl.col("src") != pl.col("dst"))
    degree = pl.concat([edges.select(pl.col("src").alias("id")), edges.select(pl.col("dst").alias("id"))])
    small = degree.group_by("id").len().filter(pl.col("len") <= CYCLE_DEGREE_CAP).select("id")
    e = edges.join(small.rename({"id": "src"}), on="src").join(small.rename({"id": "dst"}), on="dst")
    two = e.join(e.rename({"src": "dst", "dst": "c"}), on="dst").filter(pl.col("c") != pl.col("src"))
    three = two.join(e.rename({"src": "c", "dst": "src"}), on=["c", "src"])
    return three.group_by(pl.col("src").alias("id")).agg(cycle3=pl.len().cast(pl.Float64))


def _neighbours(pairs: pl.LazyFrame, own: pl.DataFrame) -> pl.DataFrame:
    """What an account's counterparts look like (over distinct counterparts, both directions)."""
    traits = own.lazy().select(
        pl.col("id").alias("cp"),
        (pl.col("in_counterparts").fill_null(0) + pl.col("out_counterparts").fill_null(0)).alias("deg"),
        "flow_through",
        "small_share",
        pl.max_horizontal("in_repeat", "out_repeat").alias("repeat"),
        "quick_out_share",
        pl.max_horizontal("odd_in_share", "odd_out_share").alias("odd"),
    )
    return (
        pairs.join(traits, on="cp")
        .group_by("id")
        .agg(
            nb_degree_mean=pl.col("deg").mean(),
            nb_flow_through_mean=pl.col("flow_through").mean(),
            nb_flow_through_max=pl.col("flow_through").max(),
            nb_small_share_mean=pl.col("small_share").mean(),
            nb_repeat_mean=pl.col("repeat").mean(),
            nb_quick_out_mean=pl.col("quick_out_share").mean(),
            nb_odd_mean=pl.col("odd").mean(),
        )
        .collect()
    )
