"""The workflow's read side: the station queue, a warning's case file, supervision, KPIs.

Frozen read models, masked: phone numbers, addresses and digit runs in officers' notes. The console
and the JSON API render the same models. (What was dispatched for a warning, SMS and officer tasks,
is the dispatch domain's to show: `dispatch/queries.py` adds it to the case file.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from fanzha.auth.model import Principal
from fanzha.masking import mask_phone
from fanzha.warning import lifecycle as lc
from fanzha.warning.kpi_queries import facts, latest_deadlines, scoped_warnings, unit_scope
from fanzha.warning.kpis import FLAG_LABELS, flags
from fanzha.warning.labels import (
    ACTION_LABELS,
    CHANNEL_LABELS,
    COMMAND_LABELS,
    DEADLINE_LABELS,
    OUTCOME_LABELS,
    RESULT_LABELS,
    WORKFLOW_STATUS_LABELS,
)
from fanzha.warning.model import Warning, WarningStatus
from fanzha.warning.ports import Deadline, Flow, TransitionRecord
from fanzha.warning.queries import WarningSummary, summaries, summary_fields
from fanzha.warning.routing import UnitTree
from fanzha.warning.workflow_repository import WorkflowRepository, load_units

QUEUE_LIMIT = 300
UNASSIGNED = "未指派"
_DIGITS = re.compile(r"\d{7,}")
_CONCLUSIONS = frozenset({"dissuaded_by_phone", "need_meet", "mark_unreachable", "escalate"})


def mask_note(text: str) -> str:
    """Officers' free text: any run of 7+ digits (phone, ID, account) is masked."""
    return _DIGITS.sub(lambda m: mask_phone(m.group(0)), text)


def mask_place(place: str) -> str:
    """An address keeps its first six characters (district, street), the rest is masked."""
    return place if len(place) <= 6 else place[:6] + "***"


@dataclass(frozen=True, slots=True)
class QueueItem(WarningSummary):
    """An open warning in a station's queue, with its next deadline."""

    version: int
    next_kind: str | None
    next_due: datetime | None
    overdue: bool
    escalated: bool


@dataclass(frozen=True, slots=True)
class SupervisionItem(WarningSummary):
    flags: tuple[str, ...]
    escalated_unit: str
    escalations: int


@dataclass(frozen=True, slots=True)
class DeadlineView:
    kind: str
    label: str
    due_at: datetime
    state: str
    met_at: datetime | None
    overdue: bool


@dataclass(frozen=True, slots=True)
class ActionView:
    action: str
    label: str


@dataclass(frozen=True, slots=True)
class HistoryStep:
    at: datetime
    actor: str
    unit: str
    command: str
    label: str
    from_label: str
    to_label: str
    channel: str
    outcome: str
    result: str
    note: str  # masked
    data: dict[str, Any]  # the place masked


@dataclass(frozen=True, slots=True)
class CaseFile:
    """A warning's workflow: state, version, the actions allowed now, deadlines and history."""

    warning_id: int
    level: int
    status: str
    status_label: str
    version: int
    unit_id: str | None
    unit_name: str
    outcome: str | None
    outcome_label: str | None
    overdue: bool
    escalated_unit: str | None
    follow_up_until: datetime | None
    loss_fen: int
    allowed: tuple[ActionView, ...]
    deadlines: tuple[DeadlineView, ...]
    history: tuple[HistoryStep, ...]

    def visible_to(self, principal: Principal) -> bool:
        """The caller's units cover the warning, and the role may see its level."""
        return principal.can_see(self.unit_id) and principal.can_see_level(self.level)


def _deadline_view(d: Deadline, now: datetime) -> DeadlineView:
    overdue = d.state == "FIRED" or (d.met_at is not None and d.met_at > d.due_at)
    overdue = overdue or (d.state == "PENDING" and now > d.due_at)
    return DeadlineView(d.kind.value, DEADLINE_LABELS[d.kind], d.due_at, d.state, d.met_at, overdue)


def queue(
    session: Session, principal: Principal, now: datetime, unit_id: str | None = None
) -> list[QueueItem]:
    """Open warnings the principal may see: overdue first, then the nearest deadline, then level."""
    repo = WorkflowRepository(session)
    warnings = [
        w
        for w in repo.warnings_in(unit_scope(session, unit_id), open_only=True, limit=QUEUE_LIMIT * 3)
        if principal.can_see(w.unit_id) and principal.can_see_level(w.level)
    ]
    ids = [_id(w) for w in warnings]
    deadlines = latest_deadlines(repo.deadlines(ids))
    flows = repo.flows(ids)
    items = [
        _queue_item(s, flows.get(s.warning_id), deadlines.get(s.warning_id, {}), now)
        for s in summaries(session, warnings)
    ]
    far = datetime.max.replace(tzinfo=now.tzinfo)
    items.sort(key=lambda i: (not i.overdue, i.next_due or far, -i.level, i.warning_id))
    return items[:QUEUE_LIMIT]


