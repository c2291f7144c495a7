"""Funds services: load, apply the pure rules, save. They never commit; the caller's UnitOfWork does.

Instructions to banks are effects: a service marks an order SENT and builds the instruction; the
edge (`jobs.bank.exchange`) commits, talks to the bank, and records the answer in a new unit of work.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from sqlalchemy.orm import Session

from fanzha.funds import followups, timers
from fanzha.funds import freeze as fz
from fanzha.funds import hold as hd
from fanzha.funds import stop_payment as sp
from fanzha.funds.model import (
    Effect,
    FreezeOrder,
    FreezeStatus,
    StopPaymentOrder,
    StopStatus,
    TransitionError,
)
from fanzha.funds.protocol import PROTOCOL, Answer, Instruction
from fanzha.funds.repository import FundsRepository, StoreGraph
from fanzha.funds.stats import Period, StatsRow, aggregate
from fanzha.funds.trace import Trace, TraceSettings, account_root, trace


class NotFoundError(LookupError):
    """No such order, freeze, hold or transfer (the message carries the id only)."""


@dataclass(frozen=True, slots=True)
class FundsSettings:
    """Every [DESIGN] knob of the funds workflow, with the brief's defaults."""

    trace: TraceSettings = field(default_factory=TraceSettings)
    stop: sp.StopSettings = field(default_factory=sp.StopSettings)
    freeze: fz.FreezeSettings = field(default_factory=fz.FreezeSettings)
    hold: hd.HoldSettings = field(default_factory=hd.HoldSettings)


# -- tracing ------------------------------------------------------------------------------------------
def trace_event(session: Session, event_id: str, settings: TraceSettings | None = None) -> Trace | None:
    """The tree of a victim's transfer, from the store's transfer index; None if the transfer is unknown."""
    graph = StoreGraph(session)
    root = graph.transfer(event_id)
    return None if root is None else trace(graph, [root], settings)


def trace_account(
    session: Session,
    account: str,
    since: datetime,
    settings: TraceSettings | None = None,
    amount_fen: int | None = None,
) -> Trace:
    """The tree from a reported account: what it received since `since` (or `amount_fen`), followed on."""
    graph = StoreGraph(session)
    amount = amount_fen if amount_fen is not None else graph.received_since(account, since)
    return trace(graph, [account_root(account, since, amount)], settings)


# -- stop-payment ---------------------------------------------------------------------------------------
def new_stop(
    session: Session,
    *,
    unit_id: str | None,
    payee_account: str,
    amount_fen: int,
    txn_time: datetime,
    payer_account: str,
    layer: int = 1,
    parent_account: str | None = None,
    payee_name: str | None = None,
    case_id: str | None = None,
    victim_id: str | None = None,
    settings: FundsSettings | None = None,
    order_id: str | None = None,
    payee_bank: str | None = None,
) -> StopPaymentOrder:
    """A draft 紧急止付 order; refused (TransitionError) if the account was already stopped twice.

    `order_id` lets the caller derive the id from an idempotency key (a form's double submit).
    """
    cfg = settings or FundsSettings()
    repo = FundsRepository(session)
    count = sp.check_new_stop(repo.stops_on(payee_account), cfg.stop)
    order_id = order_id or f"ZF{uuid.uuid4().hex[:12].upper()}"
    order = StopPaymentOrder(
        order_id=order_id,
        unit_id=unit_id,
        case_id=case_id,
        victim_id=victim_id,
        payer_account=payer_account,
        payer_bank=None,
        amount_fen=amount_fen,
        txn_time=txn_time,
        payee_account=payee_account,
        payee_name=payee_name,
        payee_bank_hq=payee_bank,
        layer=layer,
        parent_account=parent_account,
        instruction_no=order_id,
        stop_count=count,
    )
    repo.save_stop(order)
    return order


def _stop_instruction(o: StopPaymentOrder, now: datetime) -> Instruction:
    return Instruction(
        protocol=PROTOCOL,
        message_id=f"out-{uuid.uuid4().hex[:16]}",
        idempotency_key=f"STOP:{o.order_id}",
        kind="STOP_PAYMENT",
        instruction_no=o.instruction_no,
        sent_at=now,
        account=o.payee_account,
        account_name=o.payee_name,
        amount_fen=o.amount_fen,
        txn_time=o.txn_time,
    )


