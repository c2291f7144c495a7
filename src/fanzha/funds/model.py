"""Records of the funds workflow (domain brief §4). Money is integer fen; times are aware."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


def require_aware(*moments: datetime | None) -> None:
    """Refuse naive datetimes: every time in the funds workflow is aware."""
    for moment in moments:
        if moment is not None and moment.tzinfo is None:
            raise ValueError("naive datetime in the funds workflow")


def require_fen(*amounts: int) -> None:
    """Money is a non-negative int of fen, never a float or a bool."""
    for amount in amounts:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise ValueError("amounts are non-negative integer fen")


@dataclass(frozen=True, slots=True)
class Edge:
    """One transfer in the money-flow graph (`MoneyFlowEdge`, §10)."""

    event_id: str
    payer: str
    payee: str
    at: datetime
    amount_fen: int


class AllocationRule(StrEnum):
    """How a victim's money is followed through an account that also holds other money [DESIGN]."""

    # Outflows after the victim's money arrived carry it first, until it is used up (police practice:
    # follow what left after the victim paid). Traces the most money; the default.
    GREEDY = "GREEDY"
    # The victim's share of the pool that built up after their money arrived (the victim's money plus
    # other money arriving later; the balance before is unknown and taken as zero) goes out with every
    # outflow in proportion ("haircut" taint).
    PROPORTIONAL = "PROPORTIONAL"


class BankResult(StrEnum):
    """The bank's answer to an instruction (紧急止付结果反馈报文 and its freeze/release siblings)."""

    STOPPED = "STOPPED"
    MISMATCH = "MISMATCH"
    FAILED = "FAILED"
    FROZEN = "FROZEN"
    QUEUED = "QUEUED"
    RELEASED = "RELEASED"
    HELD = "HELD"


class StopStatus(StrEnum):
    DRAFT = "DRAFT"
    SENT = "SENT"  # instruction out, no answer yet
    PENDING_RETRY = "PENDING_RETRY"  # no usable answer (timeout, bad answer): send again, same key
    STOPPED = "STOPPED"
    MISMATCH = "MISMATCH"
    FAILED = "FAILED"
    EXPIRED = "EXPIRED"  # 48 h passed without a freeze: payment resumes
    CONVERTED = "CONVERTED"  # converted to a quick freeze
    RELEASED = "RELEASED"


@dataclass(frozen=True, slots=True)
class StopPaymentOrder:
    """紧急止付 order (§4.2)."""

    order_id: str
    unit_id: str | None
    case_id: str | None
    victim_id: str | None
    payer_account: str
    payer_bank: str | None
    amount_fen: int
    txn_time: datetime
    payee_account: str
    payee_name: str | None
    payee_bank_hq: str | None
    layer: int
    parent_account: str | None
    instruction_no: str
    status: StopStatus = StopStatus.DRAFT
    sent_at: datetime | None = None
    bank_result: BankResult | None = None
    stopped_at: datetime | None = None
    expires_at: datetime | None = None
    stop_count: int = 1
    converted_freeze_id: str | None = None
    alerted_at: datetime | None = None
    attempts: int = 0
    last_error: str | None = None

    def __post_init__(self) -> None:
        require_aware(self.txn_time, self.sent_at, self.stopped_at, self.expires_at, self.alerted_at)
        require_fen(self.amount_fen)
        if self.layer < 1:
            raise ValueError("layer starts at 1")


class FreezeStatus(StrEnum):
    REQUESTED = "REQUESTED"  # awaiting a county-level chief's approval
    APPROVED = "APPROVED"  # notice approved, not yet sent
    SENT = "SENT"
    PENDING_RETRY = "PENDING_RETRY"
    ACTIVE = "ACTIVE"
    QUEUED = "QUEUED"  # 轮候冻结: behind another unit's freeze
    FAILED = "FAILED"
    LAPSED = "LAPSED"  # not renewed before the end: lapses automatically (art 240)
    RELEASED = "RELEASED"


@dataclass(frozen=True, slots=True)
class FreezeOrder:
    """快速冻结 record (§4.4): notice, approval, period, renewal chain, queue, release."""

    freeze_id: str
    unit_id: str | None
    notice_no: str
    account: str
    account_name: str | None
    amount_fen: int
    requested_at: datetime
    major_case: bool = False
    status: FreezeStatus = FreezeStatus.REQUESTED
    approved_by: str | None = None
    approved_at: datetime | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    renewals: tuple[datetime, ...] = ()  # the end date of each renewal, in order
    queued_behind: str | None = None
    stop_order_id: str | None = None
    alerted_at: datetime | None = None
    released_at: datetime | None = None
    release_reason: str | None = None
    attempts: int = 0
    last_error: str | None = None
    return_notice_at: datetime | None = None  # the 30-day public notice before pro-rata returns (§4.5)

    def __post_init__(self) -> None:
        require_aware(
            self.requested_at,
            self.approved_at,
            self.starts_at,
            self.ends_at,
            self.released_at,
            self.return_notice_at,
        )
        require_fen(self.amount_fen)


class HoldStatus(StrEnum):
    PROPOSED = "PROPOSED"  # the platform proposes; a human must confirm (PIPL art 24)
    ACTIVE = "ACTIVE"
    RELEASED = "RELEASED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True, slots=True)
class Appeal:
    at: datetime
    channel: str
    outcome: str | None = None


@dataclass(frozen=True, slots=True)
class ProtectiveHold:
    """保护性止付 on a potential victim's own accounts (§4.6)."""

    hold_id: str
    unit_id: str | None
    subject_id: str
    accounts: tuple[str, ...]
    trigger_lead_id: str | None
    imposed_by: str  # "police" | "bank"
    proposed_at: datetime
    status: HoldStatus = HoldStatus.PROPOSED
    confirmed_by: str | None = None
    starts_at: datetime | None = None
    planned_end: datetime | None = None
    notice_sent_at: datetime | None = None
    released_at: datetime | None = None
    release_reason: str | None = None
    appeals: tuple[Appeal, ...] = field(default=())

    def __post_init__(self) -> None:
        require_aware(
            self.proposed_at, self.starts_at, self.planned_end, self.notice_sent_at, self.released_at
        )
        if not self.accounts:
            raise ValueError("a protective hold names at least one account")


@dataclass(frozen=True, slots=True)
class Effect:
    """Something a transition asks the edge to do after the commit: send, alert, audit."""

    kind: str  # SEND_INSTRUCTION | ALERT | AUDIT | NOTIFY_SUBJECT | PROMOTE_QUEUED
    target: str  # the order, freeze or hold id
    detail: str = ""


class TransitionError(ValueError):
    """A command that the record's current state does not allow (the message names no personal data)."""


@dataclass(frozen=True, slots=True)
class BankMessage:
    """One stored exchange with a bank: an instruction out (OUT) or an answer or failure in (IN)."""

    id: int
    message_id: str | None
    direction: str  # OUT | IN
    target_kind: str  # STOP | FREEZE | HOLD
    target_id: str
    idempotency_key: str
    status: str  # QUEUED | SENT | PENDING_RETRY | APPLIED | DUPLICATE | REJECTED | TIMEOUT
    detail: str | None
    at: datetime
