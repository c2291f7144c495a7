"""The warning lifecycle as a transition table: state × command → state + effects (domain brief §3.5).

Pure: no I/O and no clock. `decide` either returns a `Decision` (the next state and what must happen
because of it) or raises `TransitionError` with a Chinese message an officer can act on.
The service (`warning/service.py`) loads the warning, calls `decide`, and stores the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from fanzha.warning.commands import (
    CHECKLIST,
    Assign,
    Channel,
    Close,
    Command,
    ContactResult,
    DeadlineKind,
    DissuadedByPhone,
    Escalate,
    MarkUnreachable,
    MeetRecord,
    NeedMeet,
    Outcome,
    RecordContact,
    RecordMeet,
    Sign,
    StartContact,
    StartFollowUp,
    StartLocating,
    SubmitFeedback,
    Transfer,
    TransitionError,
)
from fanzha.warning.model import OPEN_STATUSES, WarningStatus

S = WarningStatus

__all__ = [
    "CHECKLIST",
    "Assign",
    "Channel",
    "Close",
    "Command",
    "ContactResult",
    "DeadlineKind",
    "DissuadedByPhone",
    "Escalate",
    "MarkUnreachable",
    "MeetRecord",
    "NeedMeet",
    "Outcome",
    "RecordContact",
    "RecordMeet",
    "Sign",
    "StartContact",
    "StartFollowUp",
    "StartLocating",
    "SubmitFeedback",
    "Transfer",
    "TransitionError",
]


# Effects --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SetOwner:
    unit_id: str


@dataclass(frozen=True, slots=True)
class RouteUp:
    """The owner becomes the parent of the current owner."""


@dataclass(frozen=True, slots=True)
class StartDeadlines:
    """Start the level's deadlines from now (on a first assignment, and again after a transfer)."""


@dataclass(frozen=True, slots=True)
class MeetDeadline:
    kind: DeadlineKind


@dataclass(frozen=True, slots=True)
class CancelDeadlines:
    """Drop the deadlines still pending (closed, transferred, or feedback given)."""


@dataclass(frozen=True, slots=True)
class StartDispatch:
    """Run the dispatch ladder for the warning's level (SMS, 96110 call, visit, family)."""


@dataclass(frozen=True, slots=True)
class SetOutcome:
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class SetFollowUp:
    until: datetime


@dataclass(frozen=True, slots=True)
class MarkEscalated:
    reason: str


Effect = (
    SetOwner
    | RouteUp
    | StartDeadlines
    | MeetDeadline
    | CancelDeadlines
    | StartDispatch
    | SetOutcome
    | SetFollowUp
    | MarkEscalated
)


@dataclass(frozen=True, slots=True)
class Facts:
    """What the lifecycle needs to know about a warning's history besides its state."""

    outcome: Outcome | None = None
    contact_attempts: int = 0
    family_contacts: int = 0
    visited: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    to_state: WarningStatus
    effects: tuple[Effect, ...] = ()
    channel: Channel | None = None
    outcome: Outcome | None = None
    data: dict[str, object] = field(default_factory=dict)


# Rules ----------------------------------------------------------------------------------------------

# [DESIGN] UNREACHABLE is a final outcome only after this many attempts, a visit and a family contact.
MIN_ATTEMPTS_FOR_UNREACHABLE = 3
# Outcomes that a feedback may not carry: they have their own commands (Transfer, Close as duplicate).
NOT_FEEDBACK = frozenset({Outcome.OUT_OF_AREA, Outcome.DUPLICATE})
BEFORE_FEEDBACK = frozenset({S.ASSIGNED, S.SIGNED, S.CONTACTING, S.NEED_MEET, S.UNREACHABLE, S.LOCATING})
CONTACT_STATES = frozenset({S.CONTACTING, S.NEED_MEET, S.UNREACHABLE, S.LOCATING, S.FOLLOW_UP})
MEET_FROM = frozenset({S.CONTACTING, S.NEED_MEET, S.UNREACHABLE, S.LOCATING})
LOCATE_FROM = frozenset({S.NEED_MEET, S.UNREACHABLE, S.DISSUADED_BY_PHONE})
FEEDBACK_FROM = frozenset({S.MET, S.DISSUADED_BY_PHONE, S.LOCATING})

