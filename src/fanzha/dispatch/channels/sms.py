"""Warning SMS through an HTTP SMS gateway, via a transactional outbox.

Staging writes an outbox row in the warning's transaction, so a message exists exactly when the
warning change that asked for it was committed. `SmsSender` then delivers due rows one by one; a
failure keeps the row PENDING with an exponential backoff (never dropped), and every attempt sends
the row's idempotency key, so a retry after a lost response never delivers twice.

The text follows the 12381 pattern (domain brief §2.2, §9): no link, no phone number, no personal
data, no reply needed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import httpx

from fanzha.clock import Clock
from fanzha.dispatch.channels.base import warning_id_of
from fanzha.event.codes import FraudType, RiskLevel
from fanzha.store.db import UnitOfWork
from fanzha.warning.lifecycle import Channel, DeadlineKind
from fanzha.warning.model import Warning, WarningStatus
from fanzha.warning.service import TransitionRecord

log = logging.getLogger(__name__)

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

    def stage(self, uow: UnitOfWork, warning: Warning, *, now: datetime) -> bool:
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


class GatewayError(RuntimeError):
    """The gateway did not accept the message (its reason, never the message or number)."""


class SmsGateway(Protocol):
    def send(self, *, key: str, phone: str, text: str) -> str:
        """Deliver one message; returns the gateway's message id or raises `GatewayError`."""
        ...


class HttpSmsGateway:
    """Adapter for an HTTP SMS gateway: `POST {url}/sms` with JSON and an `Idempotency-Key` header."""

    def __init__(self, url: str, *, timeout: float = 5.0, client: httpx.Client | None = None) -> None:
        self._url = url.rstrip("/")
        self._client = client or httpx.Client(timeout=timeout)

    def send(self, *, key: str, phone: str, text: str) -> str:
        try:
            response = self._client.post(
                f"{self._url}/sms", json={"to": phone, "text": text}, headers={"Idempotency-Key": key}
            )
        except httpx.HTTPError as exc:
            raise GatewayError(f"gateway unreachable: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise GatewayError(f"gateway answered HTTP {response.status_code}")
        try:
            return str(response.json()["message_id"])
        except (ValueError, KeyError, TypeError) as exc:
            raise GatewayError("gateway answered without a message id") from exc

    def close(self) -> None:
        self._client.close()


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0


class SmsSender:
    """Delivers due outbox rows, one transaction per message, with exponential backoff on failure."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        gateway: SmsGateway,
        clock: Clock,
        *,
        backoff: timedelta = timedelta(seconds=2),
        max_backoff: timedelta = timedelta(minutes=5),
    ) -> None:
        self._uow = uow_factory
        self._gateway = gateway
        self._clock = clock
        self._backoff = backoff
        self._max_backoff = max_backoff

    def retry_delay(self, attempts: int) -> timedelta:
        """Delay after the `attempts`-th failure: backoff × 2^(attempts−1), capped."""
        return min(self._backoff * (1 << max(attempts - 1, 0)), self._max_backoff)

    def deliver_due(self, limit: int = 50) -> Delivery:
        with self._uow() as uow:
            due = [
                (r.id, r.warning_id, r.idempotency_key, r.phone, r.text, r.attempts)
                for r in uow.outbox.due_sms(self._clock.now(), limit)
            ]
        result = Delivery()
        for sms_id, warning_id, key, phone, text, attempts in due:
            try:
                gateway_id = self._gateway.send(key=key, phone=phone, text=text)
            except GatewayError as exc:
                result.failed += 1
                self._failed(sms_id, str(exc), attempts + 1)
                continue
            result.sent += 1
            self._sent(sms_id, warning_id, gateway_id, attempts + 1)
        return result

    def _failed(self, sms_id: int, error: str, attempts: int) -> None:
        log.warning("warning SMS %s failed (attempt %s): %s", sms_id, attempts, error)
        with self._uow() as uow:
            retry_at = self._clock.now() + self.retry_delay(attempts)
            uow.outbox.mark_failed(sms_id, error=error, attempts=attempts, retry_at=retry_at)
            uow.commit()

    def _sent(self, sms_id: int, warning_id: int, gateway_id: str, attempts: int) -> None:
        now = self._clock.now()
        with self._uow() as uow:
            uow.outbox.mark_sent(sms_id, gateway_id=gateway_id, attempts=attempts, now=now)
            warning = uow.warnings.get(warning_id)
            status = warning.status if warning is not None else WarningStatus.RECEIVED
            if warning is not None and warning.level is RiskLevel.LOW:
                # LOW: the warning SMS is the first contact (§3.7, "SMS within 24 h").
                uow.workflow.meet_deadline(warning_id, DeadlineKind.CONTACT, now)
            uow.workflow.add_transition(
                TransitionRecord(
                    warning_id=warning_id,
                    at=now,
                    actor="system",
                    unit_id=warning.unit_id if warning is not None else None,
                    command="sms_sent",
                    from_status=status,
                    to_status=status,
                    channel=Channel.SMS,
                    outcome=None,
                    note="预警短信已送达短信网关",
                    data={"attempts": attempts},
                )
            )
            uow.commit()
