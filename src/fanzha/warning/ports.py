"""What the workflow service needs from the outside: its records and the ports the store implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from fanzha.warning import lifecycle as lc
from fanzha.warning.deadlines import Due
from fanzha.warning.model import Warning, WarningStatus
from fanzha.warning.routing import Residence, UnitTree


class WarningNotFoundError(LookupError):
    pass


class StaleVersionError(RuntimeError):
    """Someone else changed the warning since the caller loaded it."""


@dataclass(frozen=True, slots=True)
class WorkflowState:
    """A warning with its workflow record (version 0: not yet in the workflow)."""

    warning: Warning
    version: int = 0
    facts: lc.Facts = field(default_factory=lc.Facts)
    assigned_at: datetime | None = None
    signed_at: datetime | None = None
    first_contact_at: datetime | None = None
    met_at: datetime | None = None
    reached: bool = False
    outcome_at: datetime | None = None
    loss_fen: int = 0
    follow_up_until: datetime | None = None
    overdue: bool = False
    escalated_unit_id: str | None = None
    escalation_count: int = 0


@dataclass(frozen=True, slots=True)
class TransitionRecord:
    warning_id: int
    at: datetime
    actor: str
    unit_id: str | None
    command: str
    from_status: WarningStatus
    to_status: WarningStatus
    channel: lc.Channel | None
    outcome: lc.Outcome | None
    note: str
    data: dict[str, object]


class WorkflowRepository(Protocol):
    def load(self, warning_id: int) -> WorkflowState | None: ...

    def save(self, state: WorkflowState, *, expected_version: int, now: datetime) -> int: ...

    def add_transition(self, record: TransitionRecord) -> None: ...

    def add_deadlines(self, warning_id: int, dues: list[Due]) -> None: ...

    def meet_deadline(self, warning_id: int, kind: lc.DeadlineKind, at: datetime) -> None: ...

    def cancel_deadlines(self, warning_id: int) -> None: ...

    def unit_tree(self) -> UnitTree: ...

    def residence(self, warning: Warning) -> Residence: ...


class WorkflowUow(Protocol):
    @property
    def workflow(self) -> WorkflowRepository: ...


class Dispatcher(Protocol):
    """Stages the dispatch ladder's steps for a warning (rows in the caller's transaction)."""

    def start(self, warning: Warning, *, now: datetime) -> None: ...

    def done(self, warning_id: int, channel: lc.Channel, *, now: datetime) -> None:
        """An officer acted through `channel`: the matching open task is done."""
        ...


@dataclass(frozen=True, slots=True)
class Deadline:
    """One stored deadline: PENDING until met (MET), fired (FIRED) or dropped (CANCELLED)."""

    id: int
    warning_id: int
    kind: lc.DeadlineKind
    due_at: datetime
    state: str
    met_at: datetime | None
    fired_at: datetime | None


@dataclass(frozen=True, slots=True)
class Flow:
    """A warning's workflow record as stored (its version, milestones and supervision flags)."""

    warning_id: int
    version: int
    assigned_at: datetime | None
    signed_at: datetime | None
    first_contact_at: datetime | None
    met_at: datetime | None
    reached: bool
    outcome: lc.Outcome | None
    outcome_at: datetime | None
    overdue: bool
    escalated_unit_id: str | None
    escalation_count: int
