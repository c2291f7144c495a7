"""Home visits: find and meet the person, with the 四查看·三询问·一保护 checklist."""

from __future__ import annotations

from datetime import datetime

from fanzha.dispatch.channels.base import Staging, warning_id_of
from fanzha.warning.lifecycle import CHECKLIST, Channel
from fanzha.warning.model import Warning


class VisitChannel:
    channel = Channel.VISIT

    def stage(self, uow: Staging, warning: Warning, *, now: datetime) -> bool:
        warning_id = warning_id_of(warning)
        return uow.outbox.add_task(
            warning_id=warning_id,
            key=f"warning:{warning_id}:visit",
            unit_id=warning.unit_id,
            channel=self.channel.value,
            title="上门见面劝阻：核实身份，四查看·三询问·一保护",
            checklist=list(CHECKLIST),
            now=now,
        )
