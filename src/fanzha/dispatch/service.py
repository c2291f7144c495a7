"""The dispatcher the workflow service calls: run the ladder's channels for a warning."""

from __future__ import annotations

from datetime import datetime

from fanzha.dispatch.channels.base import DispatchChannel, Staging
from fanzha.dispatch.channels.call import CallChannel
from fanzha.dispatch.channels.family import FamilyChannel
from fanzha.dispatch.channels.sms import SmsChannel
from fanzha.dispatch.channels.visit import VisitChannel
from fanzha.dispatch.ladder import steps
from fanzha.warning.lifecycle import Channel
from fanzha.warning.model import Warning

REGISTRY: dict[Channel, DispatchChannel] = {
    c.channel: c for c in (SmsChannel(), CallChannel(), VisitChannel(), FamilyChannel())
}


class LadderDispatcher:
    """Stages each ladder step for the warning's level in `uow` (delivered after the commit)."""

    def __init__(self, uow: Staging) -> None:
        self._uow = uow

    def start(self, warning: Warning, *, now: datetime) -> None:
        for channel in steps(warning.level):
            REGISTRY[channel].stage(self._uow, warning, now=now)

    def done(self, warning_id: int, channel: Channel, *, now: datetime) -> None:
        task = TASK_FOR.get(channel)
        if task is not None:
            self._uow.outbox.complete_tasks(warning_id, [task.value], now)


# Which officer task an action through a channel completes.
TASK_FOR: dict[Channel, Channel] = {
    Channel.CALL_96110: Channel.CALL_96110,
    Channel.CALL_LOCAL: Channel.CALL_96110,
    Channel.VISIT: Channel.VISIT,
    Channel.FAMILY: Channel.FAMILY,
}
