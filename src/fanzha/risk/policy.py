"""The scoring policy as versioned data: YAML validated at load."""

from __future__ import annotations

from datetime import timedelta
from importlib.resources import files
from itertools import pairwise
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from fanzha.event.codes import RiskLevel

Weight = Annotated[int, Field(ge=0, le=100)]


class Policy(BaseModel):
    """Weights per signal code, level thresholds, and the warning and stop-payment cut-offs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: Annotated[str, Field(min_length=1, max_length=40)]
    window_hours: Annotated[int, Field(gt=0, le=24 * 90)] = 72
    thresholds: dict[str, Weight]
    warn_level: str = "LOW"
    stop_payment_score: Weight = 95
    weights: dict[str, Weight]

    @model_validator(mode="after")
    def _check(self) -> Policy:
        names = [level.name for level in RiskLevel]
        if sorted(self.thresholds) != sorted(names):
            raise ValueError(f"thresholds must name exactly the levels {names}")
        ordered = [self.thresholds[level.name] for level in sorted(RiskLevel, reverse=True)]
        if any(a <= b for a, b in pairwise(ordered)):
            raise ValueError("thresholds must fall strictly from CRITICAL to LOW")
        if self.warn_level not in names:
            raise ValueError(f"warn_level must be one of {names}")
        return self

    @property
    def window(self) -> timedelta:
        return timedelta(hours=self.window_hours)

    def level_for(self, score: int) -> RiskLevel | None:
        """The highest level whose threshold the score reaches, or None below LOW."""
        for level in sorted(RiskLevel, reverse=True):
            if score >= self.thresholds[level.name]:
                return level
        return None

    @property
    def warn_at(self) -> RiskLevel:
        return RiskLevel[self.warn_level]


def load_policy(text: str) -> Policy:
    """Parse and validate a policy from YAML text."""
    data = yaml.safe_load(text)
    return Policy.model_validate(data)


def default_policy() -> Policy:
    """The policy shipped with fanzha."""
    return load_policy(files("fanzha.risk").joinpath("policies/default.yaml").read_text(encoding="utf-8"))
