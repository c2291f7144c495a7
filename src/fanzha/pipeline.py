"""The spine: `evaluate` decides (pure, no I/O), `handle` persists what it decided in one transaction.

The embedded runner, replays and the tests all run this same code; the store implements the
`UnitOfWork` protocol below, so nothing here imports a database library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from fanzha.clock import Clock
from fanzha.detection.context import DetectionContext
from fanzha.detection.detectors.base import Detector, Subject
from fanzha.detection.engine import detect
from fanzha.detection.model import Signal
from fanzha.detection.registry import DETECTORS
from fanzha.detection.state import KeyedState
from fanzha.event.model import Event, Transfer, subject_identifier
from fanzha.risk.model import Assessment
from fanzha.risk.policy import Policy
from fanzha.risk.scoring import assess
from fanzha.warning.dedup import ShadowDecision, open_or_enrich, virtual_warning
from fanzha.warning.model import Warning


class Directory(Protocol):
    """Who is behind a phone or account. (Which unit owns a warning is decided at intake, once:
    `warning.routing.intake_assignment`; the pipeline opens warnings without an owner.)"""

    def person_for(self, identifier: str) -> str | None: ...


class EventRepository(Protocol):
    def add(self, event: Event, *, subject_key: str) -> None: ...


class WarningRepository(Protocol):
    def open_for(self, subject_key: str) -> Warning | None: ...

    def save(self, warning: Warning) -> int: ...


class AssessmentRepository(Protocol):
    def add(self, assessment: Assessment, *, warning_id: int | None) -> None: ...


class ShadowRepository(Protocol):
    def add(self, decision: ShadowDecision) -> None: ...


class UnitOfWork(Protocol):
    """The repositories of one transaction; only the runner that owns it commits."""

    @property
    def events(self) -> EventRepository: ...

    @property
    def warnings(self) -> WarningRepository: ...

    @property
    def assessments(self) -> AssessmentRepository: ...

    @property
    def shadow(self) -> ShadowRepository: ...


@dataclass(frozen=True, slots=True)
class PipelineContext:
    """Everything `evaluate` reads besides the event and state."""

    clock: Clock
    policy: Policy
    detection: DetectionContext
    directory: Directory
    detectors: tuple[Detector, ...] = field(default_factory=lambda: tuple(DETECTORS.values()))
    # A candidate policy scored beside the active one; what it would do is recorded, never dispatched.
    shadow_policy: Policy | None = None


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What one event meant: its subject, the signals it raised and, if any, the assessment."""

    subject: Subject
    signals: tuple[Signal, ...]
    assessment: Assessment | None
    shadow: ShadowDecision | None = None


@dataclass(frozen=True, slots=True)
class Handled:
    """What `handle` stored for one event."""

    evaluation: Evaluation
    warning_id: int | None
    warning_opened: bool


def resolve_subject(event: Event, directory: Directory) -> Subject:
    """The person an event concerns (by id, else through the directory), or its raw identifier.

    For a transfer, the payee's person key is resolved too when the payee is a known resident."""
    counterparty = None
    if isinstance(event, Transfer):
        payee = directory.person_for(f"account:{event.payee_account}")
        counterparty = f"person:{payee}" if payee is not None else None
    if event.person_id:
        return Subject(f"person:{event.person_id}", event.person_id, counterparty)
    identifier = subject_identifier(event)
    if identifier is None:
        return Subject(f"event:{event.event_id}", None, counterparty)
    person_id = directory.person_for(identifier)
    if person_id is None:
        return Subject(identifier, None, counterparty)
    return Subject(f"person:{person_id}", person_id, counterparty)


def evaluate(event: Event, state: KeyedState, ctx: PipelineContext) -> Evaluation:
    """Run the detectors and, when any fires, score the subject's recent signals. No I/O."""
    subject = resolve_subject(event, ctx.directory)
    signals = detect(event, subject, state, ctx.detection, ctx.detectors)
    if not signals:
        return Evaluation(subject, signals, None)
    key = f"risk:{subject.key}"
    stored = state.get(key)
    recent = stored if isinstance(stored, tuple) else ()
    window = max(ctx.policy.window, ctx.shadow_policy.window) if ctx.shadow_policy else ctx.policy.window
    at = event.occurred_at
    kept = tuple(s for s in recent if isinstance(s, Signal) and at - s.at <= window)
    combined = (*kept, *signals)
    state.put(key, combined[-32:], at + window)
    now = ctx.clock.now()
    assessment = _assess(subject, event, combined, ctx.policy, now)
    shadow = None
    if ctx.shadow_policy is not None:
        candidate = _assess(subject, event, combined, ctx.shadow_policy, now)
        shadow = virtual_warning(state, candidate, at, ctx.shadow_policy.window)
    return Evaluation(subject, signals, assessment, shadow)


def _assess(
    subject: Subject, event: Event, signals: tuple[Signal, ...], policy: Policy, now: datetime
) -> Assessment:
    at = event.occurred_at
    in_window = tuple(s for s in signals if at - s.at <= policy.window)
    return assess(
        subject_key=subject.key,
        person_id=subject.person_id,
        event_id=event.event_id,
        signals=in_window,
        policy=policy,
        now=now,
    )


def handle(event: Event, *, uow: UnitOfWork, state: KeyedState, ctx: PipelineContext) -> Handled:
    """Evaluate `event` and stage the event, its assessment and any warning in `uow`'s transaction."""
    return record(event, evaluate(event, state, ctx), uow=uow, ctx=ctx)


def record(event: Event, evaluation: Evaluation, *, uow: UnitOfWork, ctx: PipelineContext) -> Handled:
    """Stage what `evaluate` decided: the event, its assessment and the opened or enriched warning
    (one open warning per subject). A distributed runner evaluates on its workers and records here."""
    uow.events.add(event, subject_key=evaluation.subject.key)
    assessment = evaluation.assessment
    if assessment is None:
        return Handled(evaluation, None, False)
    current = uow.warnings.open_for(assessment.subject_key)
    updated = open_or_enrich(current, assessment)
    warning_id = uow.warnings.save(updated) if updated is not None else None
    uow.assessments.add(assessment, warning_id=warning_id)
    if evaluation.shadow is not None:
        uow.shadow.add(evaluation.shadow)
    return Handled(evaluation, warning_id, current is None and warning_id is not None)
