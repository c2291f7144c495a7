"""Gradient boosting shared by both cards: deterministic LightGBM fits, out-of-fold predictions, the F1
threshold chosen on them, and each row's strongest reasons (`pred_contrib`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import lightgbm as lgb
import numpy as np

DEFAULT_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,  # OpenMP threads spin on a shared, loaded machine: one is ten times faster there
}
ROUNDS = 300
FOLDS = 5


@dataclass(frozen=True, slots=True)
class Fit:
    """What a training run measured on its own out-of-fold predictions."""

    threshold: float
    f1: float
    precision: float
    recall: float
    positives: int
    rows: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "threshold": round(self.threshold, 6),
            "f1": round(self.f1, 4),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "positives": self.positives,
            "rows": self.rows,
        }


def settle(x: np.ndarray) -> np.ndarray:
    """`x` rounded to float32 (about 7 significant digits): Polars adds floats in parallel, in no fixed
    order, and the last bits must not change a fit or a score (training is deterministic)."""
    return np.asarray(x, dtype=np.float32)


def fit(
    x: np.ndarray,
    y: np.ndarray,
    names: Sequence[str],
    *,
    seed: int,
    rounds: int = ROUNDS,
    params: dict[str, Any] | None = None,
) -> lgb.Booster:
    params = DEFAULT_PARAMS | (params or {}) | {"seed": seed}
    data = lgb.Dataset(x, label=y, feature_name=list(names), free_raw_data=True)
    return lgb.train(params, data, num_boost_round=rounds)


def fold_ids(y: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """Stratified fold number of each row: positives and negatives shuffled and dealt round-robin."""
    rng = np.random.default_rng(seed)
    out = np.empty(y.size, dtype=np.int64)
    for cls in (0, 1):
        rows = rng.permutation(np.flatnonzero(y == cls))
        out[rows] = np.arange(rows.size) % folds
    return out


def out_of_fold(
    x: np.ndarray,
    y: np.ndarray,
    names: Sequence[str],
    *,
    seed: int,
    folds: int = FOLDS,
    fold: np.ndarray | None = None,
    params: dict[str, Any] | None = None,
    rounds: int = ROUNDS,
) -> np.ndarray:
    """Each row scored by a model that never saw it (nor any row of the same fold: `fold` keeps copies
    of one subject together)."""
    fold = fold_ids(y, folds, seed) if fold is None else fold
    oof = np.zeros(y.size)
    for k in range(folds):
        held = fold == k
        booster = fit(x[~held], y[~held], names, seed=seed + k, params=params, rounds=rounds)
        oof[held] = booster.predict(x[held])
    return oof


def best_threshold(y: np.ndarray, p: np.ndarray) -> Fit:
    """The score cut with the best F1 (flag = score ≥ cut), midway between neighbouring scores."""
    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order].astype(np.int64)
    tp = np.cumsum(ys)
    flagged = np.arange(1, ys.size + 1)
    positives = int(ys.sum())
    last_of_tie = np.r_[ps[1:] != ps[:-1], True]  # a cut can only fall between distinct scores
    f1 = np.where(last_of_tie, 2 * tp / (flagged + positives), -1.0)
    i = int(np.argmax(f1))
    cut = float((ps[i] + ps[i + 1]) / 2) if i + 1 < ps.size else float(ps[i])
    return measure(y, p >= cut, cut)


def measure(y: np.ndarray, flag: np.ndarray, cut: float) -> Fit:
    tp = int((flag & (y == 1)).sum())
    precision = tp / max(int(flag.sum()), 1)
    recall = tp / max(int((y == 1).sum()), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Fit(cut, f1, precision, recall, int((y == 1).sum()), int(y.size))


def reasons(
    booster: lgb.Booster, x: np.ndarray, names: Sequence[str], labels: dict[str, str], top: int = 3
) -> list[str]:
    """Per row, the features that pushed its score up the most, with their values."""
    if x.shape[0] == 0:
        return []
    contrib = np.asarray(booster.predict(x, pred_contrib=True))[:, :-1]  # last column: the bias
    best = np.argsort(-contrib, axis=1, kind="stable")[:, :top]
    out = []
    for row, cols in enumerate(best):
        parts = [f"{labels.get(names[c], names[c])}={_fmt(x[row, c])}" for c in cols if contrib[row, c] > 0]
        out.append("；".join(parts))
    return out


def _fmt(value: float) -> str:
    if np.isnan(value):
        return "无"
    return f"{value:.3g}"
