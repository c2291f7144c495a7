"""Warning SMS, staged in a transactional outbox.

Staging writes an outbox row in the warning's transaction, so a message exists exactly when the
warning change that asked for it was committed. Delivery is a job (`jobs/sms/sender.py`).

The text follows the 12381 pattern (domain brief §2.2, §9): no link, no phone number, no personal
data, no reply needed.
"""

from __future__ import annotations

from datetime import datetime

from fanzha.dispatch.channels.base import Staging, warning_id_of
from fanzha.event.codes import FraudType
from fanzha.warning.lifecycle import Channel
from fanzha.warning.model import Warning

TEMPLATE = (
    "【反诈预警】公安机关提醒您：您可能正在遭遇{label}诈骗。"
    "公安机关不会要求转账汇款，不存在“安全账户”，请勿向陌生人转账、共享屏幕或透露验证码。"
    "如有疑问，请到就近派出所当面咨询。本短信无需回复。"
)


def render(fraud_type: FraudType) -> str:
    """The warning text for `fraud_type` (no link, number or personal data)."""
    label = "电信网络" if fraud_type is FraudType.UNKNOWN else f"“{fraud_type.label}”类"
    return TEMPLATE.format(label=label)


class SmsChannel:
    channel = Channel.SMS

    def stage(self, uow: Staging, warning: Warning, *, now: datetime) -> bool:
        phone = uow.outbox.contact_phone(warning)
        if phone is None:
            return False
        warning_id = warning_id_of(warning)
        return uow.outbox.enqueue_sms(
            warning_id=warning_id,
            key=f"warning:{warning_id}:sms:1",
            phone=phone,
            text=render(warning.fraud_type),
            now=now,
        )
