"""Workflow KPIs of a run, by risk level, with the console's own §3.8 code (`warning.kpis.compute`).

The rates (sign-off on time, first contact on time, meet rate) are `warning.kpis` Rates over the same
`WarningFacts` the console builds from its tables, so a figure here means what it means on /kpis.
Overdue (a deadline fell due unmet) and escalations come from the in-memory workflow's deadlines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from fanzha.evaluate.workflow import CaseRecord, Refusal
from fanzha.event.codes import RiskLevel
from fanzha.warning.deadlines import WorkflowConfig, default_config
from fanzha.warning.kpis import Rate, compute
from fanzha.warning.model import WarningStatus


@dataclass(frozen=True, slots=True)
class WorkflowFigures:
    """The workflow's figures over a set of warnings (all, or one risk level)."""

    warnings: int
    sign_on_time: Rate
    contact_on_time: Rate
    meet_rate: Rate
    success_rate: Rate
    overdue: int
    escalations: int
    closed: int
    closed_without_outcome: int
    open_at_end: int

    def to_json(self) -> dict[str, Any]:
        return {
            "warnings": self.warnings,
            "sign_on_time": _rate(self.sign_on_time),
            "contact_on_time": _rate(self.contact_on_time),
            "meet_rate": _rate(self.meet_rate),
            "success_rate": _rate(self.success_rate),
            "overdue": self.overdue,
            "escalations": self.escalations,
            "closed": self.closed,
            "closed_without_outcome": self.closed_without_outcome,
            "open_at_end": self.open_at_end,
        }


@dataclass(frozen=True, slots=True)
class WorkflowReport:
    overall: WorkflowFigures
    by_level: dict[RiskLevel, WorkflowFigures]
    refusals: int

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_json(),
            "by_level": {level.name: f.to_json() for level, f in self.by_level.items()},
            "lifecycle_refusals": self.refusals,
        }


def workflow_figures(cases: Iterable[CaseRecord], config: WorkflowConfig) -> WorkflowFigures:
    chosen = list(cases)
    kpis = compute((c.facts for c in chosen), config)
    closed = [c for c in chosen if c.state is WarningStatus.CLOSED]
    return WorkflowFigures(
        warnings=kpis.warnings,
        sign_on_time=kpis.on_time_sign_rate,
        contact_on_time=kpis.on_time_rate,
        meet_rate=kpis.meet_rate,
        success_rate=kpis.success_rate,
        overdue=sum(c.overdue for c in chosen),
        escalations=sum(c.escalations for c in chosen),
        closed=len(closed),
        closed_without_outcome=sum(c.facts.outcome is None for c in closed),
        open_at_end=len(chosen) - len(closed),
    )


def workflow_report(
    cases: Sequence[CaseRecord], refusals: Sequence[Refusal], config: WorkflowConfig | None = None
) -> WorkflowReport:
    """The workflow KPIs overall and per risk level (the level the warning was assigned at)."""
    config = config or default_config()
    levels = sorted({c.facts.level for c in cases}, reverse=True)
    return WorkflowReport(
        overall=workflow_figures(cases, config),
        by_level={lv: workflow_figures((c for c in cases if c.facts.level is lv), config) for lv in levels},
        refusals=len(refusals),
    )


def _rate(rate: Rate) -> dict[str, Any]:
    return {
        "numerator": rate.numerator,
        "denominator": rate.denominator,
        "value": rate.value,
        "denominator_definition": rate.denominator_label,
    }
