"""The workflow service: load a warning, apply the lifecycle, save, and stage what follows.

Pure in the pipeline's sense: it works through the `WorkflowUow` protocol (the store implements it)
and never commits; the caller's `UnitOfWork` does. Dispatch (SMS, call tasks) is staged as rows in the
same transaction by a `Dispatcher`, so it is delivered only after the commit and never lost.

Officers, the console, the API and the simulated officers all call the functions below, e.g.
`sign(uow, warning_id=7, actor="u1", clock=clock, expected_version=3)`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from fanzha.clock import Clock
from fanzha.warning import lifecycle as lc
from fanzha.warning.deadlines import WorkflowConfig, deadlines_for, default_config
from fanzha.warning.model import Warning, WarningStatus
from fanzha.warning.ports import (
    Dispatcher,
    StaleVersionError,
    TransitionRecord,
    WarningNotFoundError,
    WorkflowRepository,
    WorkflowState,
    WorkflowUow,
)
from fanzha.warning.routing import UnitTree, resolve, route_up

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
    """Apply `command`; raises `TransitionError`, `StaleVersionError` or `WarningNotFoundError`."""
    repo = uow.workflow
    state = repo.load(warning_id)
    if state is None:
        raise WarningNotFoundError(warning_id)
    if expected_version is not None and expected_version != state.version:
        raise StaleVersionError(warning_id)
    before = state.warning.status
    decision = lc.decide(before, command, state.facts)
    now = clock.now()
    new = _milestones(replace(state, warning=replace(state.warning, status=decision.to_state)), command, now)
    tree: UnitTree | None = None
    for effect in decision.effects:
        if isinstance(effect, lc.SetOwner):
            new = replace(new, warning=replace(new.warning, unit_id=effect.unit_id), assigned_at=now)
        elif isinstance(effect, lc.RouteUp):
            tree = tree or repo.unit_tree()
            new = replace(new, warning=replace(new.warning, unit_id=route_up(tree, new.warning.unit_id)))
        elif isinstance(effect, lc.SetOutcome):
            new = replace(new, facts=replace(new.facts, outcome=effect.outcome), outcome_at=now)
        elif isinstance(effect, lc.SetFollowUp):
            new = replace(new, follow_up_until=effect.until)
        elif isinstance(effect, lc.MarkEscalated):
            tree = tree or repo.unit_tree()
            above = route_up(tree, new.escalated_unit_id or new.warning.unit_id)
            new = replace(
                new, overdue=True, escalated_unit_id=above, escalation_count=new.escalation_count + 1
            )
    if isinstance(command, lc.SubmitFeedback):
        new = replace(new, loss_fen=command.loss_fen)
    version = repo.save(new, expected_version=state.version, now=now)
    _deadline_effects(repo, new, decision.effects, now, config or default_config())
    repo.add_transition(
        TransitionRecord(
            warning_id=warning_id,
            at=now,
            actor=actor,
            unit_id=actor_unit or state.warning.unit_id,
            command=lc.COMMAND_NAMES[type(command)],
            from_status=before,
            to_status=decision.to_state,
            channel=decision.channel,
            outcome=decision.outcome,
            note=command.note,
            data=decision.data,
        )
    )
    if dispatcher is not None and any(isinstance(e, lc.StartDispatch) for e in decision.effects):
        dispatcher.start(new.warning, now=now)
    if dispatcher is not None and decision.channel not in {None, lc.Channel.SYSTEM}:
        assert decision.channel is not None
        dispatcher.done(warning_id, decision.channel, now=now)
    return Applied(warning_id, before, decision.to_state, version, new.warning.unit_id)


def _milestones(state: WorkflowState, command: lc.Command, now: datetime) -> WorkflowState:
    """Record the first time each step happened (for the KPIs and the supervision flags)."""
    if isinstance(command, lc.Sign):
        return replace(state, signed_at=state.signed_at or now)
    if isinstance(command, lc.StartContact | lc.RecordContact):
        reached = isinstance(command, lc.RecordContact) and command.result in {
            lc.ContactResult.ANSWERED,
            lc.ContactResult.FAMILY_REACHED,
        }
        facts = state.facts
        if isinstance(command, lc.RecordContact):
            family = int(command.channel is lc.Channel.FAMILY)
            facts = replace(
                facts,
                contact_attempts=facts.contact_attempts + 1,
                family_contacts=facts.family_contacts + family,
            )
        return replace(
            state,
            facts=facts,
            first_contact_at=state.first_contact_at or now,
            reached=state.reached or reached,
        )
    if isinstance(command, lc.DissuadedByPhone):
        return replace(state, reached=True)
    if isinstance(command, lc.StartLocating):
        return replace(state, facts=replace(state.facts, visited=True))
    if isinstance(command, lc.RecordMeet):
        return replace(state, met_at=command.meet.at, reached=True, facts=replace(state.facts, visited=True))
    return state


def _deadline_effects(
    repo: WorkflowRepository,
    state: WorkflowState,
    effects: tuple[lc.Effect, ...],
    now: datetime,
    config: WorkflowConfig,
) -> None:
    warning_id = _id(state.warning)
    for effect in effects:
        if isinstance(effect, lc.MeetDeadline):
            repo.meet_deadline(warning_id, effect.kind, now)
        elif isinstance(effect, lc.CancelDeadlines):
            repo.cancel_deadlines(warning_id)
        elif isinstance(effect, lc.StartDeadlines):
            repo.add_deadlines(warning_id, deadlines_for(state.warning.level, now, config))


def _id(warning: Warning) -> int:
    if warning.warning_id is None:
        raise ValueError("warning has not been stored")
    return warning.warning_id


def route_received(
    uow: WorkflowUow,
    *,
    warning_id: int,
    clock: Clock,
    fallback_unit: str | None = None,
    config: WorkflowConfig | None = None,
    dispatcher: Dispatcher | None = None,
) -> Applied | None:
    """Intake: route a RECEIVED warning to the unit where its person lives, and start its clock."""
    state = uow.workflow.load(warning_id)
    if state is None or state.warning.status is not WarningStatus.RECEIVED:
        return None
    tree = uow.workflow.unit_tree()
    route = resolve(tree, uow.workflow.residence(state.warning), fallback=fallback_unit)
    if route is None:
        return None
    names = [tree.units[u].name for u in route.path]
    note = f"自动研判下发（{ROUTE_RULES.get(route.rule, route.rule)}）：{' → '.join(names)}"
    return apply(
        uow,
        warning_id=warning_id,
        command=lc.Assign(route.unit_id, note=note),
        actor=SYSTEM_ACTOR,
        clock=clock,
        config=config,
        dispatcher=dispatcher,
        expected_version=state.version,
    )


ROUTE_RULES = {
    "registration": "按登记辖区",
    "address": "按居住地址",
    "area_code": "按区域代码",
    "id_region": "按户籍地代码",
    "fallback": "兜底单位",
    "city": "市局兜底",
}


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
