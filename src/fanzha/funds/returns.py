"""资金返还 (§4.5): trace-back returns first, pro rata by loss only after the 30-day notice.

The 2016 return rules (art 8): a deposit in the frozen account that traces to its victim by its
timestamps is returned to that victim directly; what cannot be traced is shared among the victims
by loss, once a 30-day public notice has run. Money is integer fen; shares are rounded by the
largest-remainder method, so returns never exceed the frozen funds and always add up exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from fanzha.funds.model import require_aware, require_fen


@dataclass(frozen=True, slots=True)
class ReturnSettings:
    notice_period: timedelta = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Claim:
    """A victim with a verified loss; `traced_fen` of it traced into the frozen account by timestamps."""

    victim_id: str
    loss_fen: int
    traced_fen: int = 0

    def __post_init__(self) -> None:
        require_fen(self.loss_fen, self.traced_fen)


class ProRata(StrEnum):
    NOT_NEEDED = "NOT_NEEDED"
    AWAITING_NOTICE = "AWAITING_NOTICE"  # no notice yet, or its 30 days have not run
    DUE = "DUE"


@dataclass(frozen=True, slots=True)
class Share:
    victim_id: str
    traced_fen: int  # returned directly (trace-back)
    pro_rata_fen: int  # payable only when the plan's pro rata status is DUE; proposed otherwise

    @property
    def total_fen(self) -> int:
        return self.traced_fen + self.pro_rata_fen


@dataclass(frozen=True, slots=True)
class ReturnPlan:
    frozen_fen: int
    shares: tuple[Share, ...]
    pro_rata: ProRata
    notice_ends_at: datetime | None

    @property
    def payable_fen(self) -> int:
        due = self.pro_rata is ProRata.DUE
        return sum(s.traced_fen + (s.pro_rata_fen if due else 0) for s in self.shares)

    @property
    def remainder_fen(self) -> int:
        """Stays frozen within the original period (a new round starts if new victims appear)."""
        return self.frozen_fen - self.payable_fen


def largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` fen by `weights`: floors first, then one fen each to the largest remainders.

    The parts add up to `total` exactly; when `total` ≤ sum(weights) no part exceeds its weight.
    """
    require_fen(total, *weights)
    whole = sum(weights)
    if whole == 0:
        if total:
            raise ValueError("cannot share a positive amount over zero weights")
        return [0] * len(weights)
    parts = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def plan_returns(
    frozen_fen: int,
    claims: Sequence[Claim],
    *,
    now: datetime,
    notice_published_at: datetime | None = None,
    settings: ReturnSettings | None = None,
) -> ReturnPlan:
    """Who gets what from a frozen account: traced money first, then the rest by remaining loss."""
    cfg = settings or ReturnSettings()
    require_fen(frozen_fen)
    require_aware(now, notice_published_at)
    if len({c.victim_id for c in claims}) != len(claims):
        raise ValueError("one claim per victim")
    traced = [min(c.traced_fen, c.loss_fen) for c in claims]
    direct = traced if sum(traced) <= frozen_fen else largest_remainder(frozen_fen, traced)
    left = frozen_fen - sum(direct)
    remaining = [c.loss_fen - d for c, d in zip(claims, direct, strict=True)]
    if left == 0 or sum(remaining) == 0:
        pro = [0] * len(claims)
        status = ProRata.NOT_NEEDED
    else:
        pro = remaining if sum(remaining) <= left else largest_remainder(left, remaining)
        due = notice_published_at is not None and now >= notice_published_at + cfg.notice_period
        status = ProRata.DUE if due else ProRata.AWAITING_NOTICE
    ends = notice_published_at + cfg.notice_period if notice_published_at else None
    shares = tuple(
        Share(victim_id=c.victim_id, traced_fen=d, pro_rata_fen=p)
        for c, d, p in zip(claims, direct, pro, strict=True)
    )
    return ReturnPlan(frozen_fen=frozen_fen, shares=shares, pro_rata=status, notice_ends_at=ends)


@dataclass(frozen=True, slots=True)
class ReturnApplication:
    """附件1 返还申请表 (return application form), as a record."""

    victim_id: str
    return_account: str
    case_unit: str
    case_no: str
    involved_account: str
    loss_fen: int
    case_officers: tuple[str, str]
    freezing_unit: str
    freeze_officers: tuple[str, str]
    frozen_account: str
    frozen_fen: int
    opinion: str = ""
    applied_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ReturnDecision:
    """附件3 返还决定书, addressed to the bank: return `amount_fen` from account X to account Y."""

    decision_no: str
    victim_id: str
    from_account: str
    to_account: str
    amount_fen: int
    basis: str  # TRACED | PRO_RATA
    decided_at: datetime


def decision_no(prefix: str, year: int, serial: int) -> str:
    """`*公*刑返字〔year〕serial号`, e.g. 东公(刑)返字〔2026〕12号."""
    return f"{prefix}公(刑)返字〔{year}〕{serial}号"


def decisions(
    plan: ReturnPlan,
    applications: Sequence[ReturnApplication],
    *,
    at: datetime,
    prefix: str,
    first_serial: int,
) -> list[ReturnDecision]:
    """One decision per payable part of the plan, for victims who applied (art 5: victims apply)."""
    by_victim = {a.victim_id: a for a in applications}
    out: list[ReturnDecision] = []
    due = plan.pro_rata is ProRata.DUE
    for share in plan.shares:
        app = by_victim.get(share.victim_id)
        if app is None:
            continue
        for basis, amount in (("TRACED", share.traced_fen), ("PRO_RATA", share.pro_rata_fen if due else 0)):
            if amount > 0:
                out.append(
                    ReturnDecision(
                        decision_no=decision_no(prefix, at.year, first_serial + len(out)),
                        victim_id=share.victim_id,
                        from_account=app.frozen_account,
                        to_account=app.return_account,
                        amount_fen=amount,
                        basis=basis,
                        decided_at=at,
                    )
                )
    return out
