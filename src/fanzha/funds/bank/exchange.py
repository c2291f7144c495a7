"""One exchange with a bank, in three steps that each commit: mark sent → talk to the bank → record.

Whatever the bank does, the order ends in a clear state: answered (STOPPED, MISMATCH, FAILED, FROZEN,
QUEUED), or PENDING_RETRY with the reason (TIMEOUT, UNREACHABLE, HTTP_5xx, BAD_ANSWER) — never lost.
A retry sends the same idempotency key, so the bank answers the original instruction again.
Follow-up instructions (renew, release, protective hold; `funds.followups`) go the same way, by key.
"""

from __future__ import annotations

from collections.abc import Callable

from fanzha.clock import Clock
from fanzha.funds import followups, service
from fanzha.funds.bank.adapter import BankAdapter, BankUnavailableError
from fanzha.funds.bank.protocol import BadAnswerError
from fanzha.store.db import UnitOfWork

UnitOfWorkFactory = Callable[[], UnitOfWork]


def send(new_uow: UnitOfWorkFactory, bank: BankAdapter, kind: str, target_id: str, clock: Clock) -> list[str]:
    """Send (or re-send) the instruction of a stop order or freeze and record what came back."""
    with new_uow() as uow:
        instruction = service.mark_sent(uow.session, kind, target_id, clock.now())
        uow.commit()
    try:
        answers = bank.send(instruction)
    except BankUnavailableError as exc:
        return _failed(new_uow, kind, target_id, exc.reason, clock)
    except BadAnswerError:
        return _failed(new_uow, kind, target_id, "BAD_ANSWER", clock)
    if not answers:
        return []  # accepted, the answer comes later: `poll`
    with new_uow() as uow:
        outcomes = service.record_answers(uow.session, answers, clock.now())
        uow.commit()
    return outcomes


def poll(new_uow: UnitOfWorkFactory, bank: BankAdapter, kind: str, target_id: str, clock: Clock) -> list[str]:
    """Ask the bank for answers to an instruction sent earlier, and record them (each once)."""
    try:
        answers = bank.poll(f"{kind}:{target_id}")
    except BankUnavailableError as exc:
        return _failed(new_uow, kind, target_id, exc.reason, clock)
    except BadAnswerError:
        return _failed(new_uow, kind, target_id, "BAD_ANSWER", clock)
    with new_uow() as uow:
        outcomes = service.record_answers(uow.session, answers, clock.now())
        uow.commit()
    return outcomes


def _failed(new_uow: UnitOfWorkFactory, kind: str, target_id: str, reason: str, clock: Clock) -> list[str]:
    with new_uow() as uow:
        service.record_failure(uow.session, kind, target_id, reason, clock.now())
        uow.commit()
    return [reason]


def send_followup(new_uow: UnitOfWorkFactory, bank: BankAdapter, key: str, clock: Clock) -> list[str]:
    """Send (or re-send) one queued follow-up instruction and record what came back."""
    with new_uow() as uow:
        instruction = followups.mark_sent(uow.session, key, clock.now())
        uow.commit()
    try:
        answers = bank.send(instruction)
    except BankUnavailableError as exc:
        return _followup_failed(new_uow, key, exc.reason, clock)
    except BadAnswerError:
        return _followup_failed(new_uow, key, "BAD_ANSWER", clock)
    if not answers:
        return []
    with new_uow() as uow:
        outcomes = service.record_answers(uow.session, answers, clock.now())
        uow.commit()
    return outcomes


def send_pending(
    new_uow: UnitOfWorkFactory, bank: BankAdapter, clock: Clock, target_ids: list[str] | None = None
) -> dict[str, list[str]]:
    """Send every open follow-up instruction (of these records, or all): key → outcomes."""
    with new_uow() as uow:
        keys = [f.key for f in followups.follow_ups(uow.session, target_ids=target_ids, only_open=True)]
    return {key: send_followup(new_uow, bank, key, clock) for key in keys}


def _followup_failed(new_uow: UnitOfWorkFactory, key: str, reason: str, clock: Clock) -> list[str]:
    with new_uow() as uow:
        followups.record_failure(uow.session, key, reason, clock.now())
        uow.commit()
    return [reason]
