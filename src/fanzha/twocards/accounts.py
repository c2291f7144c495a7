"""Mule-account scoring: two LightGBM passes over the transfer graph's features.

Pass one scores every account from its own flows and its counterparts' shapes (`features.FIRST_PASS`);
pass two adds what the counterparts' pass-one scores say (`features.SCORES`), so a ring's members lift
each other whatever the ring's shape. Training uses out-of-fold pass-one scores for the labelled
accounts (no account sees a score computed with its own label), and chooses the flag threshold on
out-of-fold pass-two scores. The model file is JSON: both boosters as LightGBM text, the thresholds,
the feature lists and what training measured.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import polars as pl

from fanzha.twocards import boost
from fanzha.twocards.features import FIRST_PASS, SECOND_PASS, first_pass, indexed, neighbour_scores
from fanzha.twocards.names import account_labels

FORMAT = "fanzha-twocards-accounts/1"
# Each tree sees 40% of the features, so the ensemble cannot lean on one strong signal alone (such as
# small amounts) and keeps others (flow-through, repeats, counterparts) for rings that lack it.
# 150 rounds at 0.1 score as well as 300 at 0.05 and predict twice as fast (2 M accounts, two passes).
PARAMS = {"feature_fraction": 0.4, "learning_rate": 0.1}
ROUNDS = 150
DEFAULT_MODEL = Path(__file__).with_name("default_accounts.json.gz")


def write_json(path: Path, doc: dict[str, Any]) -> None:
    """JSON, gzipped when the name ends in .gz (deterministic: no time stamp in the gzip header)."""
    data = json.dumps(doc, ensure_ascii=False).encode()
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)


def read_json(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    doc = json.loads(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    if not isinstance(doc, dict):
        raise ValueError(f"{path} is not a model file")
    return doc


@dataclass(frozen=True)
class AccountModel:
    first: lgb.Booster
    second: lgb.Booster
    threshold: float  # flag = pass-two score ≥ threshold
    high: float  # a counterpart scoring this in pass one counts as high risk
    meta: dict[str, Any] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        doc = {
            "format": FORMAT,
            "threshold": self.threshold,
            "high": self.high,
            "first_features": list(FIRST_PASS),
            "second_features": list(SECOND_PASS),
            "meta": self.meta,
            "first": self.first.model_to_string(),
            "second": self.second.model_to_string(),
        }
        write_json(path, doc)

    @classmethod
    def load(cls, path: Path) -> AccountModel:
        doc = read_json(path)
        if doc.get("format") != FORMAT:
            raise ValueError(f"{path} is not a mule-account model ({FORMAT})")
        if doc["first_features"] != list(FIRST_PASS) or doc["second_features"] != list(SECOND_PASS):
            raise ValueError(f"{path} was trained on other features: retrain it")
        return cls(
            lgb.Booster(model_str=doc["first"]),
            lgb.Booster(model_str=doc["second"]),
            float(doc["threshold"]),
            float(doc["high"]),
            doc.get("meta", {}),
        )


@dataclass(frozen=True)
class Graph:
    """A transfer frame's integer edges, account names and pass-one features."""

    tx: pl.DataFrame
    names: pl.Series
    features: pl.DataFrame


def graph(transfers: pl.DataFrame, *, has_clock: bool) -> Graph:
    tx, names = indexed(transfers)
    return Graph(tx, names, first_pass(tx, names.len(), has_clock=has_clock))


