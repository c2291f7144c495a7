"""The workflow service on SQLite and PostgreSQL: intake routing, the full loop, transfers, concurrency."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from fanzha.clock import ManualClock
from fanzha.dispatch.service import LadderDispatcher
from fanzha.event.codes import RiskLevel
from fanzha.store.engine import session_factory
from fanzha.uow import UnitOfWork
from fanzha.warning import lifecycle as lc
from fanzha.warning import service
from fanzha.warning.model import WarningStatus
from tests.workflow_seed import PHONE, T0, add_warning, seed_city

S = WarningStatus


@pytest.fixture
def city(engine: Engine) -> Engine:
    seed_city(engine)
    return engine


def _uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(session_factory(engine))


def _route(engine: Engine, warning_id: int, clock: ManualClock) -> service.Applied | None:
    with _uow(engine) as uow:
        applied = service.route_received(
            uow, warning_id=warning_id, clock=clock, dispatcher=LadderDispatcher(uow)
        )
        uow.commit()
    return applied


def test_intake_routes_by_address_starts_deadlines_and_stages_the_ladder(city: Engine) -> None:
    clock = ManualClock(T0)
    warning_id = add_warning(city)
    applied = _route(city, warning_id, clock)
    assert applied is not None
    assert (applied.to_status, applied.unit_id, applied.version) == (S.ASSIGNED, "B01S01", 1)
    with _uow(city) as uow:
        kinds = {(d.kind, d.due_at - T0) for d in uow.workflow.deadlines([warning_id])}
        assert kinds == {
            ("SIGN", timedelta(minutes=1)),
            ("CONTACT", timedelta(minutes=3)),
            ("MEET", timedelta(minutes=30)),
            ("FEEDBACK", timedelta(minutes=120)),
        }
        [sms] = uow.outbox.sms_for([warning_id])
        assert sms.phone == PHONE
        assert sms.status == "PENDING"
        assert {t.channel for t in uow.outbox.tasks_for(warning_id)} == {"CALL_96110", "FAMILY", "VISIT"}
        [step] = uow.workflow.transitions(warning_id)
        assert (step.actor, step.command, step.to_status) == ("system", "assign", "ASSIGNED")
        assert "湖滨派出所" in step.note
    assert _route(city, warning_id, clock) is None  # routed once only
    with _uow(city) as uow:  # dispatching again stages nothing new
        warning = uow.warnings.get(warning_id)
        assert warning is not None
        LadderDispatcher(uow).start(warning, now=T0)
        uow.commit()
        assert len(uow.outbox.sms_for([warning_id])) == 1


def test_the_full_loop_records_every_step(city: Engine) -> None:
    clock = ManualClock(T0)
    warning_id = add_warning(city, level=RiskLevel.HIGH)
    _route(city, warning_id, clock)
    meet = lc.MeetRecord(
        at=T0 + timedelta(minutes=40), place="湖滨街道8号", officers=("警号0101", "警号0102")
    )
    steps = [
        lambda uow: service.sign(uow, warning_id=warning_id, actor="officer1", clock=clock),
        lambda uow: service.start_contact(uow, warning_id=warning_id, actor="officer1", clock=clock),
        lambda uow: service.record_contact(
            uow,
            warning_id=warning_id,
            actor="officer1",
            clock=clock,
            channel=lc.Channel.CALL_96110,
            result=lc.ContactResult.BUSY,
        ),
        lambda uow: service.conclude_contact(
            uow, warning_id=warning_id, actor="officer1", clock=clock, result=S.NEED_MEET
        ),
        lambda uow: service.start_locating(uow, warning_id=warning_id, actor="officer1", clock=clock),
        lambda uow: service.record_meet(uow, warning_id=warning_id, actor="officer1", clock=clock, meet=meet),
        lambda uow: service.record_outcome(
            uow, warning_id=warning_id, actor="officer1", clock=clock, outcome=lc.Outcome.SUCCESS_NO_LOSS
        ),
        lambda uow: service.start_follow_up(uow, warning_id=warning_id, actor="officer1", clock=clock),
        lambda uow: service.close(uow, warning_id=warning_id, actor="officer1", clock=clock),
    ]
    for step in steps:
        clock.advance(timedelta(minutes=1))
        with _uow(city) as uow:
            step(uow)
            uow.commit()
    with _uow(city) as uow:  # the console passes the dispatcher; here the steps ran without it
        dispatcher = LadderDispatcher(uow)
        dispatcher.done(warning_id, lc.Channel.CALL_LOCAL, now=clock.now())
        dispatcher.done(warning_id, lc.Channel.SMS, now=clock.now())
        uow.commit()
        tasks = {t.channel: t.status for t in uow.outbox.tasks_for(warning_id)}
        assert tasks == {"CALL_96110": "DONE", "VISIT": "OPEN"}
    with _uow(city) as uow:
        state = uow.workflow.load(warning_id)
        assert state is not None
        assert state.warning.status is S.CLOSED
        assert state.facts.outcome is lc.Outcome.SUCCESS_NO_LOSS
        assert state.version == 10
        assert state.met_at == meet.at
        assert state.signed_at == T0 + timedelta(minutes=1)
        history = uow.workflow.transitions(warning_id)
        assert [h.to_status for h in history][-3:] == ["FEEDBACK_SUBMITTED", "FOLLOW_UP", "CLOSED"]
        assert all(h.actor == "officer1" and h.unit_id == "B01S01" for h in history[1:])
        met = next(h for h in history if h.command == "record_meet")
        assert met.data["officers"] == ["警号0101", "警号0102"]
        assert met.channel == "VISIT"
        states = {d.kind: d.state for d in uow.workflow.deadlines([warning_id])}
        assert states == {"SIGN": "MET", "CONTACT": "MET", "MEET": "MET", "FEEDBACK": "MET"}


def test_a_forbidden_step_changes_nothing(city: Engine) -> None:
    clock = ManualClock(T0)
    warning_id = add_warning(city)
    _route(city, warning_id, clock)
    with _uow(city) as uow, pytest.raises(lc.TransitionError):
        service.close(uow, warning_id=warning_id, actor="officer1", clock=clock)
    with _uow(city) as uow:
        state = uow.workflow.load(warning_id)
        assert state is not None
        assert (state.warning.status, state.version) == (S.ASSIGNED, 1)
    with _uow(city) as uow, pytest.raises(service.WarningNotFoundError):
        service.sign(uow, warning_id=999_999, actor="officer1", clock=clock)


def test_out_of_area_goes_up_and_is_reassigned(city: Engine) -> None:
    clock = ManualClock(T0)
    warning_id = add_warning(city)
    _route(city, warning_id, clock)
    with _uow(city) as uow:
        service.sign(uow, warning_id=warning_id, actor="officer1", clock=clock)
        applied = service.transfer(
            uow, warning_id=warning_id, actor="officer1", clock=clock, note="对象已搬至东门"
        )
        uow.commit()
    assert (applied.to_status, applied.unit_id) == (S.TRANSFERRED, "B01")
    clock.advance(timedelta(minutes=10))
    with _uow(city) as uow:
        assert {d.state for d in uow.workflow.deadlines([warning_id])} <= {"MET", "CANCELLED"}
        applied = service.assign(
            uow, warning_id=warning_id, unit_id="B01S02", actor="dispatcher-b01", clock=clock
        )
        uow.commit()
        assert (applied.to_status, applied.unit_id) == (S.ASSIGNED, "B01S02")
        pending = [d for d in uow.workflow.deadlines([warning_id]) if d.state == "PENDING"]
        assert min(d.due_at for d in pending) == clock.now() + timedelta(minutes=1)  # the clock restarts
        transfer = next(h for h in uow.workflow.transitions(warning_id) if h.command == "transfer")
        assert (transfer.outcome, transfer.unit_id, transfer.note) == (
            "OUT_OF_AREA",
            "B01S01",
            "对象已搬至东门",
        )


def test_a_stale_version_is_refused(city: Engine) -> None:
    clock = ManualClock(T0)
    warning_id = add_warning(city)
    _route(city, warning_id, clock)
    with _uow(city) as uow:
        service.sign(
            uow, warning_id=warning_id, actor="a", clock=clock, options=service.Options(expected_version=1)
        )
        uow.commit()
    with _uow(city) as uow, pytest.raises(service.StaleVersionError):
        service.transfer(
            uow, warning_id=warning_id, actor="b", clock=clock, options=service.Options(expected_version=1)
        )


def test_two_writers_from_the_same_version_only_one_wins(city: Engine) -> None:
    """Both load version 1 in their own transaction; the second save is refused by the database check."""
    clock = ManualClock(T0)
    warning_id = add_warning(city)
    _route(city, warning_id, clock)
    first, second = _uow(city), _uow(city)
    with first as a:
        state = a.workflow.load(warning_id)
        assert state is not None
        with second as b:
            other = b.workflow.load(warning_id)
            assert other is not None
            a.workflow.save(state, expected_version=1, now=T0)
            a.commit()
            with pytest.raises(service.StaleVersionError):
                b.workflow.save(other, expected_version=1, now=T0)
