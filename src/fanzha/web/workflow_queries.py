"""Read side of the workflow pages and API: the station queue, a warning's case file, supervision, KPIs.

Everything returned is masked: phone numbers, addresses and digit runs in officers' notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanzha.dispatch.repository import OutboxRepository
from fanzha.event.codes import RiskLevel
from fanzha.masking import mask_phone
from fanzha.store.tables import WarningRow
from fanzha.store.tables_workflow import DeadlineRow, WorkflowRow
from fanzha.warning import lifecycle as lc
from fanzha.warning.deadlines import WorkflowConfig
from fanzha.warning.kpis import FLAG_LABELS, Kpis, WarningFacts, compute, flags
from fanzha.warning.model import OPEN_STATUSES, WarningStatus
from fanzha.warning.repository import warning_from_row
from fanzha.warning.workflow_repository import WorkflowRepository, load_units
from fanzha.web import queries
from fanzha.web.deps import Principal
from fanzha.web.workflow_labels import (
    ACTION_LABELS,
    CHANNEL_LABELS,
    COMMAND_LABELS,
    DEADLINE_LABELS,
    OUTCOME_LABELS,
    RESULT_LABELS,
    WORKFLOW_STATUS_LABELS,
)

QUEUE_LIMIT = 300
_DIGITS = re.compile(r"\d{7,}")


def mask_note(text: str) -> str:
    """Officers' free text: any run of 7+ digits (phone, ID, account) is masked."""
    return _DIGITS.sub(lambda m: mask_phone(m.group(0)), text)


def mask_place(place: str) -> str:
    """An address keeps its first six characters (district, street), the rest is masked."""
    return place if len(place) <= 6 else place[:6] + "***"


@dataclass(frozen=True, slots=True)
class DeadlineView:
    kind: str
    label: str
    due_at: datetime
    state: str
    met_at: datetime | None
    overdue: bool


def _deadline_view(row: DeadlineRow, now: datetime) -> DeadlineView:
    overdue = row.state == "FIRED" or (row.met_at is not None and row.met_at > row.due_at)
    overdue = overdue or (row.state == "PENDING" and now > row.due_at)
    kind = lc.DeadlineKind(row.kind)
    return DeadlineView(row.kind, DEADLINE_LABELS[kind], row.due_at, row.state, row.met_at, overdue)


def _latest_deadlines(rows: Iterable[DeadlineRow]) -> dict[int, dict[str, DeadlineRow]]:
    """Per warning, the newest deadline of each kind (a re-assignment starts new ones)."""
    found: dict[int, dict[str, DeadlineRow]] = {}
    for row in sorted(rows, key=lambda r: r.id):
        if row.state != "CANCELLED":
            found.setdefault(row.warning_id, {})[row.kind] = row
    return found


def _visible(principal: Principal, unit_id: str | None) -> bool:
    return principal.can_see(unit_id)


def queue(
    session: Session, principal: Principal, now: datetime, unit_id: str | None = None
) -> list[dict[str, Any]]:
    """Open warnings the principal may see: overdue first, then the nearest deadline, then level."""
    stmt = select(WarningRow).where(WarningRow.status.in_([s.value for s in OPEN_STATUSES]))
    if unit_id:
        stmt = stmt.where(WarningRow.unit_id.in_(sorted(load_units(session).subtree(unit_id))))
    rows = [
        r
        for r in session.scalars(stmt.limit(QUEUE_LIMIT * 3))
        if _visible(principal, r.unit_id) and principal.can_see_level(r.level)
    ]
    ids = [r.warning_id for r in rows]
    repo = WorkflowRepository(session)
    deadlines = _latest_deadlines(repo.deadlines(ids))
    flows = repo.workflow_rows(ids)
    summaries = {s.warning_id: s for s in queries.summaries(session, [warning_from_row(r) for r in rows])}
    items = []
    for row in rows:
        pending = [d for d in deadlines.get(row.warning_id, {}).values() if d.state == "PENDING"]
        nxt = min(pending, key=lambda d: d.due_at) if pending else None
        flow = flows.get(row.warning_id)
        items.append(
            {
                **summaries[row.warning_id].model_dump(),
                "status_label": WORKFLOW_STATUS_LABELS[WarningStatus(row.status)],
                "version": flow.version if flow else 0,
                "next_kind": DEADLINE_LABELS[lc.DeadlineKind(nxt.kind)] if nxt else None,
                "next_due": nxt.due_at if nxt else None,
                "overdue": bool(flow and flow.overdue) or bool(nxt and nxt.due_at < now),
                "escalated": bool(flow and flow.escalation_count),
            }
        )
    far = datetime.max.replace(tzinfo=now.tzinfo)
    items.sort(key=lambda i: (not i["overdue"], i["next_due"] or far, -i["level"], i["warning_id"]))
    return items[:QUEUE_LIMIT]


