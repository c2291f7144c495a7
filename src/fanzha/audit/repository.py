"""All SQL of the audit log: append and search. There is deliberately no update or delete."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from fanzha.audit.model import AuditEntry, AuditQuery, AuditRecord
from fanzha.store.tables_auth import AuditRow


def _record(row: AuditRow) -> AuditRecord:
    return AuditRecord(
        id=row.id,
        at=row.at,
        actor=row.actor,
        role=row.role,
        unit_id=row.unit_id,
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        object_unit_id=row.object_unit_id,
        fields=tuple(row.fields or ()),
        purpose=row.purpose,
        address=row.address,
        outcome=row.outcome,
    )


class AuditRepository:
    """Appends to and searches the audit log. There is deliberately no update or delete."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def append(self, entry: AuditEntry) -> None:
        self._session.execute(
            insert(AuditRow).values(
                at=entry.at,
                actor=entry.actor[:80],
                role=entry.role[:32],
                unit_id=entry.unit_id,
                action=entry.action[:64],
                object_type=entry.object_type,
                object_id=entry.object_id[:80] if entry.object_id else None,
                object_unit_id=entry.object_unit_id,
                fields=list(entry.fields),
                purpose=entry.purpose[:200] if entry.purpose else None,
                address=entry.address[:64] if entry.address else None,
                outcome=entry.outcome[:16],
            )
        )

    def search(self, query: AuditQuery) -> list[AuditRecord]:
        stmt = select(AuditRow)
        for column, value in (
            (AuditRow.actor, query.actor),
            (AuditRow.action, query.action),
            (AuditRow.object_type, query.object_type),
            (AuditRow.object_id, query.object_id),
        ):
            if value:
                stmt = stmt.where(column == value)
        if query.since is not None:
            stmt = stmt.where(AuditRow.at >= query.since)
        if query.until is not None:
            stmt = stmt.where(AuditRow.at < query.until)
        if query.unit_ids is not None:
            units = sorted(query.unit_ids)
            stmt = stmt.where(or_(AuditRow.unit_id.in_(units), AuditRow.object_unit_id.in_(units)))
        stmt = stmt.order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(query.limit).offset(query.offset)
        return [_record(r) for r in self._session.scalars(stmt)]

    def count(self, actions: Iterable[str] | None = None) -> int:
        stmt = select(func.count()).select_from(AuditRow)
        if actions is not None:
            stmt = stmt.where(AuditRow.action.in_(list(actions)))
        return int(self._session.scalar(stmt) or 0)
