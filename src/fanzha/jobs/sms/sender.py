"""Delivers staged warning SMS: one transaction per message, exponential backoff on failure.

A failure keeps the outbox row PENDING with a backoff (never dropped), and every attempt sends the
row's idempotency key, so a retry after a lost response never delivers twice. Each step commits
through its own unit of work (the message is out: the record must say so, whatever comes next).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from fanzha.clock import Clock
from fanzha.event.codes import RiskLevel
from fanzha.jobs.sms.gateway import GatewayError, SmsGateway
from fanzha.uow import UnitOfWork
from fanzha.warning.lifecycle import Channel, DeadlineKind
from fanzha.warning.model import WarningStatus
from fanzha.warning.ports import TransitionRecord

log = logging.getLogger(__name__)


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
