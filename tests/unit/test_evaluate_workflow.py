"""Simulated officers act through the warning lifecycle: every step is a `decide` command."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from fanzha.evaluate.casework import WorkflowOfficers
from fanzha.evaluate.model import Channel, Outcome
from fanzha.evaluate.officers import OfficerConfig, Officers, WarningNotice
from fanzha.evaluate.workflow import MemoryWorkflow
from fanzha.evaluate.workflow_metrics import workflow_report
from fanzha.event.codes import RiskLevel
from fanzha.warning import lifecycle as lc
from fanzha.warning.model import WarningStatus

T0 = datetime(2026, 10, 1, 12, tzinfo=UTC)
SURE = OfficerConfig(p_reach=dict.fromkeys(Channel, 1.0))
NEVER = OfficerConfig(p_reach=dict.fromkeys(Channel, 0.0))


def minutes(m: float) -> datetime:
    return T0 + timedelta(minutes=m)


class Spy:
    """Records every call to `decide` and what it answered."""

    def __init__(self) -> None:
        self.calls: list[tuple[WarningStatus, lc.Command, WarningStatus | None]] = []

    def __call__(self, state: WarningStatus, command: lc.Command, facts: lc.Facts) -> lc.Decision:
        try:
            decision = lc.decide(state, command, facts)
        except lc.TransitionError:
            self.calls.append((state, command, None))
            raise
        self.calls.append((state, command, decision.to_state))
        return decision

    def names(self) -> list[str]:
        return [lc.COMMAND_NAMES[type(c)] for _, c, _ in self.calls]


def officers(config: OfficerConfig, spy: Spy) -> tuple[WorkflowOfficers, MemoryWorkflow]:
    workflow = MemoryWorkflow(decide=spy)
    return WorkflowOfficers(Officers(config, "s"), workflow), workflow


def notice(wid: int, level: RiskLevel, unit: str = "S1") -> WarningNotice:
    return WarningNotice(wid, f"P{wid}", unit, level)


def work(responder: WorkflowOfficers, until: datetime, outcome: Outcome) -> int:
    """Let the officers work until `until`, every attempt getting `outcome`; the number of attempts."""
    n = 0
    while (attempt := responder.next_attempt(until)) is not None:
        n += 1
        responder.on_outcome(attempt, outcome if attempt.reached else Outcome.UNREACHABLE)
    return n


def test_every_officer_step_of_a_phone_dissuasion_goes_through_decide() -> None:
    spy = Spy()
    responder, workflow = officers(SURE, spy)
    responder.on_warning(notice(1, RiskLevel.HIGH), T0)
    assert work(responder, minutes(60), Outcome.SUCCESS_NO_LOSS) == 1
    responder.on_close(1, minutes(60 * 72))
    assert spy.names() == [
        "assign",
        "sign",
        "start_contact",
        "record_contact",
        "dissuaded_by_phone",
        "submit_feedback",
        "start_follow_up",
        "close",
    ]
    # The adapter's state is exactly what decide answered last.
    assert workflow.state(1) is spy.calls[-1][2] is WarningStatus.CLOSED
    (case,) = workflow.records()
    assert case.facts.outcome is lc.Outcome.SUCCESS_NO_LOSS
    assert case.facts.unit_id == "S1"
    assert (case.facts.signed_at, case.facts.first_contact_at) == (minutes(5), minutes(5))
    assert not case.overdue
    assert workflow.refusals == []


def test_an_unreached_call_leads_to_locating_and_a_meeting_with_evidence() -> None:
    spy = Spy()
    config = replace(SURE, p_reach={Channel.CALL: 0.0, Channel.VISIT: 1.0, Channel.SMS: 1.0})
    responder, workflow = officers(config, spy)
    responder.on_warning(notice(1, RiskLevel.HIGH), T0)
    assert work(responder, minutes(600), Outcome.REFUSED) == 2
    responder.on_close(1, minutes(60 * 80))
    assert spy.names() == [
        "assign",
        "sign",
        "start_contact",
        "record_contact",
        "mark_unreachable",
        "start_locating",
        "record_meet",
        "submit_feedback",
        "start_follow_up",
        "close",
    ]
    (case,) = workflow.records()
    assert case.facts.met
    assert case.facts.outcome is lc.Outcome.REFUSED
    assert workflow.refusals == []


def test_a_warning_nobody_reaches_in_time_is_overdue_and_escalated() -> None:
    spy = Spy()
    responder, workflow = officers(replace(SURE, officers_per_unit=0), spy)
    responder.on_warning(notice(1, RiskLevel.CRITICAL), T0)
    assert work(responder, minutes(200), Outcome.SUCCESS_NO_LOSS) == 0
    (case,) = workflow.records()
    # CRITICAL: sign 1 min, contact 3, meeting 30, feedback 120 — all four fell due unmet.
    assert case.overdue
    assert case.escalations == 4
    assert spy.names() == ["assign"] + ["escalate"] * 4
    assert case.state is WarningStatus.ASSIGNED
    assert case.facts.signed_at is None
    figures = workflow_report(workflow.records(), workflow.refusals).overall
    assert (figures.overdue, figures.escalations, figures.sign_on_time.numerator) == (1, 4, 0)


def test_an_officer_with_too_many_warnings_misses_a_deadline() -> None:
    spy = Spy()
    responder, workflow = officers(replace(SURE, officers_per_unit=1), spy)
    responder.on_warning(notice(1, RiskLevel.CRITICAL), T0)
    responder.on_warning(notice(2, RiskLevel.CRITICAL), T0)
    work(responder, minutes(30), Outcome.REFUSED)
    cases = {c.facts.warning_id: c for c in workflow.records()}
    assert cases[1].facts.signed_at == minutes(1)
    assert cases[1].escalations == 0
    # The only officer is on warning 1's call (1–11 min) and its visit: warning 2 waits past its SLA.
    assert cases[2].facts.signed_at is None
    assert cases[2].overdue
    assert any(isinstance(c, lc.Escalate) for _, c, _ in spy.calls)
    work(responder, minutes(300), Outcome.REFUSED)
    report = workflow_report(workflow.records(), workflow.refusals)
    assert report.by_level[RiskLevel.CRITICAL].sign_on_time.numerator == 1
    assert report.refusals == 0


def test_a_person_never_reached_keeps_the_warning_open_without_an_outcome() -> None:
    spy = Spy()
    responder, workflow = officers(NEVER, spy)
    responder.on_warning(notice(1, RiskLevel.HIGH), T0)
    assert work(responder, minutes(600), Outcome.REFUSED) == 2
    responder.on_close(1, minutes(60 * 80))
    (case,) = workflow.records()
    assert case.state is not WarningStatus.CLOSED
    assert case.facts.outcome is None
    assert case.overdue  # the meeting and the feedback fell due
    assert workflow.refusals == []


def test_a_refused_step_is_counted_not_hidden() -> None:
    workflow = MemoryWorkflow()
    workflow.open(1, RiskLevel.LOW)
    assert not workflow.apply(1, lc.Close(), T0)
    assert workflow.apply(1, lc.Assign(unit_id="S1"), T0)
    assert not workflow.apply(1, lc.SubmitFeedback(lc.Outcome.SUCCESS_NO_LOSS), T0)
    assert [(r.state, r.command) for r in workflow.refusals] == [
        (WarningStatus.RECEIVED, "close"),
        (WarningStatus.ASSIGNED, "submit_feedback"),
    ]
    assert workflow.state(1) is WarningStatus.ASSIGNED
    assert workflow_report(workflow.records(), workflow.refusals).refusals == 2


def test_closed_warnings_always_carry_an_outcome() -> None:
    for outcome in (Outcome.SUCCESS_PARTIAL, Outcome.NOT_FRAUD, Outcome.DEFRAUDED, Outcome.REFUSED):
        responder, workflow = officers(SURE, Spy())  # afresh: a settled warning takes no second outcome
        for wid, level in enumerate(RiskLevel, start=1):
            responder.on_warning(notice(wid, level, f"S{wid}"), T0)
        assert work(responder, minutes(60 * 30), outcome) >= len(RiskLevel)
        for wid in range(1, len(RiskLevel) + 1):
            responder.on_close(wid, minutes(60 * 100))
        records = workflow.records()
        assert any(c.state is WarningStatus.CLOSED for c in records), outcome
        assert all(c.facts.outcome is not None for c in records if c.state is WarningStatus.CLOSED), outcome
        assert workflow.refusals == [], outcome
