"""The warning workflow in memory: per warning the service's own `WorkflowState` and its deadlines,
changed only by `warning.lifecycle.decide` and `warning.effects.fold` — the same decision and the same
fold of its effects that `warning.service.apply` writes to the database. Pure, no database: the
evaluation must stay fast.

Every command goes through `decide` (injectable, so a test can record the calls). A command the
lifecycle refuses is a bug of the simulated officers, not something to smooth over: it is counted and
kept as a `Refusal`, and the warning stays where it was. Deadlines come from `warning.deadlines` for
the warning's level at assignment; one that falls due unmet marks the warning overdue and is escalated
through the lifecycle's `Escalate` command (a supervision flag: the station keeps the warning).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from fanzha.event.codes import FraudType, RiskLevel
from fanzha.warning import lifecycle as lc
from fanzha.warning.deadlines import WorkflowConfig, default_config
from fanzha.warning.effects import StartedDeadlines, Step, fold
from fanzha.warning.kpis import WarningFacts
from fanzha.warning.model import Warning, WarningStatus
from fanzha.warning.ports import WorkflowState
from fanzha.warning.routing import UnitTree

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
OFFICER = "officer"
Decide = Callable[[WarningStatus, lc.Command, lc.Facts], lc.Decision]


@dataclass(frozen=True, slots=True)
class Refusal:
    """A step the lifecycle refused: which warning, in which state, which command, and why."""

    warning_id: int
    state: WarningStatus
    command: str
    message: str


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """One warning's workflow at the end of a run: the KPI facts, its escalations, its final state."""

    facts: WarningFacts
    state: WarningStatus
    escalations: int

    @property
    def overdue(self) -> bool:
        """A deadline fell due unmet (each one is escalated)."""
        return self.escalations > 0


def placeholder(warning_id: int, level: RiskLevel) -> Warning:
    """The warning as the workflow needs it: its id and level (the evaluation keeps the rest elsewhere)."""
    return Warning(
        warning_id=warning_id,
        subject_key=f"warning:{warning_id}",
        person_id=None,
        unit_id=None,
        level=level,
        score=0,
        fraud_type=FraudType.UNKNOWN,
        status=WarningStatus.RECEIVED,
        reasons=(),
        policy_version="",
        created_at=_EPOCH,
        updated_at=_EPOCH,
        first_event_id="",
        last_event_id="",
        signal_count=0,
        propose_stop_payment=False,
    )


@dataclass(slots=True)
class _Case:
    state: WorkflowState
    due: dict[lc.DeadlineKind, datetime] = field(default_factory=dict)
    pending: set[lc.DeadlineKind] = field(default_factory=set)
    escalations: int = 0


class MemoryWorkflow:
    """Warnings' workflow states and deadlines in memory; every change is a `decide` decision, folded."""

    def __init__(
        self, config: WorkflowConfig | None = None, decide: Decide = lc.decide, tree: UnitTree | None = None
    ) -> None:
        self.config = config or default_config()
        self._decide = decide
        self._tree = tree or UnitTree(())
        self._cases: dict[int, _Case] = {}
        self._deadlines: list[tuple[datetime, int, str]] = []
        self.refusals: list[Refusal] = []

    def open(self, warning_id: int, level: RiskLevel) -> None:
        """A warning the pipeline opened (RECEIVED); assignment is the officers' first command."""
        self._cases.setdefault(warning_id, _Case(WorkflowState(warning=placeholder(warning_id, level))))

    def __contains__(self, warning_id: object) -> bool:
        return warning_id in self._cases

    def state(self, warning_id: int) -> WarningStatus:
        return self._cases[warning_id].state.warning.status

    def unit(self, warning_id: int) -> str | None:
        return self._cases[warning_id].state.warning.unit_id

    def apply(self, warning_id: int, command: lc.Command, at: datetime) -> bool:
        """Apply `command` at `at` (after firing the deadlines that fell due before it); False if refused."""
        self.sweep(at)
        case = self._cases[warning_id]
        try:
            decision = self._decide(case.state.warning.status, command, case.state.facts)
        except lc.TransitionError as refused:
            name = lc.COMMAND_NAMES.get(type(command), type(command).__name__)
            self.refusals.append(Refusal(warning_id, case.state.warning.status, name, refused.message))
            return False
        folded = fold(case.state, command, decision, Step(OFFICER, at), units=self._units, config=self.config)
        case.state = folded.state
        for step in folded.deadlines:
            if isinstance(step, lc.MeetDeadline):
                case.pending.discard(step.kind)
            elif isinstance(step, lc.CancelDeadlines):
                case.pending.clear()
            else:
                self._start(case, warning_id, step)
        return True

    def _units(self) -> UnitTree:
        return self._tree

    def _start(self, case: _Case, warning_id: int, started: StartedDeadlines) -> None:
        case.due, case.pending = {}, set()
        for due in started.dues:
            case.due[due.kind] = due.due_at
            case.pending.add(due.kind)
            heapq.heappush(self._deadlines, (due.due_at, warning_id, due.kind.value))

    def sweep(self, until: datetime) -> None:
        """Escalate every deadline that fell due before `until` and is still unmet."""
        while self._deadlines and self._deadlines[0][0] < until:
            due_at, warning_id, kind = heapq.heappop(self._deadlines)
            case = self._cases[warning_id]
            deadline = lc.DeadlineKind(kind)
            if deadline not in case.pending or case.due.get(deadline) != due_at:
                continue  # met or cancelled meanwhile
            case.pending.discard(deadline)
            case.escalations += 1
            self.apply(warning_id, lc.Escalate(reason=f"{deadline.value} 超时"), due_at)

    def records(self) -> tuple[CaseRecord, ...]:
        """Every assigned warning (the console's KPIs count assigned warnings only)."""
        return tuple(self._record_of(wid, c) for wid, c in self._cases.items() if c.state.assigned_at)

    def _record_of(self, warning_id: int, case: _Case) -> CaseRecord:
        state = case.state
        assert state.assigned_at is not None
        facts = WarningFacts(
            warning_id=warning_id,
            unit_id=state.warning.unit_id,
            level=state.warning.level,
            assigned_at=state.assigned_at,
            signed_at=state.signed_at,
            sign_due=case.due.get(lc.DeadlineKind.SIGN),
            first_contact_at=state.first_contact_at,
            contact_due=case.due.get(lc.DeadlineKind.CONTACT),
            reached=state.reached,
            met=state.met_at is not None,
            outcome=state.facts.outcome,
            outcome_at=state.outcome_at,
            closed=state.warning.status is WarningStatus.CLOSED,
        )
        return CaseRecord(facts, state.warning.status, case.escalations)