def matrix(frame: pl.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """The columns as float32 (see `boost.settle`)."""
    return boost.settle(frame.select(pl.col(c).cast(pl.Float32) for c in columns).to_numpy())


def mirrored(transfers: pl.DataFrame) -> pl.DataFrame:
    """The same money run backwards: payer and payee swapped, time reversed. Laundering shapes come in
    mirror pairs (fan-in / fan-out, gather / scatter), so training on both sides of each teaches the
    model the shape's pair it may never have seen."""
    ts = transfers["ts"].cast(pl.Int64)
    turn = int(ts.min() or 0) + int(ts.max() or 0)  # type: ignore[arg-type]
    return transfers.select(
        pl.col("payee").alias("payer"),
        pl.col("payer").alias("payee"),
        "amount",
        (turn - pl.col("ts")).alias("ts"),
    )


@dataclass(frozen=True)
class _Side:
    """One orientation of the training graph and where its labelled accounts sit."""

    g: Graph
    ids: np.ndarray
    x1: np.ndarray


def _side(transfers: pl.DataFrame, labels: pl.DataFrame, *, has_clock: bool) -> tuple[_Side, pl.DataFrame]:
    g = graph(transfers, has_clock=has_clock)
    known = (
        pl.DataFrame({"account": g.names, "id": pl.int_range(g.names.len(), eager=True)})
        .join(labels.select("account", pl.col("label").cast(pl.Int64)), on="account")
        .sort("account")
    )
    return _Side(g, known["id"].to_numpy(), matrix(g.features, FIRST_PASS)), known


def train(
    transfers: pl.DataFrame, labels: pl.DataFrame, *, has_clock: bool, seed: int = 7, mirror: bool = True
) -> tuple[AccountModel, dict[str, Any]]:
    """Fit on `labels` (`account`, `label` 0/1); accounts without a label still shape the graph."""
    sides, known = [], None
    for frame in [transfers, mirrored(transfers)] if mirror else [transfers]:
        side, known = _side(frame, labels, has_clock=has_clock)
        sides.append(side)
    assert known is not None
    if known.is_empty() or known["label"].n_unique() < 2:
        raise ValueError("the labels must name accounts of the transfers, with both 0 and 1")
    y1 = known["label"].to_numpy()
    y, n = np.tile(y1, len(sides)), y1.size
    fold = np.tile(boost.fold_ids(y1, boost.FOLDS, seed), len(sides))
    x1 = np.vstack([s.x1[s.ids] for s in sides])
    oof1 = boost.out_of_fold(x1, y, FIRST_PASS, seed=seed, fold=fold, params=PARAMS, rounds=ROUNDS)
    first = boost.fit(x1, y, FIRST_PASS, seed=seed, params=PARAMS, rounds=ROUNDS)
    high = boost.best_threshold(y1, oof1[:n]).threshold
    x2 = np.vstack([_second_rows(s, first, oof1[i * n : (i + 1) * n], high) for i, s in enumerate(sides)])
    oof2 = boost.out_of_fold(x2, y, SECOND_PASS, seed=seed + 100, fold=fold, params=PARAMS, rounds=ROUNDS)
    chosen = boost.best_threshold(y1, oof2[:n])
    second = boost.fit(x2, y, SECOND_PASS, seed=seed + 100, params=PARAMS, rounds=ROUNDS)
    report = {
        "accounts": sides[0].g.names.len(),
        "transfers": sides[0].g.tx.height,
        "labelled": n,
        "mirror": mirror,
        "first_pass_oof": boost.measure(y1, oof1[:n] >= high, high).as_dict(),
        "oof": chosen.as_dict(),
    }
    return AccountModel(first, second, chosen.threshold, high, {"training": report}), report


def _second_rows(side: _Side, first: lgb.Booster, oof: np.ndarray, high: float) -> np.ndarray:
    """Pass-two features of the labelled accounts: their counterparts' pass-one scores, out-of-fold
    where the counterpart is labelled."""
    scores = np.asarray(first.predict(side.x1))
    scores[side.ids] = oof
    rows: np.ndarray = matrix(_second(side.g, scores, high), SECOND_PASS)[side.ids]
    return rows


def _second(g: Graph, scores: np.ndarray, high: float) -> pl.DataFrame:
    frame = pl.DataFrame({"id": g.features["id"], "score": scores})
    return g.features.join(neighbour_scores(g.tx, frame, high), on="id", how="left").sort("id")


def score(model: AccountModel, transfers: pl.DataFrame, *, has_clock: bool) -> pl.DataFrame:
    """`account, score, flag, reasons` for every account of the transfers, highest score first.
    Reasons are given for flagged accounts (the strongest features that raised the score)."""
    g = graph(transfers, has_clock=has_clock)
    return score_graph(model, g)


def score_graph(model: AccountModel, g: Graph, threads: int = 1) -> pl.DataFrame:
    x1 = matrix(g.features, FIRST_PASS)
    first = np.asarray(model.first.predict(x1, num_threads=threads))
    x2 = matrix(_second(g, first, model.high), SECOND_PASS)
    p = np.asarray(model.second.predict(x2, num_threads=threads))
    flag = p >= model.threshold
    why = np.full(p.size, "", dtype=object)
    flagged = np.flatnonzero(flag)
    why[flagged] = boost.reasons(model.second, x2[flagged], SECOND_PASS, account_labels())
    return pl.DataFrame(
        {
            "account": g.names,
            "score": np.round(p, 6),
            "flag": flag.astype(np.int8),
            "reasons": pl.Series(why.tolist(), dtype=pl.String),
        }
    ).sort("score", descending=True, maintain_order=True)
