"""All SQL of the dissuasion workflow: state and version, transitions, deadlines, units and residences."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fanzha.event.codes import UnitLevel
from fanzha.store.tables import PersonRow, UnitRow, WarningRow
from fanzha.store.tables_workflow import DeadlineRow, TransitionRow, WorkflowRow
from fanzha.warning.deadlines import Due
from fanzha.warning.lifecycle import Channel, DeadlineKind, Facts, Outcome
from fanzha.warning.model import OPEN_STATUSES, Warning, WarningStatus
from fanzha.warning.ports import Deadline, Flow, StaleVersionError, TransitionRecord, WorkflowState
from fanzha.warning.repository import warning_from_row
from fanzha.warning.routing import Residence, UnitNode, UnitTree

PENDING, MET, FIRED, CANCELLED = "PENDING", "MET", "FIRED", "CANCELLED"
_STATE_FIELDS = (
    "assigned_at",
    "signed_at",
    "first_contact_at",
    "met_at",
    "reached",
    "outcome_at",
    "loss_fen",
    "follow_up_until",
    "overdue",
    "escalated_unit_id",
    "escalation_count",
)

# A warning's level and its pending deadlines by kind.
PendingByKind = tuple[int, dict[DeadlineKind, datetime]]
_TREE_KEY = "fanzha.unit_tree"


def load_units(session: Session) -> UnitTree:
    """The unit tree, read once per session: a request or unit of work asks for it many times."""
    tree = session.info.get(_TREE_KEY)
    if not isinstance(tree, UnitTree):
        rows = session.scalars(select(UnitRow))
        tree = UnitTree(
            UnitNode(r.unit_id, r.name, UnitLevel(r.level), r.parent_id, tuple(r.area_codes or ()))
            for r in rows
        )
        session.info[_TREE_KEY] = tree
    return tree


def _deadline(row: DeadlineRow) -> Deadline:
    return Deadline(
        id=row.id,
        warning_id=row.warning_id,
        kind=DeadlineKind(row.kind),
        due_at=row.due_at,
        state=row.state,
        met_at=row.met_at,
        fired_at=row.fired_at,
    )


def _transition(row: TransitionRow) -> TransitionRecord:
    return TransitionRecord(
        warning_id=row.warning_id,
        at=row.at,
        actor=row.actor,
        unit_id=row.unit_id,
        command=row.command,
        from_status=WarningStatus(row.from_status),
        to_status=WarningStatus(row.to_status),
        channel=Channel(row.channel) if row.channel else None,
        outcome=Outcome(row.outcome) if row.outcome else None,
        note=row.note or "",
        data=dict(row.data or {}),
    )


def _flow(row: WorkflowRow) -> Flow:
    return Flow(
        warning_id=row.warning_id,
        version=row.version,
        assigned_at=row.assigned_at,
        signed_at=row.signed_at,
        first_contact_at=row.first_contact_at,
        met_at=row.met_at,
        reached=row.reached,
        outcome=Outcome(row.outcome) if row.outcome else None,
        outcome_at=row.outcome_at,
        overdue=row.overdue,
        escalated_unit_id=row.escalated_unit_id,
        escalation_count=row.escalation_count,
    )


class WorkflowRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # state -------------------------------------------------------------------------------------------

    def load(self, warning_id: int) -> WorkflowState | None:
        row = self._session.get(WarningRow, warning_id, populate_existing=True)
        if row is None:
            return None
        warning = warning_from_row(row)
        flow = self._session.get(WorkflowRow, warning_id, populate_existing=True)
        if flow is None:
            return WorkflowState(warning=warning)
        fields = {name: getattr(flow, name) for name in _STATE_FIELDS}
        return WorkflowState(warning=warning, version=flow.version, facts=self._facts(flow), **fields)

    def _facts(self, flow: WorkflowRow) -> Facts:
        stmt = (
            select(TransitionRow.command, TransitionRow.channel, func.count())
            .where(
                TransitionRow.warning_id == flow.warning_id,
                TransitionRow.command.in_(("record_contact", "start_locating", "record_meet")),
            )
            .group_by(TransitionRow.command, TransitionRow.channel)
        )
        counts = {(command, channel): int(n) for command, channel, n in self._session.execute(stmt)}
        contacts = {channel: n for (command, channel), n in counts.items() if command == "record_contact"}
        return Facts(
            outcome=Outcome(flow.outcome) if flow.outcome else None,
            contact_attempts=sum(contacts.values()),
            family_contacts=contacts.get(Channel.FAMILY.value, 0),
            visited=any(command != "record_contact" for command, _ in counts),
        )

    def save(self, state: WorkflowState, *, expected_version: int, now: datetime) -> int:
        """Write `state` if nobody changed it since `expected_version`; the new version, else stale."""
        warning = state.warning
        if warning.warning_id is None:
            raise ValueError("warning has not been stored")
        values: dict[str, Any] = {name: getattr(state, name) for name in _STATE_FIELDS}
        values |= {"outcome": state.facts.outcome.value if state.facts.outcome else None, "updated_at": now}
        new_version = expected_version + 1
        if expected_version == 0:
            try:
                with self._session.begin_nested():
                    self._session.execute(
                        insert(WorkflowRow).values(warning_id=warning.warning_id, version=1, **values)
                    )
            except IntegrityError as exc:
                raise StaleVersionError(warning.warning_id) from exc
        else:
            result = self._session.execute(
                update(WorkflowRow)
                .where(WorkflowRow.warning_id == warning.warning_id, WorkflowRow.version == expected_version)
                .values(version=new_version, **values)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise StaleVersionError(warning.warning_id)
        self._session.execute(
            update(WarningRow)
            .where(WarningRow.warning_id == warning.warning_id)
            .values(status=warning.status.value, unit_id=warning.unit_id)
            .execution_options(synchronize_session=False)
        )
        return new_version

    def add_transition(self, record: TransitionRecord) -> None:
        self._session.execute(
            insert(TransitionRow).values(
                warning_id=record.warning_id,
                at=record.at,
                actor=record.actor,
                unit_id=record.unit_id,
                command=record.command,
                from_status=record.from_status.value,
                to_status=record.to_status.value,
                channel=record.channel.value if record.channel else None,
                outcome=record.outcome.value if record.outcome else None,
                note=record.note[:2000],
                data=record.data,
            )
        )

    def transitions(self, warning_id: int) -> list[TransitionRecord]:
        stmt = select(TransitionRow).where(TransitionRow.warning_id == warning_id)
        return [
            _transition(r) for r in self._session.scalars(stmt.order_by(TransitionRow.at, TransitionRow.id))
        ]

    # deadlines ---------------------------------------------------------------------------------------

    def add_deadlines(self, warning_id: int, dues: list[Due]) -> None:
        if dues:
            rows = [
                {"warning_id": warning_id, "kind": d.kind.value, "due_at": d.due_at, "state": PENDING}
                for d in dues
            ]
            self._session.execute(insert(DeadlineRow), rows)

    def meet_deadline(self, warning_id: int, kind: DeadlineKind, at: datetime) -> None:
        """The step happened: a pending deadline is met; a fired one keeps its breach and gets a time."""
        self._session.execute(
            update(DeadlineRow)
            .where(
                DeadlineRow.warning_id == warning_id,
                DeadlineRow.kind == kind.value,
                DeadlineRow.state.in_((PENDING, FIRED)),
                DeadlineRow.met_at.is_(None),
            )
            .values(met_at=at)
        )
        self._session.execute(
            update(DeadlineRow)
            .where(DeadlineRow.warning_id == warning_id, DeadlineRow.kind == kind.value)
            .where(DeadlineRow.state == PENDING)
            .values(state=MET)
        )

    def cancel_deadlines(self, warning_id: int) -> None:
        self._session.execute(
            update(DeadlineRow)
            .where(DeadlineRow.warning_id == warning_id, DeadlineRow.state == PENDING)
            .values(state=CANCELLED)
        )

    def deadlines(self, warning_ids: Sequence[int]) -> list[Deadline]:
        if not warning_ids:
            return []
        stmt = select(DeadlineRow).where(DeadlineRow.warning_id.in_(list(warning_ids)))
        return [_deadline(r) for r in self._session.scalars(stmt.order_by(DeadlineRow.due_at))]

    def pending_of_updated(
        self, since: datetime | None
    ) -> dict[int, tuple[int, dict[DeadlineKind, datetime]]]:
        """Warnings updated after `since` (all if None) with their level and pending deadlines by kind."""
        stmt = (
            select(WarningRow.warning_id, WarningRow.level, DeadlineRow.kind, DeadlineRow.due_at)
            .join(DeadlineRow, DeadlineRow.warning_id == WarningRow.warning_id)
            .where(DeadlineRow.state == PENDING)
        )
        if since is not None:
            stmt = stmt.where(WarningRow.updated_at > since)
        found: dict[int, PendingByKind] = {}
        for warning_id, level, kind, due_at in self._session.execute(stmt):
            found.setdefault(warning_id, (level, {}))[1][DeadlineKind(kind)] = due_at
        return found

    def bring_forward(self, warning_id: int, dues: Mapping[DeadlineKind, datetime]) -> None:
        for kind, due_at in dues.items():
            self._session.execute(
                update(DeadlineRow)
                .where(
                    DeadlineRow.warning_id == warning_id,
                    DeadlineRow.kind == kind.value,
                    DeadlineRow.state == PENDING,
                    DeadlineRow.due_at > due_at,
                )
                .values(due_at=due_at)
            )

    def due_deadlines(self, now: datetime, limit: int = 100) -> list[Deadline]:
        stmt = select(DeadlineRow).where(DeadlineRow.state == PENDING, DeadlineRow.due_at <= now)
        return [_deadline(r) for r in self._session.scalars(stmt.order_by(DeadlineRow.due_at).limit(limit))]

    def next_due(self) -> datetime | None:
        stmt = select(DeadlineRow.due_at).where(DeadlineRow.state == PENDING).order_by(DeadlineRow.due_at)
        value: datetime | None = self._session.scalar(stmt.limit(1))
        return value

    def claim_deadline(self, deadline_id: int, now: datetime) -> bool:
        """Mark a due deadline FIRED; False if another worker (or the officer) got there first."""
        result = self._session.execute(
            update(DeadlineRow)
            .where(DeadlineRow.id == deadline_id, DeadlineRow.state == PENDING)
            .values(state=FIRED, fired_at=now)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    # routing -----------------------------------------------------------------------------------------

    def unit_tree(self) -> UnitTree:
        return load_units(self._session)

    def residence(self, warning: Warning) -> Residence:
        person = self._session.get(PersonRow, warning.person_id) if warning.person_id else None
        if person is None:
            return Residence(unit_id=warning.unit_id)
        return Residence(
            unit_id=person.unit_id or warning.unit_id, address=person.address, id_no=person.id_no
        )

    def received(self, limit: int = 200) -> list[int]:
        """Warnings that arrived and were not yet routed, oldest first."""
        stmt = select(WarningRow.warning_id).where(WarningRow.status == WarningStatus.RECEIVED.value)
        return list(self._session.scalars(stmt.order_by(WarningRow.warning_id).limit(limit)))

    def flows(self, warning_ids: Sequence[int]) -> dict[int, Flow]:
        if not warning_ids:
            return {}
        stmt = select(WorkflowRow).where(WorkflowRow.warning_id.in_(list(warning_ids)))
        return {r.warning_id: _flow(r) for r in self._session.scalars(stmt)}

    def warnings_in(
        self, unit_ids: frozenset[str] | None, *, open_only: bool = False, limit: int | None = None
    ) -> list[Warning]:
        """Warnings owned by these units (None: any unit), for the queue, supervision and KPIs."""
        stmt = select(WarningRow)
        if open_only:
            stmt = stmt.where(WarningRow.status.in_([s.value for s in OPEN_STATUSES]))
        if unit_ids is not None:
            stmt = stmt.where(WarningRow.unit_id.in_(sorted(unit_ids)))
        if limit is not None:
            stmt = stmt.limit(limit)
        return [warning_from_row(r) for r in self._session.scalars(stmt)]

    def busiest_station(self) -> str | None:
        """The station with the most open warnings (the demo's officer works there)."""
        stmt = (
            select(WarningRow.unit_id, func.count())
            .join(UnitRow, UnitRow.unit_id == WarningRow.unit_id)
            .where(UnitRow.level == UnitLevel.STATION.value, WarningRow.status != WarningStatus.CLOSED.value)
            .group_by(WarningRow.unit_id)
            .order_by(func.count().desc(), WarningRow.unit_id)
            .limit(1)
        )
        row = self._session.execute(stmt).first()
        return str(row[0]) if row else None