def _queue_item(
    summary: WarningSummary, flow: Flow | None, deadlines: dict[str, Deadline], now: datetime
) -> QueueItem:
    pending = [d for d in deadlines.values() if d.state == "PENDING"]
    nxt = min(pending, key=lambda d: d.due_at) if pending else None
    return QueueItem(
        **summary_fields(summary),
        version=flow.version if flow else 0,
        next_kind=DEADLINE_LABELS[nxt.kind] if nxt else None,
        next_due=nxt.due_at if nxt else None,
        overdue=bool(flow and flow.overdue) or bool(nxt and nxt.due_at < now),
        escalated=bool(flow and flow.escalation_count),
    )


def _id(warning: Warning) -> int:
    if warning.warning_id is None:
        raise ValueError("warning has not been stored")
    return warning.warning_id


def case_file(session: Session, warning_id: int, now: datetime) -> CaseFile | None:
    """A warning's workflow: state, version, allowed actions, deadlines, history."""
    repo = WorkflowRepository(session)
    state = repo.load(warning_id)
    if state is None:
        return None
    status, outcome = state.warning.status, state.facts.outcome
    names = {u: n.name for u, n in repo.unit_tree().units.items()}
    unit = state.warning.unit_id
    return CaseFile(
        warning_id=warning_id,
        level=int(state.warning.level),
        status=status.value,
        status_label=WORKFLOW_STATUS_LABELS[status],
        version=state.version,
        unit_id=unit,
        unit_name=names.get(unit or "", unit or UNASSIGNED),
        outcome=outcome.value if outcome else None,
        outcome_label=OUTCOME_LABELS[outcome] if outcome else None,
        overdue=state.overdue,
        escalated_unit=names.get(state.escalated_unit_id or ""),
        follow_up_until=state.follow_up_until,
        loss_fen=state.loss_fen,
        allowed=tuple(ActionView(a, ACTION_LABELS[a]) for a in allowed_actions(status)),
        deadlines=tuple(_deadline_view(d, now) for d in repo.deadlines([warning_id])),
        history=tuple(_history(t, names) for t in repo.transitions(warning_id)),
    )


def unit_choices(session: Session, principal: Principal) -> list[tuple[str, str]]:
    """(unit id, name) of the units the principal may give a warning to, by id."""
    units = load_units(session).units
    return sorted((u, n.name) for u, n in units.items() if principal.can_see(u))


def allowed_actions(status: WarningStatus) -> list[str]:
    """The console's actions in `status`: the phone conclusions become one form, escalation goes last."""
    names = lc.allowed(status)
    actions = [n for n in names if n not in _CONCLUSIONS]
    if "dissuaded_by_phone" in names:
        at = actions.index("record_contact") + 1 if "record_contact" in actions else 0
        actions.insert(at, "conclude_contact")
    return actions + (["escalate"] if "escalate" in names else [])


def _history(t: TransitionRecord, names: dict[str, str]) -> HistoryStep:
    data = dict(t.data)
    if "place" in data:
        data["place"] = mask_place(str(data["place"]))
    return HistoryStep(
        at=t.at,
        actor=t.actor,
        unit=names.get(t.unit_id or "", t.unit_id or ""),
        command=t.command,
        label=COMMAND_LABELS.get(t.command, t.command),
        from_label=WORKFLOW_STATUS_LABELS[t.from_status],
        to_label=WORKFLOW_STATUS_LABELS[t.to_status],
        channel=CHANNEL_LABELS[t.channel] if t.channel else "",
        outcome=OUTCOME_LABELS[t.outcome] if t.outcome else "",
        result=RESULT_LABELS[lc.ContactResult(str(data["result"]))] if "result" in data else "",
        note=mask_note(t.note),
        data=data,
    )


def supervision(
    session: Session, principal: Principal, now: datetime, unit_id: str | None = None
) -> list[SupervisionItem]:
    """Warnings with a supervision flag or an escalation, most flags first."""
    warnings = scoped_warnings(session, principal, unit_id)
    flows = WorkflowRepository(session).flows([_id(w) for w in warnings])
    by_id = {s.warning_id: s for s in summaries(session, warnings)}
    names = {u: n.name for u, n in load_units(session).units.items()}
    items = []
    for f in facts(session, warnings):
        raised, flow = flags(f, now), flows[f.warning_id]
        if not raised and not flow.overdue:
            continue
        items.append(
            SupervisionItem(
                **summary_fields(by_id[f.warning_id]),
                flags=tuple(FLAG_LABELS[x] for x in raised),
                escalated_unit=names.get(flow.escalated_unit_id or "", ""),
                escalations=flow.escalation_count,
            )
        )
    items.sort(key=lambda i: (-len(i.flags), -i.escalations, -i.level))
    return items


def unit_tree(session: Session) -> UnitTree:
    """The city's units (市局 → 分局 → 派出所 → 社区), read once per session."""
    return load_units(session)


def busiest_station(session: Session) -> str | None:
    """The station with the most open warnings (the demo's officer works there)."""
    return WorkflowRepository(session).busiest_station()