def _freeze_instruction(f: FreezeOrder, now: datetime) -> Instruction:
    return Instruction(
        protocol=PROTOCOL,
        message_id=f"out-{uuid.uuid4().hex[:16]}",
        idempotency_key=f"FREEZE:{f.freeze_id}",
        kind="FREEZE",
        instruction_no=f.notice_no,
        sent_at=now,
        account=f.account,
        account_name=f.account_name,
        amount_fen=f.amount_fen,
    )


def mark_sent(session: Session, kind: str, target_id: str, now: datetime) -> Instruction:
    """Move a stop order or an approved freeze to SENT and build its instruction (kept as an OUT message)."""
    repo = FundsRepository(session)
    if kind == "STOP":
        order = repo.get_stop(target_id)
        if order is None:
            raise NotFoundError(f"stop order {target_id}")
        order = sp.apply(order, sp.Send(now)).record
        repo.save_stop(order)
        ins = _stop_instruction(order, now)
    elif kind == "FREEZE":
        frozen = repo.get_freeze(target_id)
        if frozen is None:
            raise NotFoundError(f"freeze {target_id}")
        frozen = fz.apply(frozen, fz.Send(now)).record
        repo.save_freeze(frozen)
        ins = _freeze_instruction(frozen, now)
    else:
        raise ValueError("kind is STOP or FREEZE")
    repo.add_message(
        message_id=ins.message_id,
        direction="OUT",
        target_kind=kind,
        target_id=target_id,
        idempotency_key=ins.idempotency_key,
        status="SENT",
        at=now,
    )
    return ins


def record_failure(session: Session, kind: str, target_id: str, reason: str, now: datetime) -> None:
    """No usable answer: the order waits in PENDING_RETRY with the reason; the attempt is kept."""
    repo = FundsRepository(session)
    if kind == "STOP":
        order = repo.get_stop(target_id)
        if order is not None and order.status in (StopStatus.SENT, StopStatus.PENDING_RETRY):
            repo.save_stop(sp.apply(order, sp.NoAnswer(now, reason)).record)
    else:
        frozen = repo.get_freeze(target_id)
        if frozen is not None and frozen.status in (FreezeStatus.SENT, FreezeStatus.PENDING_RETRY):
            repo.save_freeze(fz.apply(frozen, fz.NoAnswer(now, reason)).record)
    repo.add_message(
        message_id=None,
        direction="IN",
        target_kind=kind,
        target_id=target_id,
        idempotency_key=f"{kind}:{target_id}",
        status="REJECTED" if reason == "BAD_ANSWER" else "TIMEOUT",
        detail=reason,
        at=now,
    )


def _apply_answer(repo: FundsRepository, kind: str, target_id: str, a: Answer) -> None:
    if kind == "STOP":
        order = repo.get_stop(target_id)
        if order is None:
            raise NotFoundError(f"stop order {target_id}")
        repo.save_stop(sp.apply(order, sp.Answer(a.result, a.at)).record)
        return
    frozen = repo.get_freeze(target_id)
    if frozen is None:
        raise NotFoundError(f"freeze {target_id}")
    after = fz.apply(frozen, fz.Answer(a.result, a.at, a.queued_behind)).record
    repo.save_freeze(after)
    if after.status is FreezeStatus.ACTIVE and after.stop_order_id:
        _convert_stop(repo, after.stop_order_id, after.freeze_id, a.at)


def _convert_stop(repo: FundsRepository, order_id: str, freeze_id: str, at: datetime) -> None:
    order = repo.get_stop(order_id)
    if order is not None and order.status is StopStatus.STOPPED:
        repo.save_stop(sp.apply(order, sp.Convert(freeze_id, at)).record)


