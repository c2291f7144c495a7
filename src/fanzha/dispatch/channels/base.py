"""The interface every dissuasion channel implements."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from fanzha.store.db import UnitOfWork
from fanzha.warning.lifecycle import Channel
from fanzha.warning.model import Warning


class DispatchChannel(Protocol):
    """Stages one dissuasion step for a warning inside the caller's transaction (idempotently)."""

    channel: Channel

    def stage(self, uow: UnitOfWork, warning: Warning, *, now: datetime) -> bool:
        """True if something new was staged (a second call for the same warning stages nothing)."""
        ...


def warning_id_of(warning: Warning) -> int:
    if warning.warning_id is None:
        raise ValueError("warning has not been stored")
    return warning.warning_id
