"""The workflow service: load a warning, apply the lifecycle, save, and stage what follows.

Pure in the pipeline's sense: it works through the `WorkflowUow` protocol (the store implements it)
and never commits; the caller's `UnitOfWork` does. Dispatch (SMS, call tasks) is staged as rows in the
same transaction by a `Dispatcher`, so it is delivered only after the commit and never lost.

Officers, the console, the API and the simulated officers all call the functions below, e.g.
`sign(uow, warning_id=7, actor="u1", clock=clock, expected_version=3)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from fanzha.clock import Clock
from fanzha.warning import lifecycle as lc
from fanzha.warning.deadlines import WorkflowConfig, default_config
from fanzha.warning.effects import DeadlineStep, Step, fold
from fanzha.warning.model import WarningStatus
from fanzha.warning.ports import (
    Dispatcher,
    StaleVersionError,
    TransitionRecord,
    WarningNotFoundError,
    WorkflowRepository,
    WorkflowState,
    WorkflowUow,
)
from fanzha.warning.routing import intake_assignment

SYSTEM_ACTOR = "system"
__all__ = [
    "Dispatcher",
    "StaleVersionError",
    "TransitionRecord",
    "WarningNotFoundError",
    "WorkflowRepository",
    "WorkflowState",
    "WorkflowUow",
]


@dataclass(frozen=True, slots=True)
class Applied:
    warning_id: int
    from_status: WarningStatus
    to_status: WarningStatus
    version: int
    unit_id: str | None


def apply(
    uow: WorkflowUow,
    *,
    warning_id: int,
    command: lc.Command,
    actor: str,
    clock: Clock,
    actor_unit: str | None = None,
    expected_version: int | None = None,
    config: WorkflowConfig | None = None,
    dispatcher: Dispatcher | None = None,
) -> Applied:
    """Apply `command`; raises `TransitionError`, `StaleVersionError` or `WarningNotFoundError`.

    Load → `decide` → `effects.fold` → save (version-checked) → deadlines → transition → dispatch.
    """
    repo = uow.workflow
    state = repo.load(warning_id)
    if state is None:
        raise WarningNotFoundError(warning_id)
    if expected_version is not None and expected_version != state.version:
        raise StaleVersionError(warning_id)
    decision = lc.decide(state.warning.status, command, state.facts)
    now = clock.now()
    step = Step(actor=actor, at=now, actor_unit=actor_unit)
    folded = fold(state, command, decision, step, units=repo.unit_tree, config=config or default_config())
    version = repo.save(folded.state, expected_version=state.version, now=now)
    _apply_deadlines(repo, warning_id, folded.deadlines, now)
    repo.add_transition(folded.transition)
    if dispatcher is not None and folded.start_dispatch:
        dispatcher.start(folded.state.warning, now=now)
    if dispatcher is not None and folded.done_channel is not None:
        dispatcher.done(warning_id, folded.done_channel, now=now)
    new = folded.state.warning
    return Applied(warning_id, state.warning.status, new.status, version, new.unit_id)


def _apply_deadlines(
    repo: WorkflowRepository, warning_id: int, steps: tuple[DeadlineStep, ...], now: datetime
) -> None:
    for deadline in steps:
        if isinstance(deadline, lc.MeetDeadline):
            repo.meet_deadline(warning_id, deadline.kind, now)
        elif isinstance(deadline, lc.CancelDeadlines):
            repo.cancel_deadlines(warning_id)
        else:
            repo.add_deadlines(warning_id, list(deadline.dues))


def route_received(
    uow: WorkflowUow,
    *,
    warning_id: int,
    clock: Clock,
    fallback_unit: str | None = None,
    config: WorkflowConfig | None = None,
    dispatcher: Dispatcher | None = None,
) -> Applied | None:
    """Intake, the one place a warning's owner is decided: route a RECEIVED warning to the unit where
    its person lives (`routing.intake_assignment`) and start its clock. None if it was routed already."""
    state = uow.workflow.load(warning_id)
    if state is None or state.warning.status is not WarningStatus.RECEIVED:
        return None
    residence = uow.workflow.residence(state.warning)
    command = intake_assignment(uow.workflow.unit_tree(), residence, fallback=fallback_unit)
    if command is None:
        return None
    return apply(
        uow,
        warning_id=warning_id,
        command=command,
        actor=SYSTEM_ACTOR,
        clock=clock,
        config=config,
        dispatcher=dispatcher,
        expected_version=state.version,
    )


# Keyword-only shortcuts for officers and the simulated officers -------------------------------------
# Each takes the same options as `apply`: expected_version, actor_unit, config, dispatcher.


@dataclass(frozen=True, slots=True)
class Options:
    expected_version: int | None = None
    actor_unit: str | None = None
    config: WorkflowConfig | None = None
    dispatcher: Dispatcher | None = None


def _do(  # noqa: PLR0917
    uow: WorkflowUow, command: lc.Command, warning_id: int, actor: str, clock: Clock, options: Options
) -> Applied:
    return apply(
        uow,
        warning_id=warning_id,
        command=command,
        actor=actor,
        clock=clock,
        actor_unit=options.actor_unit,
        expected_version=options.expected_version,
        config=options.config,
        dispatcher=options.dispatcher,
    )


def assign(
    uow: WorkflowUow,
    *,
    warning_id: int,
    unit_id: str,
    actor: str,
    clock: Clock,
    note: str = "",
    options: Options = Options(),
) -> Applied:
    """下发 / 改派: give the warning to `unit_id` (a re-assignment after a transfer restarts its clock)."""
    return _do(uow, lc.Assign(unit_id, note), warning_id, actor, clock, options)


def sign(
    uow: WorkflowUow,
    *,
    warning_id: int,
    actor: str,
    clock: Clock,
    note: str = "",
    options: Options = Options(),
) -> Applied:
    """签收."""
    return _do(uow, lc.Sign(note), warning_id, actor, clock, options)


def start_contact(
    uow: WorkflowUow,
    *,
    warning_id: int,
    actor: str,
    clock: Clock,
    channel: lc.Channel = lc.Channel.CALL_96110,
    note: str = "",
    options: Options = Options(),
) -> Applied:
    """开始劝阻: the first contact attempt is under way."""
    return _do(uow, lc.StartContact(channel, note), warning_id, actor, clock, options)


def record_contact(
    uow: WorkflowUow,
    *,
    warning_id: int,
    actor: str,
    clock: Clock,
    channel: lc.Channel,
    result: lc.ContactResult,
    note: str = "",
    options: Options = Options(),
) -> Applied:
    """One contact attempt and its result (stays in the current state)."""
    return _do(uow, lc.RecordContact(channel, result, note), warning_id, actor, clock, options)


def conclude_contact(
    uow: WorkflowUow,
    *,
    warning_id: int,
    actor: str,
    clock: Clock,
    result: WarningStatus,
    note: str = "",
    options: Options = Options(),
) -> Applied:
    """End the phone stage: DISSUADED_BY_PHONE, NEED_MEET or UNREACHABLE."""
    commands: dict[WarningStatus, lc.Command] = {
        WarningStatus.DISSUADED_BY_PHONE: lc.DissuadedByPhone(note),
        WarningStatus.NEED_MEET: lc.NeedMeet(note),
        WarningStatus.UNREACHABLE: lc.MarkUnreachable(note),
    }
    if result not in commands:
        raise lc.TransitionError("电话劝阻结果只能是：已电话劝阻、需见面、无法联系")
    return _do(uow, commands[result], warning_id, actor, clock, options)


def start_locating(
    uow: WorkflowUow,
    *,
    warning_id: int,
    actor: str,
    clock: Clock,
    note: str = "",
    options: Options = Options(),
) -> Applied:
    """上门寻找."""
    return _do(uow, lc.StartLocating(note), warning_id, actor, clock, options)


def record_meet(
    uow: WorkflowUow,
    *,
    warning_id: int,
    actor: str,
    clock: Clock,
    meet: lc.MeetRecord,
    note: str = "",
    options: Options = Options(),
) -> Applied:
    """见面劝阻: time, place, officers and the 四查看·三询问·一保护 checklist."""
    return _do(uow, lc.RecordMeet(meet, note), warning_id, actor, clock, options)


def record_outcome(
    uow: WorkflowUow,
    *,
    warning_id: int,
    actor: str,
    clock: Clock,
    outcome: lc.Outcome,
    loss_fen: int = 0,
    note: str = "",
    options: Options = Options(),
) -> Applied:
    """平台反馈: the outcome code (§3.6) and any loss, in fen."""
    return _do(uow, lc.SubmitFeedback(outcome, note, loss_fen), warning_id, actor, clock, options)


def start_follow_up(
    uow: WorkflowUow,
    *,
    warning_id: int,
    actor: str,
    clock: Clock,
    note: str = "",
    options: Options = Options(),
) -> Applied:
    """回访: watch the person for the configured period."""
    days = (options.config or default_config()).follow_up_days
    command = lc.StartFollowUp(clock.now() + timedelta(days=days), note)
    return _do(uow, command, warning_id, actor, clock, options)


def close(
    uow: WorkflowUow,
    *,
    warning_id: int,
    actor: str,
    clock: Clock,
    outcome: lc.Outcome | None = None,
    note: str = "",
    options: Options = Options(),
) -> Applied:
    """办结: needs an outcome code, given here or in the feedback."""
    return _do(uow, lc.Close(outcome, note), warning_id, actor, clock, options)


def transfer(
    uow: WorkflowUow,
    *,
    warning_id: int,
    actor: str,
    clock: Clock,
    note: str = "",
    options: Options = Options(),
) -> Applied:
    """非本辖区: give the warning back; it goes to the level above, which re-assigns it."""
    return _do(uow, lc.Transfer(note), warning_id, actor, clock, options)


def escalate(
    uow: WorkflowUow, *, warning_id: int, actor: str, clock: Clock, reason: str, options: Options = Options()
) -> Applied:
    """超时督办: mark overdue and put the warning under the supervision of the level above."""
    return _do(uow, lc.Escalate(reason), warning_id, actor, clock, options)