def case_file(session: Session, warning_id: int, now: datetime) -> dict[str, Any] | None:
    """A warning's workflow: state, version, allowed actions, deadlines, history, dispatch."""
    repo = WorkflowRepository(session)
    state = repo.load(warning_id)
    if state is None:
        return None
    status = state.warning.status
    tree = repo.unit_tree()
    names = {u: n.name for u, n in tree.units.items()}
    outbox = OutboxRepository(session)
    return {
        "warning_id": warning_id,
        "level": int(state.warning.level),
        "status": status.value,
        "status_label": WORKFLOW_STATUS_LABELS[status],
        "version": state.version,
        "unit_id": state.warning.unit_id,
        "unit_name": names.get(state.warning.unit_id or "", state.warning.unit_id or "未指派"),
        "outcome": state.facts.outcome.value if state.facts.outcome else None,
        "outcome_label": OUTCOME_LABELS[state.facts.outcome] if state.facts.outcome else None,
        "overdue": state.overdue,
        "escalated_unit": names.get(state.escalated_unit_id or ""),
        "follow_up_until": state.follow_up_until,
        "loss_fen": state.loss_fen,
        "allowed": [{"action": a, "label": ACTION_LABELS[a]} for a in _allowed_actions(status)],
        "deadlines": [asdict(_deadline_view(d, now)) for d in repo.deadlines([warning_id])],
        "history": [_history(t, names) for t in repo.transitions(warning_id)],
        "sms": [
            {"phone": mask_phone(s.phone), "status": s.status, "attempts": s.attempts, "sent_at": s.sent_at}
            for s in outbox.sms_for([warning_id])
        ],
        "tasks": [
            {"channel": CHANNEL_LABELS[lc.Channel(t.channel)], "title": t.title, "status": t.status}
            for t in outbox.tasks_for(warning_id)
        ],
        "units": sorted(((u, n.name) for u, n in tree.units.items()), key=lambda x: x[0]),
    }


def _allowed_actions(status: WarningStatus) -> list[str]:
    names = lc.allowed(status)
    actions = [
        n for n in names if n not in {"dissuaded_by_phone", "need_meet", "mark_unreachable", "escalate"}
    ]
    if "dissuaded_by_phone" in names:
        actions.insert(
            actions.index("record_contact") + 1 if "record_contact" in actions else 0, "conclude_contact"
        )
    return actions + (["escalate"] if "escalate" in names else [])


def _history(t: Any, names: dict[str, str]) -> dict[str, Any]:
    data = dict(t.data or {})
    if "place" in data:
        data["place"] = mask_place(str(data["place"]))
    return {
        "at": t.at,
        "actor": t.actor,
        "unit": names.get(t.unit_id or "", t.unit_id or ""),
        "command": t.command,
        "label": COMMAND_LABELS.get(t.command, t.command),
        "from_label": WORKFLOW_STATUS_LABELS[WarningStatus(t.from_status)],
        "to_label": WORKFLOW_STATUS_LABELS[WarningStatus(t.to_status)],
        "channel": CHANNEL_LABELS[lc.Channel(t.channel)] if t.channel else "",
        "outcome": OUTCOME_LABELS[lc.Outcome(t.outcome)] if t.outcome else "",
        "result": RESULT_LABELS[lc.ContactResult(data["result"])] if "result" in data else "",
        "note": mask_note(t.note or ""),
        "data": data,
    }