Rule = Callable[[WarningStatus, "Command", Facts], Decision]


def _assign(state: WarningStatus, cmd: Command, _f: Facts) -> Decision:
    assert isinstance(cmd, Assign)
    if not cmd.unit_id:
        raise TransitionError("请指定下发单位")
    restart = state is not S.ASSIGNED  # forwarding down (市局→分局→派出所) keeps the clock running
    effects: tuple[Effect, ...] = (SetOwner(cmd.unit_id),)
    if restart:
        effects += (CancelDeadlines(), StartDeadlines())
    return Decision(S.ASSIGNED, (*effects, StartDispatch()), Channel.SYSTEM)


def _sign(_s: WarningStatus, _c: Command, _f: Facts) -> Decision:
    return Decision(S.SIGNED, (MeetDeadline(DeadlineKind.SIGN),))


def _start_contact(_s: WarningStatus, cmd: Command, _f: Facts) -> Decision:
    assert isinstance(cmd, StartContact)
    return Decision(S.CONTACTING, (MeetDeadline(DeadlineKind.CONTACT),), cmd.channel)


def _record_contact(state: WarningStatus, cmd: Command, _f: Facts) -> Decision:
    assert isinstance(cmd, RecordContact)
    data: dict[str, object] = {"result": cmd.result.value}
    return Decision(state, (MeetDeadline(DeadlineKind.CONTACT),), cmd.channel, data=data)


def _to(target: WarningStatus, channel: Channel | None = None) -> Rule:
    def rule(_s: WarningStatus, _c: Command, _f: Facts) -> Decision:
        return Decision(target, (), channel)

    return rule


def _record_meet(_s: WarningStatus, cmd: Command, _f: Facts) -> Decision:
    assert isinstance(cmd, RecordMeet)
    meet = cmd.meet
    if not meet.place.strip():
        raise TransitionError("见面记录须填写见面地点")
    if not any(o.strip() for o in meet.officers):
        raise TransitionError("见面记录须填写到场民警")
    unknown = meet.checklist - CHECKLIST.keys()
    if unknown:
        raise TransitionError("见面记录含未知的核查项目")
    data: dict[str, object] = {
        "met_at": meet.at.isoformat(),
        "place": meet.place.strip(),
        "officers": [o.strip() for o in meet.officers if o.strip()],
        "checklist": sorted(meet.checklist),
    }
    return Decision(S.MET, (MeetDeadline(DeadlineKind.MEET),), Channel.VISIT, data=data)


def _feedback(state: WarningStatus, cmd: Command, facts: Facts) -> Decision:
    assert isinstance(cmd, SubmitFeedback)
    if cmd.outcome in NOT_FEEDBACK:
        raise TransitionError("非本辖区请使用“移交”，重复预警请使用“办结（重复预警）”")
    if cmd.outcome is Outcome.UNREACHABLE and not _unreachable_final(state, facts):
        raise TransitionError(
            f"“无法联系”须至少联系 {MIN_ATTEMPTS_FOR_UNREACHABLE} 次、上门寻找并联系家属后方可反馈"
        )
    if cmd.loss_fen < 0:
        raise TransitionError("损失金额不能为负数")
    effects: tuple[Effect, ...] = (
        SetOutcome(cmd.outcome),
        MeetDeadline(DeadlineKind.FEEDBACK),
        CancelDeadlines(),
    )
    data: dict[str, object] = {"loss_fen": cmd.loss_fen}
    return Decision(S.FEEDBACK_SUBMITTED, effects, outcome=cmd.outcome, data=data)


def _unreachable_final(state: WarningStatus, facts: Facts) -> bool:
    visited = facts.visited or state is S.LOCATING
    return facts.contact_attempts >= MIN_ATTEMPTS_FOR_UNREACHABLE and visited and facts.family_contacts > 0


def _follow_up(_s: WarningStatus, cmd: Command, _f: Facts) -> Decision:
    assert isinstance(cmd, StartFollowUp)
    return Decision(S.FOLLOW_UP, (SetFollowUp(cmd.until),))


