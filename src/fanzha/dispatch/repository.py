"""All SQL of dispatch: the SMS outbox (transactional outbox with retries) and officer tasks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from fanzha.dispatch.model import OfficerTask, OutboxMessage
from fanzha.store.tables import PhoneRow
from fanzha.store.tables_workflow import SmsOutboxRow, TaskRow
from fanzha.warning.model import Warning

SMS_PENDING, SMS_SENT = "PENDING", "SENT"
TASK_OPEN, TASK_DONE = "OPEN", "DONE"


def _insert_ignore(
    session: Session, table: type[SmsOutboxRow] | type[TaskRow], values: dict[str, object]
) -> bool:
    """Insert unless the idempotency key exists already; True if a row was added."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(table).values(**values).on_conflict_do_nothing(index_elements=["idempotency_key"])
    return bool(session.execute(stmt).rowcount == 1)  # type: ignore[attr-defined]


def _message(r: SmsOutboxRow) -> OutboxMessage:
    return OutboxMessage(
        id=r.id,
        warning_id=r.warning_id,
        idempotency_key=r.idempotency_key,
        phone=r.phone,
        text=r.text,
        status=r.status,
        attempts=r.attempts,
        next_attempt_at=r.next_attempt_at,
        last_error=r.last_error,
        gateway_id=r.gateway_id,
        sent_at=r.sent_at,
    )


def _task(r: TaskRow) -> OfficerTask:
    return OfficerTask(
        id=r.id,
        warning_id=r.warning_id,
        unit_id=r.unit_id,
        channel=r.channel,
        title=r.title,
        checklist=tuple(r.checklist or ()),
        status=r.status,
        created_at=r.created_at,
        done_at=r.done_at,
    )


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def contact_phone(self, warning: Warning) -> str | None:
        """The number to warn: the subject's own phone, else the first phone registered to the person."""
        kind, _, value = warning.subject_key.partition(":")
        if kind == "phone" and value:
            return value
        if warning.person_id is None:
            return None
        stmt = select(PhoneRow.phone).where(PhoneRow.person_id == warning.person_id).order_by(PhoneRow.phone)
        phone: str | None = self._session.scalar(stmt.limit(1))
        return phone

    def enqueue_sms(self, *, warning_id: int, key: str, phone: str, text: str, now: datetime) -> bool:
        """Stage one SMS; the same key staged twice is one message."""
        values: dict[str, object] = {
            "warning_id": warning_id,
            "idempotency_key": key,
            "phone": phone,
            "text": text,
            "status": SMS_PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        return _insert_ignore(self._session, SmsOutboxRow, values)

    def due_sms(self, now: datetime, limit: int = 50) -> list[OutboxMessage]:
        stmt = select(SmsOutboxRow).where(
            SmsOutboxRow.status == SMS_PENDING, SmsOutboxRow.next_attempt_at <= now
        )
        rows = self._session.scalars(stmt.order_by(SmsOutboxRow.next_attempt_at).limit(limit))
        return [_message(r) for r in rows]

    def next_sms_at(self) -> datetime | None:
        stmt = select(SmsOutboxRow.next_attempt_at).where(SmsOutboxRow.status == SMS_PENDING)
        value: datetime | None = self._session.scalar(stmt.order_by(SmsOutboxRow.next_attempt_at).limit(1))
        return value

    def mark_sent(self, sms_id: int, *, gateway_id: str, attempts: int, now: datetime) -> None:
        self._session.execute(
            update(SmsOutboxRow)
            .where(SmsOutboxRow.id == sms_id)
            .values(
                status=SMS_SENT, gateway_id=gateway_id[:80], attempts=attempts, sent_at=now, last_error=None
            )
        )

    def mark_failed(self, sms_id: int, *, error: str, attempts: int, retry_at: datetime) -> None:
        self._session.execute(
            update(SmsOutboxRow)
            .where(SmsOutboxRow.id == sms_id)
            .values(attempts=attempts, last_error=error[:200], next_attempt_at=retry_at)
        )

    def sms_for(self, warning_ids: Sequence[int]) -> list[OutboxMessage]:
        stmt = select(SmsOutboxRow).where(SmsOutboxRow.warning_id.in_(list(warning_ids)))
        return [_message(r) for r in self._session.scalars(stmt.order_by(SmsOutboxRow.id))]

    def add_task(
        self,
        *,
        warning_id: int,
        key: str,
        unit_id: str | None,
        channel: str,
        title: str,
        checklist: list[str],
        now: datetime,
    ) -> bool:
        values: dict[str, object] = {
            "warning_id": warning_id,
            "idempotency_key": key,
            "unit_id": unit_id,
            "channel": channel,
            "title": title,
            "checklist": checklist,
            "status": TASK_OPEN,
            "created_at": now,
        }
        return _insert_ignore(self._session, TaskRow, values)

    def tasks_for(self, warning_id: int) -> list[OfficerTask]:
        stmt = select(TaskRow).where(TaskRow.warning_id == warning_id).order_by(TaskRow.id)
        return [_task(r) for r in self._session.scalars(stmt)]

    def complete_tasks(self, warning_id: int, channels: Sequence[str], now: datetime) -> None:
        self._session.execute(
            update(TaskRow)
            .where(TaskRow.warning_id == warning_id, TaskRow.channel.in_(list(channels)))
            .where(TaskRow.status == TASK_OPEN)
            .values(status=TASK_DONE, done_at=now)
        )
