"""Deadlines per risk level (domain brief §3.7): when sign-off, contact, meeting and feedback fall due.

Pure: the SLA table is versioned data (`config/workflow.yaml`), validated at load.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib.resources import files
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from fanzha.event.codes import RiskLevel
from fanzha.warning.lifecycle import DeadlineKind

Minutes = Annotated[float, Field(gt=0, le=60 * 24 * 30)]


class WorkflowConfig(BaseModel):
    """The SLA table and the metric choices; every value is a configurable [DESIGN] default."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: Annotated[str, Field(min_length=1, max_length=40)]
    sla_minutes: dict[str, dict[str, Minutes | None]]
    follow_up_days: Annotated[int, Field(ge=0, le=365)] = 30
    meet_rate_denominator: Literal["ALL", "HIGH_PLUS"] = "ALL"
    victimisation_window_days: Annotated[int, Field(ge=1, le=365)] = 30

    @model_validator(mode="after")
    def _check(self) -> WorkflowConfig:
        if sorted(self.sla_minutes) != sorted(level.name for level in RiskLevel):
            raise ValueError("sla_minutes must name exactly the risk levels")
        kinds = sorted(kind.value for kind in DeadlineKind)
        for row in self.sla_minutes.values():
            if sorted(row) != kinds:
                raise ValueError(f"each level's SLA must name exactly {kinds}")
        return self

    def sla(self, level: RiskLevel, kind: DeadlineKind) -> timedelta | None:
        minutes = self.sla_minutes[level.name][kind.value]
        return timedelta(minutes=minutes) if minutes is not None else None


@dataclass(frozen=True, slots=True)
class Due:
    kind: DeadlineKind
    due_at: datetime


def load_config(text: str) -> WorkflowConfig:
    return WorkflowConfig.model_validate(yaml.safe_load(text))


@cache
def default_config() -> WorkflowConfig:
    """The configuration shipped with fanzha (read and validated once; the model is frozen)."""
    return load_config(files("fanzha.warning").joinpath("config/workflow.yaml").read_text(encoding="utf-8"))


def deadlines_for(level: RiskLevel, start: datetime, config: WorkflowConfig) -> list[Due]:
    """The deadlines a warning of `level` assigned at `start` must meet, earliest first."""
    if start.tzinfo is None:
        raise ValueError("deadlines need an aware start time")
    found = [Due(kind, start + sla) for kind in DeadlineKind if (sla := config.sla(level, kind)) is not None]
    return sorted(found, key=lambda d: d.due_at)


def brought_forward(
    level: RiskLevel, now: datetime, pending: Mapping[DeadlineKind, datetime], config: WorkflowConfig
) -> dict[DeadlineKind, datetime]:
    """Pending deadlines that a raised level makes earlier: the new level's SLA counted from `now`.

    A warning whose level rises while open (new signals enrich it) must meet the stricter SLA from the
    moment the higher level is known; deadlines only ever move earlier, so a pass is idempotent.
    """
    if now.tzinfo is None:
        raise ValueError("deadlines need an aware time")
    earlier: dict[DeadlineKind, datetime] = {}
    for kind, due in pending.items():
        sla = config.sla(level, kind)
        if sla is not None and now + sla < due:
            earlier[kind] = now + sla
    return earlier


def is_overdue(due_at: datetime, met_at: datetime | None, now: datetime) -> bool:
    """A deadline is breached when it was met late, or is still unmet after it fell due."""
    return (met_at or now) > due_at
