"""96110 call tasks: an officer calls the person from the local 96110 line."""

from __future__ import annotations

from datetime import datetime

from fanzha.dispatch.channels.base import Staging, warning_id_of
from fanzha.warning.lifecycle import Channel
from fanzha.warning.model import Warning


class CallChannel:
    channel = Channel.CALL_96110

    def stage(self, uow: Staging, warning: Warning, *, now: datetime) -> bool:
        warning_id = warning_id_of(warning)
        return uow.outbox.add_task(
            warning_id=warning_id,
            key=f"warning:{warning_id}:call",
            unit_id=warning.unit_id,
            channel=self.channel.value,
            title="96110 劝阻来电：致电预警对象，询问是否共享屏幕、透露验证码、向陌生账户转账",
            checklist=[],
            now=now,
        )