def _close(state: WarningStatus, cmd: Command, facts: Facts) -> Decision:
    assert isinstance(cmd, Close)
    outcome = cmd.outcome or facts.outcome
    if outcome is None:
        raise TransitionError("未填写劝阻结果，不能办结")
    if outcome is Outcome.DUPLICATE:
        return Decision(S.CLOSED, (SetOutcome(outcome), CancelDeadlines()), outcome=outcome)
    if state not in {S.FEEDBACK_SUBMITTED, S.FOLLOW_UP}:
        raise TransitionError("须先提交反馈后方可办结")
    if outcome is Outcome.REFUSED and state is not S.FOLLOW_UP:
        raise TransitionError("对象拒不配合的预警须经回访后方可办结")
    return Decision(S.CLOSED, (SetOutcome(outcome), CancelDeadlines()), outcome=outcome)


def _transfer(_s: WarningStatus, _c: Command, _f: Facts) -> Decision:
    effects: tuple[Effect, ...] = (RouteUp(), CancelDeadlines())
    return Decision(S.TRANSFERRED, effects, Channel.SYSTEM, outcome=Outcome.OUT_OF_AREA)


def _escalate(state: WarningStatus, cmd: Command, _f: Facts) -> Decision:
    assert isinstance(cmd, Escalate)
    return Decision(state, (MarkEscalated(cmd.reason),), Channel.SYSTEM, data={"reason": cmd.reason})


def _table() -> dict[tuple[WarningStatus, type], Rule]:
    table: dict[tuple[WarningStatus, type], Rule] = {
        (S.RECEIVED, Assign): _assign,
        (S.ASSIGNED, Assign): _assign,
        (S.TRANSFERRED, Assign): _assign,
        (S.ASSIGNED, Sign): _sign,
        (S.SIGNED, StartContact): _start_contact,
        (S.CONTACTING, DissuadedByPhone): _to(S.DISSUADED_BY_PHONE, Channel.CALL_96110),
        (S.CONTACTING, NeedMeet): _to(S.NEED_MEET),
        (S.CONTACTING, MarkUnreachable): _to(S.UNREACHABLE),
        (S.FEEDBACK_SUBMITTED, StartFollowUp): _follow_up,
    }
    table.update({(s, RecordContact): _record_contact for s in CONTACT_STATES})
    table.update({(s, StartLocating): _to(S.LOCATING, Channel.VISIT) for s in LOCATE_FROM})
    table.update({(s, RecordMeet): _record_meet for s in MEET_FROM})
    table.update({(s, SubmitFeedback): _feedback for s in FEEDBACK_FROM})
    table.update({(s, Close): _close for s in OPEN_STATUSES})
    table.update({(s, Transfer): _transfer for s in BEFORE_FEEDBACK})
    table.update({(s, Escalate): _escalate for s in OPEN_STATUSES})
    return table


TRANSITIONS = _table()

COMMAND_NAMES: dict[type, str] = {
    Assign: "assign",
    Sign: "sign",
    StartContact: "start_contact",
    RecordContact: "record_contact",
    DissuadedByPhone: "dissuaded_by_phone",
    NeedMeet: "need_meet",
    MarkUnreachable: "mark_unreachable",
    StartLocating: "start_locating",
    RecordMeet: "record_meet",
    SubmitFeedback: "submit_feedback",
    StartFollowUp: "start_follow_up",
    Close: "close",
    Transfer: "transfer",
    Escalate: "escalate",
}


def decide(state: WarningStatus, command: Command, facts: Facts | None = None) -> Decision:
    """The decision for `command` in `state`, or `TransitionError` when the table forbids it."""
    rule = TRANSITIONS.get((state, type(command)))
    if rule is None:
        raise TransitionError("当前状态不允许此操作")
    return rule(state, command, facts or Facts())


def allowed(state: WarningStatus) -> list[str]:
    """Names of the commands the table accepts in `state` (their data may still be rejected)."""
    return [name for kind, name in COMMAND_NAMES.items() if (state, kind) in TRANSITIONS]
