"""The dispatcher the workflow service calls: run the ladder's channels for a warning."""

from __future__ import annotations

from datetime import datetime

from fanzha.dispatch.channels.base import DispatchChannel
from fanzha.dispatch.channels.call import CallChannel
from fanzha.dispatch.channels.family import FamilyChannel
from fanzha.dispatch.channels.sms import SmsChannel
from fanzha.dispatch.channels.visit import VisitChannel
from fanzha.dispatch.ladder import steps
from fanzha.store.db import UnitOfWork
from fanzha.warning.lifecycle import Channel
from fanzha.warning.model import Warning

REGISTRY: dict[Channel, DispatchChannel] = {
    c.channel: c for c in (SmsChannel(), CallChannel(), VisitChannel(), FamilyChannel())
}


class LadderDispatcher:
    """Stages each ladder step for the warning's level in `uow` (delivered after the commit)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def start(self, warning: Warning, *, now: datetime) -> None:
        for channel in steps(warning.level):
            REGISTRY[channel].stage(self._uow, warning, now=now)
