"""The closed loop: the simulated stream, in event-time order, through the platform's own pipeline.

Before the event at time T is delivered, every officer contact due at or before T happens; a victim
who stops has the rest of their payments withheld from the stream. The platform path (parse,
`pipeline.handle`, the detectors, scoring, dedup) is the real one; only the store is in memory,
because the evaluation measures detection and dispatch, not the database.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Protocol

from fanzha.clock import ManualClock
from fanzha.detection.context import (
    DetectionContext,
    DetectorSettings,
    IndicatorLists,
    NoProfiles,
    PersonProfiles,
)
from fanzha.detection.detectors.base import Detector
from fanzha.detection.state import InMemoryState
from fanzha.detection.text import TextScorer
from fanzha.evaluate.model import (
    ContactRecord,
    Outcome,
    RunRecord,
    ScorePoint,
    TransferEvent,
    Truth,
    WarningRecord,
)
from fanzha.evaluate.officers import Attempt, Responder, WarningNotice
from fanzha.evaluate.victims import Victims
from fanzha.event.codes import PersonGroup
from fanzha.event.model import Event, Transfer
from fanzha.event.parse import Rejection, parse_mapping
from fanzha.pipeline import PipelineContext, handle
from fanzha.prevention.model import Resident
from fanzha.risk.model import Assessment
from fanzha.risk.policy import Policy, default_policy
from fanzha.sim.world import World
from fanzha.store.directory import InMemoryDirectory, InMemoryProfiles
from fanzha.warning.dedup import ShadowDecision
from fanzha.warning.model import Warning, WarningStatus
from fanzha.warning.routing import Residence, UnitNode

Progress = Callable[[int], None]
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_TICK = 10_000


@dataclass(frozen=True, slots=True)
class Prepared:
    """A world made ready for runs: events parsed once, directory, lists and truth."""

    events: tuple[Event, ...]
    directory: InMemoryDirectory
    lists: IndicatorLists
    truth: Truth
    rejected: int
    # For the workflow's routing and the money trace (empty when a test builds a Prepared by hand).
    units: tuple[UnitNode, ...] = ()
    residences: Mapping[str, Residence] = field(default_factory=dict)
    transfers: tuple[TransferEvent, ...] = ()
    profiles: PersonProfiles = field(default_factory=NoProfiles)
    text_scorer: TextScorer | None = None
    residents: tuple[Resident, ...] = ()  # the registry as targeting sees it (publicity runs)


def prepare(
    world: World, progress: Progress | None = None, *, text_scorer: TextScorer | None = None
) -> Prepared:
    """Parse the world's events (through the platform's edge) and index what the runs need.

    `text_scorer` is the fraud-text model the platform runs with (the CLI passes the default model).
    """
    events: list[Event] = []
    rejected = 0
    for i, record in enumerate(world.events, start=1):
        parsed = parse_mapping(record, f"event {i}")
        if isinstance(parsed, Rejection):
            rejected += 1
        else:
            events.append(parsed)
        if progress and i % _TICK == 0:
            progress(_TICK)
    if progress:
        progress(len(world.events) % _TICK)
    owners = {f"phone:{p.phone}": p.person_id for p in world.phones}
    owners |= {f"account:{a.account}": a.person_id for a in world.accounts}
    return Prepared(
        events=tuple(events),
        directory=InMemoryDirectory(owners),
        lists=IndicatorLists(world.indicators),
        truth=Truth(tuple(world.episodes), first_signals(world, events)),
        rejected=rejected,
        units=tuple(
            UnitNode(u.unit_id, u.name, u.level, u.parent_id, tuple(u.area_codes)) for u in world.units
        ),
        residences={
            p.person_id: Residence(unit_id=p.unit_id, address=p.address, id_no=p.id_no) for p in world.persons
        },
        transfers=tuple(
            TransferEvent(
                e.event_id, e.payer_account, e.payee_account, e.amount_fen, e.occurred_at, e.channel
            )
            for e in events
            if isinstance(e, Transfer)
        ),
        profiles=InMemoryProfiles(
            {p.person_id: frozenset(g for g in p.groups if g is not PersonGroup.OTHER) for p in world.persons}
        ),
        text_scorer=text_scorer,
        residents=tuple(
            Resident(p.person_id, p.unit_id, p.birth_year, p.sex, p.occupation, frozenset(p.groups))
            for p in world.persons
        ),
    )


def first_signals(world: World, events: Sequence[Event]) -> dict[str, datetime]:
    """Each episode's earliest event in the stream: the first moment the platform could know."""
    episode_of = {eid: e.episode_id for e in world.episodes for eid in e.event_ids}
    first: dict[str, datetime] = {}
    for event in events:
        episode_id = episode_of.get(event.event_id)
        if episode_id is not None and episode_id not in first:
            first[episode_id] = event.occurred_at  # events arrive in time order
    return first


