"""Prevention's worker steps: the special-groups sweep, and publicity SMS through the SMS gateway.

Publicity SMS (approved campaigns, special groups' tips) go through the same gateway adapter as warning
SMS, but never ahead of them and within limits: at most `sms_per_minute` a minute, none in the quiet
hours (Beijing time), none to a number that opted out (checked again at sending). One transaction per
message, as for warning SMS: a failure keeps the row PENDING with a backoff, and the idempotency key
(`publicity:<reach id>`) makes a retry after a lost answer harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from fanzha.clock import Clock
from fanzha.jobs.sms.gateway import GatewayError, SmsGateway
from fanzha.present import DISPLAY_TZ
from fanzha.prevention import service
from fanzha.prevention.config import PreventionConfig, config_from_file
from fanzha.prevention.model import Channel, ReachStatus
from fanzha.prevention.targets import Targeting, default_targeting, load_targeting
from fanzha.settings import Settings
from fanzha.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PreventionSetup:
    """Prevention's configuration and targeting file, as the worker uses them."""

    config: PreventionConfig
    targeting: Targeting


def setup_from_settings(settings: Settings) -> PreventionSetup:
    """The files `FANZHA_PREVENTION_FILE` and `FANZHA_PREVENTION_TARGETS_FILE` name, else the shipped ones."""
    targets = settings.prevention_targets_file
    targeting = load_targeting(targets.read_text(encoding="utf-8")) if targets else default_targeting()
    return PreventionSetup(config_from_file(settings.prevention_file), targeting)


@dataclass
class PreventionTick:
    sent: int = 0
    failed: int = 0
    special_contacts: int = 0
    finished: int = 0


class PreventionJobs:
    """The special-groups sweep and the publicity SMS sender, one pass per worker tick."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        gateway: SmsGateway | None,
        clock: Clock,
        setup: PreventionSetup,
        *,
        backoff: timedelta = timedelta(seconds=30),
        max_backoff: timedelta = timedelta(hours=1),
    ) -> None:
        self._uow = uow_factory
        self._gateway = gateway
        self._clock = clock
        self.setup = setup
        self._backoff, self._max_backoff = backoff, max_backoff
        self._minute: datetime | None = None
        self._sent_this_minute = 0

    def tick(self) -> PreventionTick:
        result = PreventionTick()
        now = self._clock.now()
        with self._uow() as uow:
            result.special_contacts = service.sweep_special_groups(
                uow, now=now, config=self.setup.config, targeting=self.setup.targeting
            )
            uow.commit()
        if self._gateway is not None:
            result.sent, result.failed = self.deliver_due(self._gateway)
        with self._uow() as uow:
            result.finished = service.finish_campaigns(uow, now=self._clock.now())
            uow.commit()
        return result

    def budget(self, now: datetime) -> int:
        """Publicity SMS that may still go out this minute (0 in the quiet hours)."""
        limits = self.setup.config.campaigns
        if limits.quiet(now.astimezone(DISPLAY_TZ).hour):
            return 0
        minute = now.replace(second=0, microsecond=0)
        if minute != self._minute:
            self._minute, self._sent_this_minute = minute, 0
        return max(limits.sms_per_minute - self._sent_this_minute, 0)

    def deliver_due(self, gateway: SmsGateway) -> tuple[int, int]:
        """Send due publicity SMS within this minute's budget; (sent, failed)."""
        now = self._clock.now()
        allowance = min(self.budget(now), 200)
        if allowance == 0:
            return 0, 0
        with self._uow() as uow:
            due = uow.prevention.due_sms(now, allowance)
            phones = uow.prevention.first_phones([person for _, person, _, _, _ in due])
            opted = uow.prevention.opted_out_phones(list(phones.values()))
            texts = {
                c: found.texts
                for c in {c for *_, c, _ in due if c is not None}
                if (found := uow.prevention.campaign(c)) is not None
            }
        sent = failed = 0
        for reach_id, person_id, topic, campaign_id, attempts in due:
            phone = phones.get(person_id)
            if phone is None or phone in opted:
                self._settle(reach_id, ReachStatus.NO_PHONE if phone is None else ReachStatus.OPTED_OUT)
                continue
            text = texts.get(campaign_id, {}).get(topic) if campaign_id else None
            text = text or self.setup.targeting.sms_text(topic)
            try:
                gateway_id = gateway.send(key=f"publicity:{reach_id}", phone=phone, text=text)
            except GatewayError as exc:
                failed += 1
                self._failed(reach_id, str(exc), attempts + 1)
                continue
            sent += 1
            self._sent_this_minute += 1
            self._settle(reach_id, ReachStatus.SENT, gateway_id=gateway_id[:80], attempts=attempts + 1)
        return sent, failed

    def _settle(self, reach_id: int, status: ReachStatus, **values: object) -> None:
        minutes = self.setup.config.minutes(Channel.SMS) if status is ReachStatus.SENT else 0.0
        with self._uow() as uow:
            uow.prevention.mark(
                reach_id, status=status, now=self._clock.now(), officer_minutes=minutes, **values
            )
            uow.commit()

    def _failed(self, reach_id: int, error: str, attempts: int) -> None:
        log.warning("publicity SMS %s failed (attempt %s): %s", reach_id, attempts, error)
        delay = min(self._backoff * (1 << max(attempts - 1, 0)), self._max_backoff)
        with self._uow() as uow:
            uow.prevention.mark_failed(
                reach_id, error=error, attempts=attempts, retry_at=self._clock.now() + delay
            )
            uow.commit()
