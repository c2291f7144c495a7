"""The interface every dissuasion channel implements."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from fanzha.dispatch.repository import OutboxRepository
from fanzha.warning.lifecycle import Channel
from fanzha.warning.model import Warning


class Staging(Protocol):
    """Where a channel stages its rows: the caller's unit of work (its outbox), never the engine."""

    @property
    def outbox(self) -> OutboxRepository: ...


class DispatchChannel(Protocol):
    """Stages one dissuasion step for a warning inside the caller's transaction (idempotently)."""

    channel: Channel

    def stage(self, uow: Staging, warning: Warning, *, now: datetime) -> bool:
        """True if something new was staged (a second call for the same warning stages nothing)."""
        ...


def warning_id_of(warning: Warning) -> int:
    if warning.warning_id is None:
        raise ValueError("warning has not been stored")
    return warning.warning_id
