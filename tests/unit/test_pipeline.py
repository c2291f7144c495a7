"""evaluate (pure) and handle (through a fake unit of work): one event to a warning, dedup per subject."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from fanzha.clock import ManualClock
from fanzha.detection.context import DetectionContext, IndicatorLists
from fanzha.detection.state import InMemoryState
from fanzha.event.codes import RiskLevel
from fanzha.event.model import Event
from fanzha.event.parse import parse_mapping
from fanzha.pipeline import PipelineContext, evaluate, handle
from fanzha.risk.model import Assessment
from fanzha.risk.policy import default_policy
from fanzha.warning.model import Warning, WarningStatus
from tests.factories import FRAUD_ACCOUNT, VICTIM_ACCOUNT, VICTIM_PHONE, call, fraud_lists, install, transfer


class Directory:
    def __init__(self) -> None:
        self.owners = {f"phone:{VICTIM_PHONE}": "P1", f"account:{VICTIM_ACCOUNT}": "P1"}

    def person_for(self, identifier: str) -> str | None:
        return self.owners.get(identifier)


class FakeUow:
    """In-memory repositories with the pipeline's protocol."""

    def __init__(self) -> None:
        self.stored_events: list[tuple[str, str]] = []
        self.stored_warnings: dict[int, Warning] = {}
        self.stored_assessments: list[tuple[Assessment, int | None]] = []
        self.events = self
        self.warnings = _Warnings(self)
        self.assessments = _Assessments(self)

    def add(self, event: Event, *, subject_key: str) -> None:
        self.stored_events.append((event.event_id, subject_key))


class _Warnings:
    def __init__(self, uow: FakeUow) -> None:
        self.uow = uow

    def open_for(self, subject_key: str) -> Warning | None:
        found = [w for w in self.uow.stored_warnings.values() if w.subject_key == subject_key and w.is_open]
        return found[0] if found else None

    def save(self, warning: Warning) -> int:
        wid = warning.warning_id or len(self.uow.stored_warnings) + 1
        self.uow.stored_warnings[wid] = replace(warning, warning_id=wid)
        return wid


class _Assessments:
    def __init__(self, uow: FakeUow) -> None:
        self.uow = uow

    def add(self, assessment: Assessment, *, warning_id: int | None) -> None:
        self.uow.stored_assessments.append((assessment, warning_id))


def context() -> PipelineContext:
    return PipelineContext(
        clock=ManualClock(datetime(2026, 3, 1, 12, tzinfo=UTC)),
        policy=default_policy(),
        detection=DetectionContext(lists=IndicatorLists(fraud_lists())),
        directory=Directory(),
    )


def ev(raw: dict) -> Event:
    event = parse_mapping(raw, "t")
    assert not hasattr(event, "error")
    return event  # type: ignore[return-value]


def test_evaluate_resolves_phone_and_account_to_one_person() -> None:
    ctx, state = context(), InMemoryState()
    first = evaluate(ev(call(0)), state, ctx)
    second = evaluate(ev(transfer(30)), state, ctx)
    assert first.subject.key == second.subject.key == "person:P1"
    assert second.assessment is not None
    assert {r.code for r in second.assessment.reasons} == {
        "FRAUD_NUMBER_LONG_CALL",
        "TRANSFER_AFTER_FRAUD_CONTACT",
    }
    assert second.assessment.level is RiskLevel.HIGH


def test_evaluate_is_quiet_on_innocent_events_and_uses_the_clock() -> None:
    ctx, state = context(), InMemoryState()
    assert evaluate(ev(transfer(0)), state, ctx).assessment is None
    result = evaluate(ev(transfer(1, payee=FRAUD_ACCOUNT)), state, ctx)
    assert result.assessment is not None
    assert result.assessment.assessed_at == ctx.clock.now()


def test_unknown_subject_is_keyed_by_its_identifier() -> None:
    ctx, state = context(), InMemoryState()
    raw = call(0) | {"phone": "13999999999"}
    result = evaluate(ev(raw), state, ctx)
    assert result.subject.key == "phone:13999999999"
    assert result.subject.person_id is None


def test_handle_stores_every_event_and_one_open_warning_per_person_that_only_rises() -> None:
    ctx, state, uow = context(), InMemoryState(), FakeUow()
    story = [transfer(-10), call(0), install(5), transfer(30), transfer(40, payee=FRAUD_ACCOUNT)]
    results = [handle(ev(raw), uow=uow, state=state, ctx=ctx) for raw in story]
    assert len(uow.stored_events) == len(story)
    assert len(uow.stored_warnings) == 1
    warning = uow.stored_warnings[1]
    assert warning.unit_id is None  # the owner is decided once, at intake (warning.routing), not here
    assert warning.level is RiskLevel.CRITICAL
    assert warning.status is WarningStatus.RECEIVED
    assert warning.signal_count == 4
    assert warning.first_event_id == story[1]["event_id"]
    assert warning.last_event_id == story[4]["event_id"]
    assert [r.warning_opened for r in results] == [False, True, False, False, False]
    assert all(wid == 1 for _, wid in uow.stored_assessments)
    assert len(uow.stored_assessments) == 4


def test_closed_warning_lets_a_new_episode_open_a_new_one() -> None:
    ctx, state, uow = context(), InMemoryState(), FakeUow()
    handle(ev(transfer(0, payee=FRAUD_ACCOUNT)), uow=uow, state=state, ctx=ctx)
    uow.stored_warnings[1] = replace(uow.stored_warnings[1], status=WarningStatus.CLOSED)
    handled = handle(ev(transfer(10, payee=FRAUD_ACCOUNT)), uow=uow, state=state, ctx=ctx)
    assert handled.warning_opened
    assert len(uow.stored_warnings) == 2


def test_a_subject_without_a_person_opens_a_warning_for_the_intake_to_route() -> None:
    ctx, state, uow = context(), InMemoryState(), FakeUow()
    raw = transfer(0, payee=FRAUD_ACCOUNT) | {"payer_account": "6222999999999999"}
    handle(ev(raw), uow=uow, state=state, ctx=ctx)
    assert uow.stored_warnings[1].unit_id is None  # the intake's fallback (else the city) will own it
    assert uow.stored_warnings[1].person_id is None
