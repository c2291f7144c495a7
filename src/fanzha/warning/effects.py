"""The lifecycle's effects folded into a warning's workflow record (pure: no I/O, no clock).

`lifecycle.decide` says what a command means (next state, effects); `fold` says what that does to the
record: the next state with its milestones (signed, first contact, reached, met, outcome), its owner and
supervision flags, which deadlines are met, cancelled or started, whether the dispatch ladder starts or
an officer's task is done, and the transition to keep. `warning.service.apply` writes the result
through its repositories; the evaluation's in-memory workflow (`evaluate/workflow.py`) applies the very
same result to its dicts, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from fanzha.warning import lifecycle as lc
from fanzha.warning.deadlines import Due, WorkflowConfig, deadlines_for
from fanzha.warning.ports import TransitionRecord, WorkflowState
from fanzha.warning.routing import UnitTree, route_up

REACHED = frozenset({lc.ContactResult.ANSWERED, lc.ContactResult.FAMILY_REACHED})


@dataclass(frozen=True, slots=True)
class StartedDeadlines:
    """The level's deadlines, counted from the step's time."""

    dues: tuple[Due, ...]


# In the order the lifecycle listed them: e.g. a re-assignment cancels the old deadlines, then starts new.
DeadlineStep = lc.MeetDeadline | lc.CancelDeadlines | StartedDeadlines


@dataclass(frozen=True, slots=True)
class Step:
    """Who takes the step, when, and for which unit (None: the warning's owner)."""

    actor: str
    at: datetime
    actor_unit: str | None = None


@dataclass(frozen=True, slots=True)
class Folded:
    """Everything one decided command changes."""

    state: WorkflowState
    deadlines: tuple[DeadlineStep, ...]
    transition: TransitionRecord
    start_dispatch: bool  # run the dispatch ladder for the warning's level
    done_channel: lc.Channel | None  # an officer acted through this channel: its open task is done


def fold(
    state: WorkflowState,
    command: lc.Command,
    decision: lc.Decision,
    step: Step,
    *,
    units: Callable[[], UnitTree],
    config: WorkflowConfig,
) -> Folded:
    """Apply `decision` (for `command` on `state`) to the record; `units` is asked only when needed."""
    if state.warning.warning_id is None:
        raise ValueError("warning has not been stored")
    moved = replace(state, warning=replace(state.warning, status=decision.to_state))
    new = milestones(moved, command, step.at)
    for effect in decision.effects:
        new = _record_effect(new, effect, step.at, units)
    if isinstance(command, lc.SubmitFeedback):
        new = replace(new, loss_fen=command.loss_fen)
    channel = decision.channel
    return Folded(
        state=new,
        deadlines=_deadline_steps(decision.effects, new, step.at, config),
        transition=TransitionRecord(
            warning_id=state.warning.warning_id,
            at=step.at,
            actor=step.actor,
            unit_id=step.actor_unit or state.warning.unit_id,
            command=lc.COMMAND_NAMES[type(command)],
            from_status=state.warning.status,
            to_status=decision.to_state,
            channel=channel,
            outcome=decision.outcome,
            note=command.note,
            data=decision.data,
        ),
        start_dispatch=any(isinstance(e, lc.StartDispatch) for e in decision.effects),
        done_channel=channel if channel not in {None, lc.Channel.SYSTEM} else None,
    )


def milestones(state: WorkflowState, command: lc.Command, now: datetime) -> WorkflowState:
    """Record the first time each step happened (for the KPIs and the supervision flags)."""
    if isinstance(command, lc.Sign):
        return replace(state, signed_at=state.signed_at or now)
    if isinstance(command, lc.StartContact | lc.RecordContact):
        return _contact(state, command, now)
    if isinstance(command, lc.DissuadedByPhone):
        return replace(state, reached=True)
    if isinstance(command, lc.StartLocating):
        return replace(state, facts=replace(state.facts, visited=True))
    if isinstance(command, lc.RecordMeet):
        return replace(state, met_at=command.meet.at, reached=True, facts=replace(state.facts, visited=True))
    return state


def _contact(
    state: WorkflowState, command: lc.StartContact | lc.RecordContact, now: datetime
) -> WorkflowState:
    facts, reached = state.facts, state.reached
    if isinstance(command, lc.RecordContact):
        reached = reached or command.result in REACHED
        facts = replace(
            facts,
            contact_attempts=facts.contact_attempts + 1,
            family_contacts=facts.family_contacts + int(command.channel is lc.Channel.FAMILY),
        )
    return replace(state, facts=facts, first_contact_at=state.first_contact_at or now, reached=reached)


def _record_effect(
    state: WorkflowState, effect: lc.Effect, now: datetime, units: Callable[[], UnitTree]
) -> WorkflowState:
    """What an effect changes on the record itself (deadlines and dispatch are returned separately)."""
    if isinstance(effect, lc.SetOwner):
        return replace(state, warning=replace(state.warning, unit_id=effect.unit_id), assigned_at=now)
    if isinstance(effect, lc.RouteUp):
        return replace(
            state, warning=replace(state.warning, unit_id=route_up(units(), state.warning.unit_id))
        )
    if isinstance(effect, lc.SetOutcome):
        # The time the outcome was first reported: closing with it (or correcting it) keeps that time.
        facts = replace(state.facts, outcome=effect.outcome)
        return replace(state, facts=facts, outcome_at=state.outcome_at or now)
    if isinstance(effect, lc.SetFollowUp):
        return replace(state, follow_up_until=effect.until)
    if isinstance(effect, lc.MarkEscalated):
        above = route_up(units(), state.escalated_unit_id or state.warning.unit_id)
        return replace(
            state, overdue=True, escalated_unit_id=above, escalation_count=state.escalation_count + 1
        )
    return state


def _deadline_steps(
    effects: tuple[lc.Effect, ...], state: WorkflowState, now: datetime, config: WorkflowConfig
) -> tuple[DeadlineStep, ...]:
    steps: list[DeadlineStep] = []
    for effect in effects:
        if isinstance(effect, lc.MeetDeadline | lc.CancelDeadlines):
            steps.append(effect)
        elif isinstance(effect, lc.StartDeadlines):
            steps.append(StartedDeadlines(tuple(deadlines_for(state.warning.level, now, config))))
    return tuple(steps)
