"""The evaluation suite: the platform and two baselines on the same stream with the same officers.

- platform: every registered detector;
- blacklist_only: warn only on transfers to accounts already listed (listing times respected);
- upstream_only: warn only on upstream leads, which arrive with the simulator's realistic delay.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from fanzha.detection.registry import select_detectors
from fanzha.evaluate.casework import WorkflowOfficers
from fanzha.evaluate.loop import Loop, Prepared
from fanzha.evaluate.metrics import CurvePoint, MetricSettings, Report, report, tradeoff
from fanzha.evaluate.model import RunRecord
from fanzha.evaluate.officers import OfficerConfig, Officers
from fanzha.evaluate.publicity import PublicityConfig, PublicityGate
from fanzha.evaluate.publicity_metrics import PublicityReport
from fanzha.evaluate.publicity_run import run_publicity
from fanzha.evaluate.recovery import RecoveryReport, RecoverySettings, money_recovered
from fanzha.evaluate.victims import VictimConfig, Victims
from fanzha.evaluate.workflow import MemoryWorkflow
from fanzha.evaluate.workflow_metrics import WorkflowReport, workflow_report
from fanzha.risk.policy import Policy
from fanzha.warning.deadlines import WorkflowConfig, default_config
from fanzha.warning.routing import UnitTree

RUNS: dict[str, tuple[str, ...] | None] = {
    "platform": None,
    "blacklist_only": ("payee_listed",),
    "upstream_only": ("upstream_lead",),
}


@dataclass(frozen=True, slots=True)
class SuiteOptions:
    """Everything a suite run can vary besides the world."""

    seed: int = 7
    officers: OfficerConfig = field(default_factory=OfficerConfig)
    victims: VictimConfig = field(default_factory=VictimConfig)
    metrics: MetricSettings = field(default_factory=MetricSettings)
    recovery: RecoverySettings = field(default_factory=RecoverySettings)
    workflow: WorkflowConfig = field(default_factory=default_config)
    policy: Policy | None = None
    runs: dict[str, tuple[str, ...] | None] = field(default_factory=lambda: dict(RUNS))
    publicity: PublicityConfig | None = None  # `--publicity`: targeted and flood beside the platform run


@dataclass(frozen=True, slots=True)
class SuiteResult:
    """The runs, their reports, and the platform's threshold trade-off curve."""

    runs: dict[str, RunRecord]
    reports: dict[str, Report]
    curve: list[CurvePoint]
    parameters: dict[str, Any]
    workflow: dict[str, WorkflowReport] = field(default_factory=dict)
    recovery: dict[str, RecoveryReport] = field(default_factory=dict)
    publicity: PublicityReport | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "parameters": self.parameters,
            "runs": {
                name: {
                    "events_delivered": run.events,
                    "seconds": round(run.seconds, 3),
                    "events_per_second": round(run.events_per_second),
                    "contacts": len(run.contacts),
                    **self.reports[name].to_json(),
                    **({"workflow": self.workflow[name].to_json()} if name in self.workflow else {}),
                    **({"money_recovered": self.recovery[name].to_json()} if name in self.recovery else {}),
                }
                for name, run in self.runs.items()
            },
            "tradeoff_curve": [p.to_json() for p in self.curve],
            **({"publicity": self.publicity.to_json()} if self.publicity is not None else {}),
        }


def run_one(
    prepared: Prepared,
    name: str,
    detector_names: tuple[str, ...] | None,
    options: SuiteOptions,
    progress: Callable[[int], None] | None = None,
    *,
    gate: PublicityGate | None = None,
) -> RunRecord:
    """One closed-loop run; officers' and victims' luck is keyed by the seed (the same in every run).

    The officers act through the warning workflow (`WorkflowOfficers` over a `MemoryWorkflow`).
    """
    loop = Loop(
        prepared,
        select_detectors(detector_names),
        victims=Victims(prepared.truth.episodes, options.victims, f"{options.seed}-victims"),
        policy=options.policy,
        gate=gate,
    )
    workflow = MemoryWorkflow(options.workflow)
    loop.responder = WorkflowOfficers(
        Officers(options.officers, f"{options.seed}-officers"),
        workflow,
        tree=UnitTree(prepared.units),
        residences=prepared.residences,
        watch_period=loop.watch_period,
    )
    record = loop.run(name, progress)
    return replace(record, cases=workflow.records(), refusals=tuple(workflow.refusals))


def run_suite(
    prepared: Prepared,
    options: SuiteOptions,
    progress: Callable[[str], Callable[[int], None] | None] | None = None,
) -> SuiteResult:
    """Run every configured variant and compute its report; the curve comes from the platform run."""
    runs = {
        name: run_one(prepared, name, names, options, progress(name) if progress else None)
        for name, names in options.runs.items()
    }
    reports = {name: report(run, prepared.truth, options.metrics) for name, run in runs.items()}
    workflow = {
        name: workflow_report(run.cases, run.refusals, options.workflow) for name, run in runs.items()
    }
    recovery = {
        name: money_recovered(run, prepared.truth, prepared.transfers, options.recovery)
        for name, run in runs.items()
    }
    first = next(iter(runs.values()))
    curve = tradeoff(
        runs["platform"].scores if "platform" in runs else first.scores, prepared.truth, options.metrics
    )
    parameters: dict[str, Any] = {
        "seed": options.seed,
        "events": len(prepared.events),
        "rejected": prepared.rejected,
        "episodes": len(prepared.truth.episodes),
        "officers_per_unit": options.officers.officers_per_unit,
        "stop_delay_minutes": options.recovery.delay.total_seconds() / 60,
        "workflow_config": options.workflow.version,
        "real_window_hours": options.metrics.real_window.total_seconds() / 3600,
        "detectors": {name: list(names) if names else "all" for name, names in options.runs.items()},
    }
    publicity = None
    if options.publicity is not None:
        none = runs["platform"] if "platform" in runs else run_one(prepared, "platform", None, options)

        def one(name: str, gate: PublicityGate) -> RunRecord:
            return run_one(prepared, name, None, options, progress(name) if progress else None, gate=gate)

        publicity = run_publicity(prepared, options.publicity, options.seed, none, one)
        parameters["publicity"] = publicity.parameters
    return SuiteResult(runs, reports, curve, parameters, workflow, recovery, publicity)
