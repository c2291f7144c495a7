"""Several simulated cities: the headline figures of each run, their mean and their range over seeds.

One city is one draw of the world; its figures move with a few heavy-tailed episodes. Running the suite
on several seeds and reporting the mean and the min–max shows how much of a difference between runs
(or between policies) is more than the luck of one city.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fanzha.evaluate.metrics import Report
from fanzha.evaluate.recovery import RecoveryReport

# The headline figures, each a share in [0, 1] (None when its denominator is 0).
HEADLINES: tuple[str, ...] = (
    "warned_before_loss",
    "precision",
    "precision_high_critical",
    "loss_prevented",
    "recovered",
)


def headlines(report: Report, recovery: RecoveryReport | None) -> dict[str, float | None]:
    """One run's headline shares: victims warned before their first loss, precision overall and of
    HIGH + CRITICAL warnings, loss prevented, and the loss not prevented that stops recovered."""
    figures = report.overall
    return {
        "warned_before_loss": figures.share_warned_before_loss,
        "precision": figures.precision,
        "precision_high_critical": figures.visit_precision,
        "loss_prevented": figures.prevented_share,
        "recovered": recovery.overall.share if recovery is not None else None,
    }


@dataclass(frozen=True, slots=True)
class Summary:
    """One figure over the seeds: its value per seed (None where undefined), mean, min and max."""

    values: tuple[float | None, ...]

    @property
    def defined(self) -> list[float]:
        return [v for v in self.values if v is not None]

    @property
    def mean(self) -> float | None:
        defined = self.defined
        return sum(defined) / len(defined) if defined else None

    @property
    def low(self) -> float | None:
        return min(self.defined, default=None)

    @property
    def high(self) -> float | None:
        return max(self.defined, default=None)

    def to_json(self) -> dict[str, Any]:
        return {"mean": self.mean, "min": self.low, "max": self.high, "per_seed": list(self.values)}


def summarise(
    per_seed: Sequence[Mapping[str, Mapping[str, float | None]]],
) -> dict[str, dict[str, Summary]]:
    """Per run and headline figure, its summary over the seeds (`per_seed[i][run][figure]`).

    A run missing from a seed counts as undefined there, so every summary has one value per seed.
    """
    runs: list[str] = []
    for seed in per_seed:
        runs += [name for name in seed if name not in runs]
    return {
        run: {
            figure: Summary(tuple(seed.get(run, {}).get(figure) for seed in per_seed)) for figure in HEADLINES
        }
        for run in runs
    }
