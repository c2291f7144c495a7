"""One exchange with a bank, in three steps that each commit: mark sent → talk to the bank → record.

Whatever the bank does, the order ends in a clear state: answered (STOPPED, MISMATCH, FAILED, FROZEN,
QUEUED), or PENDING_RETRY with the reason (TIMEOUT, UNREACHABLE, HTTP_5xx, BAD_ANSWER) — never lost.
A retry sends the same idempotency key, so the bank answers the original instruction again.
Follow-up instructions (renew, release, protective hold; `funds.followups`) go the same way, by key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from fanzha.clock import Clock
from fanzha.funds import followups, service
from fanzha.funds.protocol import Answer, BadAnswerError
from fanzha.jobs.bank.adapter import BankAdapter, BankUnavailableError
from fanzha.uow import UnitOfWork

UnitOfWorkFactory = Callable[[], UnitOfWork]
# records "no usable answer" (session, reason, now) on whatever the exchange was about
FailureRecorder = Callable[[Session, str, datetime], None]


def _exchange(
    new_uow: UnitOfWorkFactory, talk: Callable[[], list[Answer]], fail: FailureRecorder, clock: Clock
) -> list[str]:
    """Talk to the bank and record what came back, each outcome in its own unit of work."""
    try:
        answers = talk()
    except BankUnavailableError as exc:
        reason = exc.reason
    except BadAnswerError:
        reason = "BAD_ANSWER"
    else:
        if not answers:
            return []  # accepted, the answer comes later: `poll`
        with new_uow() as uow:
            outcomes = service.record_answers(uow.session, answers, clock.now())
            uow.commit()
        return outcomes
    with new_uow() as uow:
        fail(uow.session, reason, clock.now())
        uow.commit()
    return [reason]


def _order_failure(kind: str, target_id: str) -> FailureRecorder:
    return lambda session, reason, now: service.record_failure(session, kind, target_id, reason, now)


def send(new_uow: UnitOfWorkFactory, bank: BankAdapter, kind: str, target_id: str, clock: Clock) -> list[str]:
    """Send (or re-send) the instruction of a stop order or freeze and record what came back."""
    with new_uow() as uow:
        instruction = service.mark_sent(uow.session, kind, target_id, clock.now())
        uow.commit()
    return _exchange(new_uow, lambda: bank.send(instruction), _order_failure(kind, target_id), clock)


def poll(new_uow: UnitOfWorkFactory, bank: BankAdapter, kind: str, target_id: str, clock: Clock) -> list[str]:
    """Ask the bank for answers to an instruction sent earlier, and record them (each once)."""
    return _exchange(
        new_uow, lambda: bank.poll(f"{kind}:{target_id}"), _order_failure(kind, target_id), clock
    )


def send_followup(new_uow: UnitOfWorkFactory, bank: BankAdapter, key: str, clock: Clock) -> list[str]:
    """Send (or re-send) one queued follow-up instruction and record what came back."""
    with new_uow() as uow:
        instruction = followups.mark_sent(uow.session, key, clock.now())
        uow.commit()

    def fail(session: Session, reason: str, now: datetime) -> None:
        followups.record_failure(session, key, reason, now)

    return _exchange(new_uow, lambda: bank.send(instruction), fail, clock)


def send_pending(
    new_uow: UnitOfWorkFactory, bank: BankAdapter, clock: Clock, target_ids: list[str] | None = None
) -> dict[str, list[str]]:
    """Send every open follow-up instruction (of these records, or all): key → outcomes."""
    with new_uow() as uow:
        keys = [f.key for f in followups.follow_ups(uow.session, target_ids=target_ids, only_open=True)]
    return {key: send_followup(new_uow, bank, key, clock) for key in keys}


def deliver(
    bank: BankAdapter, new_uow: UnitOfWorkFactory, clock: Clock, target_id: str, first: tuple[str, str] | None
) -> str:
    """After a committed change: send `first` (a STOP/FREEZE instruction) and what the change queued
    for `target_id`. DONE if the bank applied all, PENDING if some answers are still to come, else RETRY."""
    outcomes: list[str] = []
    if first is not None:
        outcomes += send(new_uow, bank, first[0], first[1], clock) or ["WAIT"]
    for answers in send_pending(new_uow, bank, clock, [target_id]).values():
        outcomes += answers or ["WAIT"]
    if all(o == "APPLIED" for o in outcomes):
        return "DONE"
    return "PENDING" if all(o in ("APPLIED", "WAIT") for o in outcomes) else "RETRY"


def deliver_stop(bank: BankAdapter, new_uow: UnitOfWorkFactory, clock: Clock, order_id: str) -> str:
    """Send a new stop order: SENT (the bank answered), PENDING (answer to come) or RETRY."""
    outcomes = send(new_uow, bank, "STOP", order_id, clock)
    if not outcomes:
        return "PENDING"
    return "SENT" if "APPLIED" in outcomes else "RETRY"