class MemoryUnitOfWork:
    """The pipeline's `UnitOfWork` in memory: keeps stored event ids, warnings and per-person scores."""

    def __init__(self) -> None:
        self.stored: set[str] = set()
        self.all_warnings: dict[int, Warning] = {}
        self._open: dict[str, int] = {}
        self.scores: list[ScorePoint] = []
        self.events = self
        self.warnings = self
        self.assessments = _Assessments(self.scores)
        self.shadow = _NoShadow()

    def add(self, event: Event, *, subject_key: str) -> None:
        self.stored.add(event.event_id)

    def open_for(self, subject_key: str) -> Warning | None:
        warning_id = self._open.get(subject_key)
        return self.all_warnings[warning_id] if warning_id is not None else None

    def save(self, warning: Warning) -> int:
        warning_id = warning.warning_id or len(self.all_warnings) + 1
        self.all_warnings[warning_id] = replace(warning, warning_id=warning_id)
        if warning.is_open:
            self._open[warning.subject_key] = warning_id
        return warning_id

    def close(self, warning_id: int, at: datetime) -> None:
        """Close a settled warning, so the person's next signal opens a new one."""
        warning = self.all_warnings[warning_id]
        self.all_warnings[warning_id] = replace(warning, status=WarningStatus.CLOSED, updated_at=at)
        if self._open.get(warning.subject_key) == warning_id:
            del self._open[warning.subject_key]


class _NoShadow:
    """The evaluation runs no candidate policy beside the active one."""

    def add(self, decision: ShadowDecision) -> None:
        raise AssertionError("the evaluation runs without a shadow policy")


class _Assessments:
    def __init__(self, scores: list[ScorePoint]) -> None:
        self._scores = scores

    def add(self, assessment: Assessment, *, warning_id: int | None) -> None:
        if assessment.person_id is not None:
            self._scores.append(
                ScorePoint(
                    assessment.person_id, assessment.assessed_at, assessment.score, assessment.event_id
                )
            )


class Gate(Protocol):
    """A hook around delivery (publicity: `evaluate/publicity.py`): payments to withhold before an event,
    and every assessment the pipeline made."""

    def withhold(self, event_id: str, at: datetime, delivered: Container[str]) -> Iterable[str]: ...

    def assessed(self, assessment: Assessment, warning_id: int | None) -> None: ...


