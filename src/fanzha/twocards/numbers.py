"""Fraud-number scoring: LightGBM over a table of per-number features.

The table is either given (one row per number, e.g. the Sichuan contest's feature table) or computed
from call and SMS records by `call_features`. The model remembers its feature columns and the flag
threshold, chosen on out-of-fold scores; training also reports a nested cross-validated F1 in which
each fold's threshold is chosen inside that fold's training part (no leakage).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import polars as pl

from fanzha.twocards import boost
from fanzha.twocards.accounts import read_json, write_json

FORMAT = "fanzha-twocards-numbers/1"
HOUR = 3600
SHORT_CALL_S = 30  # a call shorter than this is a hang-up or a robocall opening
NUMBER_LABELS_ZH: dict[str, str] = {
    "calls_per_day": "日均通话次数",
    "counterparts": "通话对象数",
    "out_share": "主叫占比",
    "unreturned_share": "未回拨对象占比",
    "dur_mean": "平均通话时长",
    "dur_median": "通话时长中位数",
    "short_share": "短时通话占比",
    "night_share": "夜间通话占比",
    "active_days": "活跃天数",
    "repeat": "同一对象重复通话",
    "sms_count": "短信条数",
    "sms_out_share": "发出短信占比",
    "sms_counterparts": "短信对象数",
    "sms_burst_share": "短信集中度(最忙一小时)",
}


@dataclass(frozen=True)
class NumberModel:
    booster: lgb.Booster
    threshold: float
    features: tuple[str, ...]
    meta: dict[str, Any] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        doc = {
            "format": FORMAT,
            "threshold": self.threshold,
            "features": list(self.features),
            "meta": self.meta,
            "booster": self.booster.model_to_string(),
        }
        write_json(path, doc)

    @classmethod
    def load(cls, path: Path) -> NumberModel:
        doc = read_json(path)
        if doc.get("format") != FORMAT:
            raise ValueError(f"{path} is not a fraud-number model ({FORMAT})")
        booster = lgb.Booster(model_str=doc["booster"])
        return cls(booster, float(doc["threshold"]), tuple(doc["features"]), doc.get("meta", {}))


def matrix(table: pl.DataFrame, features: tuple[str, ...]) -> np.ndarray:
    return boost.settle(table.select(pl.col(c).cast(pl.Float64, strict=False) for c in features).to_numpy())


def nested_f1(x: np.ndarray, y: np.ndarray, names: tuple[str, ...], seed: int) -> list[float]:
    """F1 on each of five held-out folds, the threshold chosen by inner out-of-fold scores of the rest."""
    fold = boost.fold_ids(y, boost.FOLDS, seed)
    scores = []
    for k in range(boost.FOLDS):
        held = fold == k
        inner = boost.out_of_fold(x[~held], y[~held], names, seed=seed + 10 * k)
        cut = boost.best_threshold(y[~held], inner).threshold
        p = np.asarray(boost.fit(x[~held], y[~held], names, seed=seed + k).predict(x[held]))
        scores.append(boost.measure(y[held], p >= cut, cut).f1)
    return scores


def train(
    table: pl.DataFrame, features: tuple[str, ...], *, seed: int = 7, nested: bool = True
) -> tuple[NumberModel, dict[str, Any]]:
    """`table` has `label` (0/1) and the `features` columns (numbers; empty cells are missing)."""
    y = table["label"].to_numpy()
    if y.size == 0 or len(set(y.tolist())) < 2:
        raise ValueError("training needs labelled numbers of both classes")
    x = matrix(table, features)
    oof = boost.out_of_fold(x, y, features, seed=seed)
    chosen = boost.best_threshold(y, oof)
    booster = boost.fit(x, y, features, seed=seed)
    report: dict[str, Any] = {"numbers": int(y.size), "features": len(features), "oof": chosen.as_dict()}
    if nested:
        f1s = nested_f1(x, y, features, seed + 1000)
        report["nested_cv_f1"] = {"mean": round(float(np.mean(f1s)), 4), "folds": [round(f, 4) for f in f1s]}
    return NumberModel(booster, chosen.threshold, features, {"training": report}), report


def score(model: NumberModel, table: pl.DataFrame, id_column: str) -> pl.DataFrame:
    """`<id>, score, flag, reasons` for every row, highest score first (reasons for flagged rows)."""
    missing = [c for c in model.features if c not in table.columns]
    if missing:
        raise ValueError(f"the table lacks the model's feature columns: {', '.join(missing[:10])}")
    x = matrix(table, model.features)
    p = np.asarray(model.booster.predict(x))
    flag = p >= model.threshold
    why = np.full(p.size, "", dtype=object)
    rows = np.flatnonzero(flag)
    labels = {k: f"{v}({k})" for k, v in NUMBER_LABELS_ZH.items()}
    why[rows] = boost.reasons(model.booster, x[rows], model.features, labels)
    return pl.DataFrame(
        {
            id_column: table[id_column],
            "score": np.round(p, 6),
            "flag": flag.astype(np.int8),
            "reasons": pl.Series(why.tolist(), dtype=pl.String),
        }
    ).sort("score", descending=True, maintain_order=True)


def call_features(calls: pl.DataFrame, sms: pl.DataFrame) -> pl.DataFrame:
    """Per-number features from call records (`phone, counterpart, direction` IN/OUT, `duration_s`,
    `ts`) and SMS records (`phone, counterpart, direction, ts`). A number's records are those where it is
    the subscriber and those where it is the counterpart (seen from the other side, direction flipped),
    so a fraud line that calls many residents is seen whole even though no resident owns it."""
    c = _both_sides(calls, ["duration_s"])
    s = _both_sides(sms, [])
    return (
        _call_part(c)
        .join(_sms_part(s), on="number", how="full", coalesce=True)
        .select("number", *NUMBER_LABELS_ZH)
        .sort("number")
        .collect()
    )


def _both_sides(frame: pl.DataFrame, extra: list[str]) -> pl.LazyFrame:
    own = frame.lazy().select(
        pl.col("phone").alias("number"), pl.col("counterpart").alias("cp"), "direction", "ts", *extra
    )
    flipped = frame.lazy().select(
        pl.col("counterpart").alias("number"),
        pl.col("phone").alias("cp"),
        pl.when(pl.col("direction") == "IN").then(pl.lit("OUT")).otherwise(pl.lit("IN")).alias("direction"),
        "ts",
        *extra,
    )
    return pl.concat([own, flipped]).unique()


def _call_part(c: pl.LazyFrame) -> pl.LazyFrame:
    out = pl.col("direction") == "OUT"
    called = c.filter(out).select("number", "cp").unique()
    back = c.filter(~out).select("number", "cp", returned=pl.lit(True)).unique()
    unreturned = (
        called.join(back, on=["number", "cp"], how="left")
        .group_by("number")
        .agg(unreturned_share=pl.col("returned").is_null().mean())
    )
    hour = ((pl.col("ts") + 8 * HOUR) % 86_400) // HOUR
    days = (pl.col("ts").max() - pl.col("ts").min()) / 86_400 + 1
    return (
        c.group_by("number")
        .agg(
            calls_per_day=pl.len() / days,
            counterparts=pl.col("cp").n_unique(),
            out_share=out.mean(),
            dur_mean=pl.col("duration_s").mean(),
            dur_median=pl.col("duration_s").median(),
            short_share=(pl.col("duration_s") < SHORT_CALL_S).mean(),
            night_share=(hour < 6).mean(),
            active_days=days,
            repeat=pl.len() / pl.col("cp").n_unique(),
        )
        .join(unreturned, on="number", how="left")
    )


def _sms_part(s: pl.LazyFrame) -> pl.LazyFrame:
    per_hour = s.group_by("number", (pl.col("ts") // HOUR).alias("h")).agg(n=pl.len())
    burst = per_hour.group_by("number").agg(peak=pl.col("n").max())
    return (
        s.group_by("number")
        .agg(
            sms_count=pl.len(),
            sms_out_share=(pl.col("direction") == "OUT").mean(),
            sms_counterparts=pl.col("cp").n_unique(),
        )
        .join(burst, on="number")
        .select(
            "number",
            "sms_count",
            "sms_out_share",
            "sms_counterparts",
            (pl.col("peak") / pl.col("sms_count")).alias("sms_burst_share"),
        )
    )
