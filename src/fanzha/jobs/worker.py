"""The workflow worker: routes new warnings, fires due deadlines within seconds, delivers SMS.

One loop, three steps per tick. It sleeps until the earliest pending deadline or SMS retry (both
found by an indexed query), but never longer than `max_sleep` (1 s), so new warnings and deadlines
are seen within a second. Each due item is handled in its own transaction and re-checked there:
a deadline is claimed with `UPDATE … WHERE state = 'PENDING'` and the warning is changed with a
version check, so two workers (the web app's and `fanzha worker`) never fire one deadline twice.
With prevention set up (as `worker_from_settings` does), each tick then runs prevention's steps
(`jobs/prevention.py`): the special-groups sweep and publicity SMS, after the warning SMS.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from fanzha.clock import Clock, SystemClock
from fanzha.dispatch.service import LadderDispatcher
from fanzha.event.codes import RiskLevel
from fanzha.jobs.prevention import PreventionJobs, PreventionSetup, setup_from_settings
from fanzha.jobs.sms.gateway import HttpSmsGateway, SmsGateway
from fanzha.jobs.sms.sender import SmsSender
from fanzha.settings import Settings
from fanzha.store.engine import session_factory
from fanzha.uow import UnitOfWork
from fanzha.warning import lifecycle as lc
from fanzha.warning import service
from fanzha.warning.deadlines import WorkflowConfig, brought_forward, default_config, load_config

log = logging.getLogger(__name__)

DEADLINE_LABELS = {
    lc.DeadlineKind.SIGN: "超时未签收",
    lc.DeadlineKind.CONTACT: "超时未联系",
    lc.DeadlineKind.MEET: "超时未见面",
    lc.DeadlineKind.FEEDBACK: "超时未反馈",
}
MIN_SLEEP = 0.02
TIGHTEN_OVERLAP = timedelta(seconds=5)


@dataclass
class Tick:
    routed: int = 0
    tightened: int = 0
    fired: int = 0
    sms_sent: int = 0
    sms_failed: int = 0
    publicity_sent: int = 0  # prevention: publicity SMS and special groups' light contacts
    special_contacts: int = 0


class Worker:
    def __init__(
        self,
        engine: Engine,
        *,
        clock: Clock | None = None,
        config: WorkflowConfig | None = None,
        gateway: SmsGateway | None = None,
        fallback_unit: str | None = None,
        max_sleep: float = 1.0,
        prevention: PreventionSetup | None = None,
    ) -> None:
        self._factory = session_factory(engine)
        self.clock = clock or SystemClock()
        self.config = config or default_config()
        self.fallback_unit = fallback_unit
        self.max_sleep = max_sleep
        self.sender = SmsSender(self.uow, gateway, self.clock) if gateway is not None else None
        self.prevention = PreventionJobs(self.uow, gateway, self.clock, prevention) if prevention else None
        self._tightened_to: datetime | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self._factory)

    def tick(self) -> Tick:
        """One pass: route new warnings, fire due deadlines, deliver due SMS."""
        result = Tick(routed=self.route_received(), tightened=self.tighten(), fired=self.fire_due())
        if self.sender is not None:
            delivery = self.sender.deliver_due()
            result.sms_sent, result.sms_failed = delivery.sent, delivery.failed
        if self.prevention is not None:  # after the warning SMS: publicity never goes ahead of them
            done = self.prevention.tick()
            result.publicity_sent, result.special_contacts = done.sent, done.special_contacts
        return result

    def route_received(self) -> int:
        with self.uow() as uow:
            ids = uow.workflow.received()
        return sum(self._each(partial(self._route, warning_id=i)) for i in ids)

    def _route(self, uow: UnitOfWork, *, warning_id: int) -> bool:
        applied = service.route_received(
            uow,
            warning_id=warning_id,
            clock=self.clock,
            fallback_unit=self.fallback_unit,
            config=self.config,
            dispatcher=LadderDispatcher(uow),
        )
        return applied is not None

    def tighten(self) -> int:
        """Bring pending deadlines forward for warnings whose level rose since the last pass."""
        now = self.clock.now()
        with self.uow() as uow:
            changed = 0
            for warning_id, (level, pending) in uow.workflow.pending_of_updated(self._tightened_to).items():
                earlier = brought_forward(RiskLevel(level), now, pending, self.config)
                if earlier:
                    uow.workflow.bring_forward(warning_id, earlier)
                    changed += 1
            uow.commit()
        # Overlap the next pass a little: a warning updated in this very second is looked at twice,
        # which is harmless because deadlines only ever move earlier.
        self._tightened_to = now - TIGHTEN_OVERLAP
        return changed

    def fire_due(self) -> int:
        with self.uow() as uow:
            due = [
                (d.id, d.warning_id, lc.DeadlineKind(d.kind))
                for d in uow.workflow.due_deadlines(self.clock.now())
            ]
        return sum(self._each(partial(self._fire, deadline=d)) for d in due)

    def _fire(self, uow: UnitOfWork, *, deadline: tuple[int, int, lc.DeadlineKind]) -> bool:
        deadline_id, warning_id, kind = deadline
        if not uow.workflow.claim_deadline(deadline_id, self.clock.now()):
            return False
        service.escalate(
            uow,
            warning_id=warning_id,
            actor=service.SYSTEM_ACTOR,
            clock=self.clock,
            reason=DEADLINE_LABELS[kind],
        )
        return True

    def _each(self, step: Callable[[UnitOfWork], bool]) -> bool:
        """Run one item in its own transaction; a conflict is left for the next tick."""
        with self.uow() as uow:
            try:
                done = step(uow)
            except (service.StaleVersionError, IntegrityError, OperationalError, lc.TransitionError) as exc:
                log.info("workflow item deferred: %s", type(exc).__name__)
                return False
            uow.commit()
            return done

    def seconds_until_next(self) -> float:
        with self.uow() as uow:
            candidates = [uow.workflow.next_due(), uow.outbox.next_sms_at() if self.sender else None]
        now = self.clock.now()
        waits = [max((c - now).total_seconds(), 0.0) for c in candidates if isinstance(c, datetime)]
        return max(min([*waits, self.max_sleep]), MIN_SLEEP)

    def run(self) -> None:
        """Loop until `stop()`; a failing tick is logged and retried, never fatal."""
        while not self._stop.is_set():
            try:
                self.tick()
                wait = self.seconds_until_next()
            except Exception:
                log.exception("workflow worker tick failed")
                wait = self.max_sleep
            self._stop.wait(wait)

    def start(self) -> Worker:
        self._thread = threading.Thread(target=self.run, name="fanzha-worker", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)


def config_from_settings(settings: Settings) -> WorkflowConfig:
    """The SLA table and metric choices: the file `FANZHA_WORKFLOW_FILE` names, else the shipped one."""
    if settings.workflow_file is None:
        return default_config()
    return load_config(settings.workflow_file.read_text(encoding="utf-8"))


def worker_from_settings(settings: Settings, engine: Engine, *, clock: Clock | None = None) -> Worker:
    gateway = HttpSmsGateway(settings.sms_gateway_url) if settings.sms_gateway_url else None
    if gateway is None:
        log.warning("no SMS gateway configured (FANZHA_SMS_GATEWAY_URL): warning SMS stay in the outbox")
    return Worker(
        engine,
        clock=clock,
        config=config_from_settings(settings),
        gateway=gateway,
        fallback_unit=settings.fallback_unit,
        prevention=setup_from_settings(settings),
    )