@dataclass
class Loop:
    """One run of the stream through the platform, with officers and victims closing the loop."""

    prepared: Prepared
    detectors: tuple[Detector, ...]
    responder: Responder | None = None
    victims: Victims | None = None
    policy: Policy | None = None
    detector_settings: DetectorSettings | None = None
    # A settled warning stays open this long (回访, follow-up), so new signals enrich it; then it closes.
    watch_period: timedelta = timedelta(hours=72)
    gate: Gate | None = None

    def __post_init__(self) -> None:
        self.uow = MemoryUnitOfWork()
        self.contacts: list[ContactRecord] = []
        self._levels: dict[int, int] = {}
        self._working: set[int] = set()
        self._closing: list[tuple[datetime, int]] = []
        self._close_at: dict[int, datetime] = {}
        self._clock = ManualClock(_EPOCH)
        self._ctx = PipelineContext(
            clock=self._clock,
            policy=self.policy or default_policy(),
            detection=DetectionContext(
                self.prepared.lists,
                self.detector_settings or DetectorSettings(),
                profiles=self.prepared.profiles,
                text_scorer=self.prepared.text_scorer,
            ),
            directory=self.prepared.directory,
            detectors=self.detectors,
        )

    def run(self, name: str, progress: Progress | None = None) -> RunRecord:
        state = InMemoryState()
        withheld = self.victims.withheld if self.victims is not None else set()
        delivered = 0
        started = time.perf_counter()
        for i, event in enumerate(self.prepared.events, start=1):
            if progress and i % _TICK == 0:
                progress(_TICK)
            at = event.occurred_at
            if self.gate is not None:
                withheld.update(self.gate.withhold(event.event_id, at, self.uow.stored))
            if event.event_id in withheld:
                continue
            self._respond(at)
            self._clock.set(at)
            handled = handle(event, uow=self.uow, state=state, ctx=self._ctx)
            if self.gate is not None and handled.evaluation.assessment is not None:
                self.gate.assessed(handled.evaluation.assessment, handled.warning_id)
            delivered += 1
            if handled.warning_id is not None:
                self._notify(handled.warning_id, at)
        seconds = time.perf_counter() - started
        if progress:
            progress(len(self.prepared.events) % _TICK)
        return RunRecord(
            name=name,
            warnings=tuple(_record(w) for w in self.uow.all_warnings.values()),
            contacts=tuple(self.contacts),
            withheld=frozenset(withheld),
            scores=tuple(self.uow.scores),
            events=delivered,
            seconds=seconds,
        )

    def _notify(self, warning_id: int, at: datetime) -> None:
        warning = self.uow.all_warnings[warning_id]
        if self.responder is None or self._levels.get(warning_id, 0) >= warning.level:
            return
        self._levels[warning_id] = warning.level
        self._working.add(warning_id)
        notice = WarningNotice(warning_id, warning.person_id, warning.unit_id, warning.level)
        self.responder.on_warning(notice, at)

    def _respond(self, until: datetime) -> None:
        if self.responder is None:
            return
        while (attempt := self.responder.next_attempt(until)) is not None:
            outcome = self._outcome(attempt)
            self.contacts.append(
                ContactRecord(attempt.warning_id, attempt.person_id, attempt.at, attempt.channel, outcome)
            )
            if self.responder.on_outcome(attempt, outcome):
                self._working.discard(attempt.warning_id)
                self._close_at[attempt.warning_id] = attempt.at + self.watch_period
                heapq.heappush(self._closing, (attempt.at + self.watch_period, attempt.warning_id))
        while self._closing and self._closing[0][0] <= until:
            close_at, warning_id = heapq.heappop(self._closing)
            # Skip a stale entry: the warning was reworked after new evidence (and maybe settled again).
            if warning_id not in self._working and self._close_at.get(warning_id) == close_at:
                del self._close_at[warning_id]
                self.uow.close(warning_id, close_at)
                self.responder.on_close(warning_id, close_at)

    def _outcome(self, attempt: Attempt) -> Outcome:
        if not attempt.reached:
            return Outcome.UNREACHABLE
        if self.victims is None:
            return Outcome.REFUSED
        return self.victims.respond(attempt.person_id, attempt.channel, attempt.at, self.uow.stored)


def _record(warning: Warning) -> WarningRecord:
    return WarningRecord(
        warning_id=warning.warning_id or 0,
        person_id=warning.person_id,
        opened_at=warning.created_at,
        first_event_id=warning.first_event_id,
        level=warning.level,
        score=warning.score,
        fraud_type=warning.fraud_type,
    )
