"""One fold of the lifecycle's effects, one intake decision: the service and the evaluation share both."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from fanzha.clock import ManualClock
from fanzha.evaluate.casework import WorkflowOfficers
from fanzha.evaluate.officers import OfficerConfig, Officers, WarningNotice
from fanzha.evaluate.workflow import MemoryWorkflow, placeholder
from fanzha.event.codes import RiskLevel, UnitLevel
from fanzha.warning import lifecycle as lc
from fanzha.warning import service
from fanzha.warning.deadlines import Due, default_config
from fanzha.warning.effects import StartedDeadlines, Step, fold
from fanzha.warning.model import Warning, WarningStatus
from fanzha.warning.ports import TransitionRecord, WorkflowState
from fanzha.warning.routing import Residence, UnitNode, UnitTree, intake_assignment

T0 = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
S = WarningStatus
TREE = UnitTree(
    [
        UnitNode("C01", "示范市公安局反诈中心", UnitLevel.CITY, None),
        UnitNode("B01", "东湖分局", UnitLevel.BRANCH, "C01"),
        UnitNode("B01S01", "湖滨派出所", UnitLevel.STATION, "B01"),
    ]
)


def minutes(m: float) -> datetime:
    return T0 + timedelta(minutes=m)


class _Repo:
    """The service's `WorkflowRepository` port in memory (no database): what `apply` writes, kept."""

    def __init__(self, warning: Warning) -> None:
        self.state = WorkflowState(warning=warning)
        self.pending: dict[lc.DeadlineKind, datetime] = {}
        self.transitions: list[TransitionRecord] = []

    def load(self, warning_id: int) -> WorkflowState | None:
        return self.state

    def save(self, state: WorkflowState, *, expected_version: int, now: datetime) -> int:
        self.state = replace(state, version=expected_version + 1)
        return self.state.version

    def add_transition(self, record: TransitionRecord) -> None:
        self.transitions.append(record)

    def add_deadlines(self, warning_id: int, dues: list[Due]) -> None:
        self.pending = {d.kind: d.due_at for d in dues}

    def meet_deadline(self, warning_id: int, kind: lc.DeadlineKind, at: datetime) -> None:
        self.pending.pop(kind, None)

    def cancel_deadlines(self, warning_id: int) -> None:
        self.pending = {}

    def unit_tree(self) -> UnitTree:
        return TREE

    def residence(self, warning: Warning) -> Residence:
        return Residence(address="示范市湖滨街道8号")


class _Uow:
    def __init__(self, repo: _Repo) -> None:
        self.workflow = repo


SCRIPT: list[tuple[float, lc.Command]] = [
    (0, lc.Assign("B01S01")),
    (1, lc.Sign()),
    (2, lc.StartContact(lc.Channel.CALL_96110)),
    (3, lc.RecordContact(lc.Channel.CALL_96110, lc.ContactResult.NO_ANSWER)),
    (4, lc.NeedMeet()),
    (20, lc.StartLocating()),
    (40, lc.RecordMeet(lc.MeetRecord(minutes(39), "湖滨街道8号", ("警号0101",)))),
    (50, lc.SubmitFeedback(lc.Outcome.SUCCESS_NO_LOSS)),
    (60, lc.StartFollowUp(minutes(60 * 24 * 30))),
    (90, lc.Close()),
]


def test_the_service_and_the_evaluation_fold_the_same_script_into_the_same_record() -> None:
    repo, clock = _Repo(placeholder(7, RiskLevel.HIGH)), ManualClock(T0)
    memory = MemoryWorkflow(tree=TREE)
    memory.open(7, RiskLevel.HIGH)
    for at, command in SCRIPT:
        clock.set(minutes(at))
        service.apply(_Uow(repo), warning_id=7, command=command, actor="officer", clock=clock)
        assert memory.apply(7, command, minutes(at))
    (case,) = memory.records()
    stored = repo.state
    assert stored.warning.status is case.state is S.CLOSED
    assert (stored.warning.unit_id, stored.assigned_at, stored.signed_at) == (
        case.facts.unit_id,
        case.facts.assigned_at,
        case.facts.signed_at,
    )
    assert (stored.first_contact_at, stored.reached, stored.met_at is not None) == (
        case.facts.first_contact_at,
        case.facts.reached,
        case.facts.met,
    )
    assert (stored.facts.outcome, stored.outcome_at) == (case.facts.outcome, case.facts.outcome_at)
    assert stored.outcome_at == minutes(50)  # closing keeps the time the outcome was reported
    assert repo.pending == {}  # met, then cancelled by the feedback
    assert [t.command for t in repo.transitions][:3] == ["assign", "sign", "start_contact"]


def test_fold_of_a_first_assignment_starts_the_clock_and_the_ladder() -> None:
    state = WorkflowState(warning=placeholder(3, RiskLevel.CRITICAL))
    command = lc.Assign("B01S01", "下发")
    decision = lc.decide(S.RECEIVED, command)
    folded = fold(state, command, decision, Step("system", T0), units=lambda: TREE, config=default_config())
    assert folded.state.warning.unit_id == "B01S01"
    assert folded.state.assigned_at == T0
    assert folded.start_dispatch
    assert folded.done_channel is None  # a system step completes no officer's task
    started = [s for s in folded.deadlines if isinstance(s, StartedDeadlines)]
    assert {d.kind for d in started[0].dues} == set(lc.DeadlineKind)
    assert isinstance(folded.deadlines[0], lc.CancelDeadlines)  # the old ones go before the new start
    assert (folded.transition.command, folded.transition.to_status) == ("assign", S.ASSIGNED)


def test_fold_asks_for_the_unit_tree_only_when_an_effect_needs_it() -> None:
    asked: list[bool] = []

    def units() -> UnitTree:
        asked.append(True)
        return TREE

    state = WorkflowState(warning=replace(placeholder(3, RiskLevel.LOW), status=S.ASSIGNED, unit_id="B01S01"))
    config = default_config()
    fold(state, lc.Sign(), lc.decide(S.ASSIGNED, lc.Sign()), Step("u", T0), units=units, config=config)
    assert asked == []
    escalate = lc.Escalate("超时")
    folded = fold(state, escalate, lc.decide(S.ASSIGNED, escalate), Step("u", T0), units=units, config=config)
    assert asked == [True]
    assert (folded.state.overdue, folded.state.escalated_unit_id, folded.state.escalation_count) == (
        True,
        "B01",
        1,
    )


def test_intake_assignment_names_the_rule_and_the_path() -> None:
    command = intake_assignment(TREE, Residence(address="示范市湖滨街道8号"))
    assert command is not None
    assert command.unit_id == "B01S01"
    assert command.note == "自动研判下发（按居住地址）：示范市公安局反诈中心 → 东湖分局 → 湖滨派出所"
    assert intake_assignment(UnitTree(()), Residence()) is None


def test_the_evaluation_routes_a_new_warning_by_the_intake_decision() -> None:
    workflow = MemoryWorkflow(tree=TREE)
    residences = {"P1": Residence(address="示范市湖滨街道8号")}
    officers = WorkflowOfficers(Officers(OfficerConfig(), "s"), workflow, tree=TREE, residences=residences)
    officers.on_warning(WarningNotice(1, "P1", None, RiskLevel.HIGH), T0)
    officers.on_warning(WarningNotice(2, "P9", None, RiskLevel.HIGH), T0)  # unknown person: the city
    expected = intake_assignment(TREE, residences["P1"])
    assert expected is not None
    assert (workflow.unit(1), workflow.unit(2)) == (expected.unit_id, "C01")
    assert workflow.state(1) is S.ASSIGNED
