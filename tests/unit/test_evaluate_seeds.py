"""Headline figures over several cities: mean and min–max per run."""

from __future__ import annotations

import pytest

from fanzha.evaluate.metrics import Figures, Report, Spread
from fanzha.evaluate.recovery import Recovered, RecoveryReport
from fanzha.evaluate.seeds import HEADLINES, Summary, headlines, summarise
from fanzha.event.codes import RiskLevel


def figures(warned: int, real: int, prevented: int) -> Figures:
    none = Spread(0, None, None)
    return Figures(
        victims=10,
        warned_at_all=warned,
        warned_in_episode=warned,
        warned_before_loss=warned,
        contacted_before_loss=0,
        victims_stopped=0,
        signal_to_warning=none,
        signal_to_contact=none,
        warnings=20,
        real_warnings=real,
        contacts=0,
        loss_fen=1_000,
        prevented_fen=prevented,
        by_level={RiskLevel.HIGH: (4, 3), RiskLevel.LOW: (16, real - 3)},
    )


def test_headlines_are_the_runs_shares() -> None:
    values = headlines(Report("platform", figures(8, 5, 250)), RecoveryReport(Recovered(750, 600), {}, 30))
    assert values == {
        "warned_before_loss": 0.8,
        "precision": 0.25,
        "precision_high_critical": 0.75,
        "loss_prevented": 0.25,
        "recovered": 0.8,
    }
    assert headlines(Report("x", figures(8, 5, 250)), None)["recovered"] is None


def test_summary_is_mean_min_and_max_over_seeds_ignoring_undefined() -> None:
    summary = Summary((0.2, None, 0.5, 0.2))
    assert summary.mean == pytest.approx(0.3)
    assert (summary.low, summary.high) == (0.2, 0.5)
    assert summary.to_json() == {
        "mean": summary.mean,
        "min": 0.2,
        "max": 0.5,
        "per_seed": [0.2, None, 0.5, 0.2],
    }
    assert Summary((None,)).mean is None


def test_summarise_keeps_one_value_per_seed_for_every_run() -> None:
    a = {"platform": headlines(Report("p", figures(8, 5, 250)), None)}
    b = {
        "platform": headlines(Report("p", figures(4, 10, 750)), None),
        "upstream_only": headlines(Report("u", figures(1, 5, 0)), None),
    }
    summary = summarise([a, b])
    assert list(summary) == ["platform", "upstream_only"]
    assert set(summary["platform"]) == set(HEADLINES)
    assert summary["platform"]["loss_prevented"].values == (0.25, 0.75)
    assert summary["platform"]["loss_prevented"].mean == pytest.approx(0.5)
    assert summary["upstream_only"]["warned_before_loss"].values == (None, 0.1)
