"""The warning workflow in memory: per warning a `WarningStatus`, its facts and its deadlines, changed
only by `warning.lifecycle.decide`. Pure, no database: the evaluation must stay fast.

Every command goes through `decide` (injectable, so a test can record the calls). A command the
lifecycle refuses is a bug of the simulated officers, not something to smooth over: it is counted and
kept as a `Refusal`, and the warning stays where it was. Deadlines come from `warning.deadlines` for
the warning's level at assignment; one that falls due unmet marks the warning overdue and is escalated
through the lifecycle's `Escalate` command (a supervision flag: the station keeps the warning).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from fanzha.event.codes import RiskLevel
from fanzha.warning import lifecycle as lc
from fanzha.warning.deadlines import WorkflowConfig, deadlines_for, default_config
from fanzha.warning.kpis import WarningFacts
from fanzha.warning.model import WarningStatus

_REACHED = frozenset({lc.ContactResult.ANSWERED, lc.ContactResult.FAMILY_REACHED})
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


@dataclass(slots=True)
class _Case:
    warning_id: int
    level: RiskLevel
    state: WarningStatus = WarningStatus.RECEIVED
    unit_id: str | None = None
    facts: lc.Facts = field(default_factory=lc.Facts)
    assigned_at: datetime | None = None
    signed_at: datetime | None = None
    first_contact_at: datetime | None = None
    outcome_at: datetime | None = None
    reached: bool = False
    met: bool = False
    due: dict[lc.DeadlineKind, datetime] = field(default_factory=dict)
    pending: set[lc.DeadlineKind] = field(default_factory=set)
    escalations: int = 0


class MemoryWorkflow:
    """Warnings' workflow states and deadlines in memory; every change is a `decide` decision."""

    def __init__(self, config: WorkflowConfig | None = None, decide: Decide = lc.decide) -> None:
        self.config = config or default_config()
        self._decide = decide
        self._cases: dict[int, _Case] = {}
        self._deadlines: list[tuple[datetime, int, str]] = []
        self.refusals: list[Refusal] = []

    def open(self, warning_id: int, level: RiskLevel) -> None:
        """A warning the pipeline opened (RECEIVED); assignment is the officers' first command."""
        self._cases.setdefault(warning_id, _Case(warning_id, level))

    def __contains__(self, warning_id: object) -> bool:
        return warning_id in self._cases

    def state(self, warning_id: int) -> WarningStatus:
        return self._cases[warning_id].state

    def unit(self, warning_id: int) -> str | None:
        return self._cases[warning_id].unit_id

    def apply(self, warning_id: int, command: lc.Command, at: datetime) -> bool:
        """Apply `command` at `at` (after firing the deadlines that fell due before it); False if refused."""
        self.sweep(at)
        case = self._cases[warning_id]
        try:
            decision = self._decide(case.state, command, case.facts)
        except lc.TransitionError as refused:
            name = lc.COMMAND_NAMES.get(type(command), type(command).__name__)
            self.refusals.append(Refusal(warning_id, case.state, name, refused.message))
            return False
        self._record(case, command, decision, at)
        for effect in decision.effects:
            self._effect(case, effect, at)
        case.state = decision.to_state
        return True

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
        return tuple(self._record_of(c, c.assigned_at) for c in self._cases.values() if c.assigned_at)

    def _record(self, case: _Case, command: lc.Command, decision: lc.Decision, at: datetime) -> None:
        """The milestones, as `warning.service._milestones` records them for the console's KPIs."""
        facts = case.facts
        if isinstance(command, lc.Sign):
            case.signed_at = case.signed_at or at
        elif isinstance(command, lc.StartContact | lc.RecordContact):
            case.first_contact_at = case.first_contact_at or at
            if isinstance(command, lc.RecordContact):
                case.reached = case.reached or command.result in _REACHED
                facts = replace(
                    facts,
                    contact_attempts=facts.contact_attempts + 1,
                    family_contacts=facts.family_contacts + (command.channel is lc.Channel.FAMILY),
                )
        elif isinstance(command, lc.DissuadedByPhone):
            case.reached = True
        elif isinstance(command, lc.StartLocating):
            facts = replace(facts, visited=True)
        elif isinstance(command, lc.RecordMeet):
            case.reached = case.met = True
            facts = replace(facts, visited=True)
        if decision.outcome is not None and isinstance(command, lc.SubmitFeedback):
            case.outcome_at = at
        case.facts = facts

    def _effect(self, case: _Case, effect: lc.Effect, at: datetime) -> None:
        if isinstance(effect, lc.SetOwner):
            case.unit_id = effect.unit_id
        elif isinstance(effect, lc.StartDeadlines):
            case.assigned_at = at
            case.due, case.pending = {}, set()
            for due in deadlines_for(case.level, at, self.config):
                case.due[due.kind] = due.due_at
                case.pending.add(due.kind)
                heapq.heappush(self._deadlines, (due.due_at, case.warning_id, due.kind.value))
        elif isinstance(effect, lc.MeetDeadline):
            case.pending.discard(effect.kind)
        elif isinstance(effect, lc.CancelDeadlines):
            case.pending.clear()
        elif isinstance(effect, lc.SetOutcome):
            case.facts = replace(case.facts, outcome=effect.outcome)

    def _record_of(self, case: _Case, assigned_at: datetime) -> CaseRecord:
        facts = WarningFacts(
            warning_id=case.warning_id,
            unit_id=case.unit_id,
            level=case.level,
            assigned_at=assigned_at,
            signed_at=case.signed_at,
            sign_due=case.due.get(lc.DeadlineKind.SIGN),
            first_contact_at=case.first_contact_at,
            contact_due=case.due.get(lc.DeadlineKind.CONTACT),
            reached=case.reached,
            met=case.met,
            outcome=case.facts.outcome,
            outcome_at=case.outcome_at,
            closed=case.state is WarningStatus.CLOSED,
        )
        return CaseRecord(facts, case.state, case.escalations)