def _classify(repo: FundsRepository, session: Session, a: Answer, seen: set[str]) -> tuple[str, str]:
    kind = a.idempotency_key.partition(":")[0]
    if a.message_id in seen or repo.has_message(a.message_id):
        return "DUPLICATE", f"duplicate of {a.message_id}"
    if followups.parse_key(a.idempotency_key) is not None:
        refused = followups.check_answer(session, a)
        return ("REJECTED", refused) if refused else ("APPLIED", a.result.value)
    if kind not in ("STOP", "FREEZE"):
        return "REJECTED", "unknown idempotency key"
    try:
        _apply_answer(repo, kind, a.idempotency_key.partition(":")[2], a)
    except (TransitionError, NotFoundError) as exc:
        return "REJECTED", str(exc)
    return "APPLIED", a.result.value


def record_answers(session: Session, answers: Iterable[Answer], now: datetime) -> list[str]:
    """Apply bank answers, each message id once. Returns APPLIED / DUPLICATE / REJECTED per answer."""
    repo = FundsRepository(session)
    outcomes: list[str] = []
    seen: set[str] = set()
    for a in answers:
        status, detail = _classify(repo, session, a, seen)
        kind, _, target_id = a.idempotency_key.partition(":")
        kind, target_id = followups.parse_key(a.idempotency_key) or (kind, target_id)
        seen.add(a.message_id)
        repo.add_message(
            message_id=a.message_id if status != "DUPLICATE" else None,
            direction="IN",
            target_kind=kind[:16] or "UNKNOWN",
            target_id=target_id[:64] or "?",
            idempotency_key=a.idempotency_key,
            status=status,
            detail=detail,
            at=now,
        )
        outcomes.append(status)
    return outcomes


# -- freezes --------------------------------------------------------------------------------------------
def new_freeze(
    session: Session,
    *,
    unit_id: str | None,
    account: str,
    amount_fen: int,
    now: datetime,
    account_name: str | None = None,
    stop_order_id: str | None = None,
    major_case: bool = False,
) -> FreezeOrder:
    """A freeze request awaiting approval (协助冻结财产通知书 draft)."""
    freeze_id = f"DJ{uuid.uuid4().hex[:12].upper()}"
    order = FreezeOrder(
        freeze_id=freeze_id,
        unit_id=unit_id,
        notice_no=freeze_id,
        account=account,
        account_name=account_name,
        amount_fen=amount_fen,
        requested_at=now,
        major_case=major_case,
        stop_order_id=stop_order_id,
    )
    FundsRepository(session).save_freeze(order)
    return order


def command_freeze(
    session: Session, freeze_id: str, command: fz.Command, settings: fz.FreezeSettings | None = None
) -> tuple[FreezeOrder, list[Effect]]:
    """Apply an officer's command (approve, renew, release) to a freeze; queued freezes move up after it.

    Renewal and release instructions are queued for the bank in the same transaction (`followups`).
    """
    repo = FundsRepository(session)
    current = repo.get_freeze(freeze_id)
    if current is None:
        raise NotFoundError(f"freeze {freeze_id}")
    outcome = fz.apply(current, command, settings)
    repo.save_freeze(outcome.record)
    at = getattr(command, "at", outcome.record.requested_at)
    followups.queue(session, outcome.record, outcome.effects, at)
    effects = list(outcome.effects)
    effects += timers.promote_queued(repo, outcome.effects, at)
    return outcome.record, effects


# -- timers ---------------------------------------------------------------------------------------------
def sweep(session: Session, now: datetime, settings: FundsSettings | None = None) -> list[Effect]:
    """Run every due timer: stop alerts and expiry, freeze alerts and lapse, hold auto-release.

    Each automatic release writes an audit row (actor `system`); a hold's release instruction is queued.
    """
    cfg = settings or FundsSettings()
    return timers.sweep(session, now, timers.TimerSettings(cfg.stop, cfg.freeze, cfg.hold))


# -- statistics ------------------------------------------------------------------------------------------
def statistics(session: Session, period: Period, tz: tzinfo) -> list[StatsRow]:
    """Amounts and accounts stopped, frozen and returned, by unit and period."""
    return aggregate(FundsRepository(session).stat_facts(), period, tz)