def facts(session: Session, rows: list[WarningRow]) -> list[WarningFacts]:
    """What the metrics need of each warning, from its workflow row and deadlines."""
    ids = [r.warning_id for r in rows]
    repo = WorkflowRepository(session)
    flows = repo.workflow_rows(ids)
    deadlines = _latest_deadlines(repo.deadlines(ids))
    found = []
    for row in rows:
        flow: WorkflowRow | None = flows.get(row.warning_id)
        if flow is None or flow.assigned_at is None:
            continue
        due = deadlines.get(row.warning_id, {})
        found.append(
            WarningFacts(
                warning_id=row.warning_id,
                unit_id=row.unit_id,
                level=RiskLevel(row.level),
                assigned_at=flow.assigned_at,
                signed_at=flow.signed_at,
                sign_due=due["SIGN"].due_at if "SIGN" in due else None,
                first_contact_at=flow.first_contact_at,
                contact_due=due["CONTACT"].due_at if "CONTACT" in due else None,
                reached=flow.reached,
                met=flow.met_at is not None,
                outcome=lc.Outcome(flow.outcome) if flow.outcome else None,
                outcome_at=flow.outcome_at,
                closed=row.status == WarningStatus.CLOSED.value,
            )
        )
    return found


def _scoped_rows(session: Session, principal: Principal, unit_id: str | None) -> list[WarningRow]:
    stmt = select(WarningRow)
    if unit_id:
        stmt = stmt.where(WarningRow.unit_id.in_(sorted(load_units(session).subtree(unit_id))))
    return [r for r in session.scalars(stmt) if _visible(principal, r.unit_id)]


def supervision(
    session: Session, principal: Principal, now: datetime, unit_id: str | None = None
) -> list[dict[str, Any]]:
    """Warnings with a supervision flag or an escalation, most flags first."""
    rows = _scoped_rows(session, principal, unit_id)
    by_id = {r.warning_id: r for r in rows}
    flows = WorkflowRepository(session).workflow_rows(list(by_id))
    summaries = {s.warning_id: s for s in queries.summaries(session, [warning_from_row(r) for r in rows])}
    names = {u: n.name for u, n in load_units(session).units.items()}
    items = []
    for f in facts(session, rows):
        raised = flags(f, now)
        flow = flows[f.warning_id]
        if not raised and not flow.overdue:
            continue
        items.append(
            {
                **summaries[f.warning_id].model_dump(),
                "status_label": WORKFLOW_STATUS_LABELS[WarningStatus(by_id[f.warning_id].status)],
                "flags": [FLAG_LABELS[x] for x in raised],
                "escalated_unit": names.get(flow.escalated_unit_id or "", ""),
                "escalations": flow.escalation_count,
            }
        )
    items.sort(key=lambda i: (-len(i["flags"]), -i["escalations"], -i["level"]))
    return items


def kpis(
    session: Session,
    principal: Principal,
    config: WorkflowConfig,
    *,
    unit_id: str | None,
    start: datetime,
    end: datetime,
) -> Kpis:
    """§3.8 metrics for the warnings assigned in [start, end) owned by `unit_id` and the units below it."""
    period = [
        f for f in facts(session, _scoped_rows(session, principal, unit_id)) if start <= f.assigned_at < end
    ]
    return compute(period, config)


def kpis_by_unit(
    session: Session,
    principal: Principal,
    config: WorkflowConfig,
    unit_ids: list[str],
    *,
    start: datetime,
    end: datetime,
) -> dict[str, Kpis]:
    """KPIs of several units at once (each with the units below it), reading the warnings once."""
    tree = load_units(session)
    period = [
        f for f in facts(session, _scoped_rows(session, principal, None)) if start <= f.assigned_at < end
    ]
    result = {}
    for unit_id in unit_ids:
        below = tree.subtree(unit_id)
        result[unit_id] = compute([f for f in period if f.unit_id in below], config)
    return result


KPI_LABELS = {
    "sign_rate": "签收率",
    "on_time_sign_rate": "及时签收率",
    "contact_rate": "联系率",
    "on_time_rate": "劝阻率（时限内首次联系）",
    "meet_rate": "劝阻见面率",
    "success_rate": "劝阻成功率",
    "success_rate_plain": "劝阻成功率（以 W 为分母）",
    "victimisation_rate": "预警后被骗率",
    "precision": "预警准确率",
}


def kpi_dict(k: Kpis) -> dict[str, Any]:
    """KPIs as JSON: each rate with numerator, denominator, what the denominator is, and its label."""
    rates = {
        name: {
            "label": label,
            "numerator": getattr(k, name).numerator,
            "denominator": getattr(k, name).denominator,
            "denominator_label": getattr(k, name).denominator_label,
            "value": getattr(k, name).value,
        }
        for name, label in KPI_LABELS.items()
    }
    return {"warnings": k.warnings, "rates": rates}
