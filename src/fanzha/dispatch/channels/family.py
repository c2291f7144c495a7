"""Family contact: reach a relative who can stop the payment (Panyu, Chanba practice)."""

from __future__ import annotations

from datetime import datetime

from fanzha.dispatch.channels.base import Staging, warning_id_of
from fanzha.warning.lifecycle import Channel
from fanzha.warning.model import Warning


class FamilyChannel:
    channel = Channel.FAMILY

    def stage(self, uow: Staging, warning: Warning, *, now: datetime) -> bool:
        warning_id = warning_id_of(warning)
        return uow.outbox.add_task(
            warning_id=warning_id,
            key=f"warning:{warning_id}:family",
            unit_id=warning.unit_id,
            channel=self.channel.value,
            title="联系家属：请亲属协助劝阻并陪同核实",
            checklist=[],
            now=now,
        )
