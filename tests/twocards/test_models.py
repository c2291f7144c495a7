"""The two models: thresholds from out-of-fold scores, deterministic fits, save/load, reasons."""

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from fanzha.corpus.rings import RingConfig, generate
from fanzha.twocards import accounts, boost, numbers
from fanzha.twocards.default import as_transfers

SMALL = RingConfig(accounts=2_500, days=60, rings_per_typology=5, seed=5)


def test_best_threshold_maximises_f1_between_scores() -> None:
    y = np.array([1, 1, 0, 1, 0, 0])
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.2, 0.1])
    fit = boost.best_threshold(y, p)
    assert fit.threshold == pytest.approx(0.4)  # flag the top four: P 3/4, R 1 → F1 6/7
    assert fit.f1 == pytest.approx(6 / 7)
    assert boost.best_threshold(y, np.where(p > 0.5, 0.5, p)).threshold < 0.5  # ties are never split


def test_folds_are_stratified() -> None:
    y = np.array([1] * 10 + [0] * 40)
    fold = boost.fold_ids(y, 5, seed=1)
    assert [int((y[fold == k] == 1).sum()) for k in range(5)] == [2] * 5


@pytest.fixture(scope="module")
def trained() -> tuple[accounts.AccountModel, dict, pl.DataFrame, pl.DataFrame]:
    net = generate(SMALL)
    model, report = accounts.train(as_transfers(net), net.labels.select("account", "label"), has_clock=True)
    return model, report, as_transfers(net), net.labels


def test_account_model_finds_rings_and_says_why(trained) -> None:
    model, report, transfers, labels = trained
    assert report["oof"]["f1"] > 0.8
    assert 0 < model.threshold < 1
    scored = accounts.score(model, transfers, has_clock=True)
    assert scored.columns == ["account", "score", "flag", "reasons"]
    assert scored["score"].is_sorted(descending=True)
    flagged = scored.filter(pl.col("flag") == 1)
    assert flagged.height > 0
    assert (flagged["score"] >= model.threshold).all()
    assert (flagged["reasons"].str.len_chars() > 0).all()
    assert "(" in flagged["reasons"][0]  # 中文(english)=value
    truth = scored.join(labels, on="account")
    assert truth.filter(pl.col("flag") == 1)["label"].mean() > 0.8


def test_account_model_round_trips_through_its_file(trained, tmp_path: Path) -> None:
    model, _, transfers, _ = trained
    for name in ("m.json", "m.json.gz"):
        model.save(tmp_path / name)
        again = accounts.AccountModel.load(tmp_path / name)
        assert again.threshold == model.threshold
        left = accounts.score(model, transfers, has_clock=True)
        right = accounts.score(again, transfers, has_clock=True)
        assert left.equals(right)


def test_training_is_deterministic() -> None:
    net = generate(RingConfig(accounts=1_200, days=40, rings_per_typology=3, seed=9))
    runs = [
        accounts.train(
            as_transfers(net), net.labels.select("account", "label"), has_clock=True, mirror=False
        )[0]
        for _ in range(2)
    ]
    assert runs[0].second.model_to_string() == runs[1].second.model_to_string()


def test_labels_of_one_class_are_refused() -> None:
    net = generate(RingConfig(accounts=400, days=20, rings_per_typology=1, seed=2))
    only_zero = net.labels.select("account", pl.lit(0).alias("label"))
    with pytest.raises(ValueError, match="both 0 and 1"):
        accounts.train(as_transfers(net), only_zero, has_clock=True)


def _number_table(n: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    label = (rng.random(n) < 0.3).astype(np.int64)
    calls = rng.poisson(np.where(label == 1, 60, 15))
    return pl.DataFrame(
        {
            "num": [f"n{i}" for i in range(n)],
            "label": label,
            "calls": calls,
            "unreturned": np.clip(rng.normal(np.where(label == 1, 0.8, 0.3), 0.15), 0, 1),
            "noise": rng.random(n),
        }
    )


def test_number_model_reports_nested_f1_and_scores_unseen_rows(tmp_path: Path) -> None:
    table = _number_table(600, 1)
    model, report = numbers.train(table, ("calls", "unreturned", "noise"))
    assert report["nested_cv_f1"]["mean"] > 0.8
    assert len(report["nested_cv_f1"]["folds"]) == 5
    model.save(tmp_path / "n.json")
    again = numbers.NumberModel.load(tmp_path / "n.json")
    unseen = _number_table(300, 2)
    scored = numbers.score(again, unseen, "num")
    truth = scored.join(unseen.select("num", "label"), on="num")
    y, flag = truth["label"].to_numpy(), truth["flag"].to_numpy().astype(bool)
    assert boost.measure(y, flag, again.threshold).f1 > 0.8
    with pytest.raises(ValueError, match="lacks the model's feature columns: noise"):
        numbers.score(again, unseen.drop("noise"), "num")


def test_call_features_see_a_number_from_both_sides() -> None:
    t = 1_790_000_000
    calls = pl.DataFrame(
        {
            "phone": ["r1", "r2", "r3", "r1"],
            "counterpart": ["fraud", "fraud", "fraud", "mum"],
            "direction": ["IN", "IN", "IN", "OUT"],
            "duration_s": [5, 12, 300, 600],
            "ts": [t, t + 60, t + 120, t + 3600],
        }
    )
    sms = pl.DataFrame(
        {
            "phone": ["r1", "r2", "r3"],
            "counterpart": ["fraud"] * 3,
            "direction": ["IN"] * 3,
            "ts": [t, t + 10, t + 20],
        }
    )
    f = {r["number"]: r for r in numbers.call_features(calls, sms).iter_rows(named=True)}
    fraud = f["fraud"]
    assert fraud["counterparts"] == 3
    assert fraud["out_share"] == 1.0  # it called them: IN on the residents' side
    assert fraud["unreturned_share"] == 1.0
    assert fraud["short_share"] == pytest.approx(2 / 3)
    assert fraud["sms_count"] == 3
    assert fraud["sms_burst_share"] == 1.0
    assert f["r1"]["unreturned_share"] == 1.0  # r1 called mum, who never called back
    assert f["mum"]["out_share"] == 0.0
