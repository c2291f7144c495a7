"""Records of dispatch: a warning SMS in the outbox, and an officer's task (call, visit, family)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """A warning SMS: PENDING until the gateway took it (SENT); `attempts` counts the tries."""

    id: int
    warning_id: int
    idempotency_key: str
    phone: str
    text: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    gateway_id: str | None
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class OfficerTask:
    """A step of the dispatch ladder for an officer: OPEN until done through its channel."""

    id: int
    warning_id: int
    unit_id: str | None
    channel: str
    title: str
    checklist: tuple[str, ...]
    status: str
    created_at: datetime
    done_at: datetime | None
