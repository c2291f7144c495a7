"""KPIs per unit and period (domain brief §3.8) and the supervision flags (§3.5), computed from facts.

Pure. W is the warnings assigned in the period, after removing DUPLICATE and OUT_OF_AREA, counted at
the unit that owns them in the end. Every rate carries its numerator, its denominator and a label
saying what the denominator is, so a figure is never published without its definition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from fanzha.event.codes import RiskLevel
from fanzha.warning.deadlines import WorkflowConfig
from fanzha.warning.lifecycle import Outcome

EXCLUDED = frozenset({Outcome.DUPLICATE, Outcome.OUT_OF_AREA})
SUCCESS = frozenset({Outcome.SUCCESS_NO_LOSS, Outcome.SUCCESS_PARTIAL})


class Flag(StrEnum):
    """Supervision flags of the Qingdao model (domain brief §3.5)."""

    LATE = "LATE"  # 劝阻不及时
    OVERDUE = "OVERDUE"  # 超期未劝阻
    CASE_AFTER = "CASE_AFTER"  # 劝阻后发案
    CASE_WITHOUT = "CASE_WITHOUT"  # 未劝阻发案


FLAG_LABELS = {
    Flag.LATE: "劝阻不及时",
    Flag.OVERDUE: "超期未劝阻",
    Flag.CASE_AFTER: "劝阻后发案",
    Flag.CASE_WITHOUT: "未劝阻发案",
}


@dataclass(frozen=True, slots=True)
class WarningFacts:
    """One warning as the metrics see it."""

    warning_id: int
    unit_id: str | None
    level: RiskLevel
    assigned_at: datetime
    signed_at: datetime | None = None
    sign_due: datetime | None = None
    first_contact_at: datetime | None = None
    contact_due: datetime | None = None
    reached: bool = False  # a contact attempt answered, or a meeting
    met: bool = False
    outcome: Outcome | None = None
    outcome_at: datetime | None = None
    closed: bool = False


@dataclass(frozen=True, slots=True)
class Rate:
    numerator: int
    denominator: int
    denominator_label: str

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True, slots=True)
class Kpis:
    warnings: int
    sign_rate: Rate
    on_time_sign_rate: Rate
    contact_rate: Rate
    on_time_rate: Rate
    meet_rate: Rate
    success_rate: Rate
    success_rate_plain: Rate
    victimisation_rate: Rate
    precision: Rate


def flags(f: WarningFacts, now: datetime) -> list[Flag]:
    """The supervision flags a warning raises at `now`."""
    found: list[Flag] = []
    if f.contact_due is not None:
        if f.first_contact_at is not None and f.first_contact_at > f.contact_due:
            found.append(Flag.LATE)
        if f.first_contact_at is None and now > f.contact_due and not f.closed:
            found.append(Flag.OVERDUE)
    if f.outcome is Outcome.DEFRAUDED:
        found.append(Flag.CASE_AFTER if f.first_contact_at is not None else Flag.CASE_WITHOUT)
    return found


def _within(at: datetime | None, due: datetime | None) -> bool:
    return at is not None and (due is None or at <= due)


def compute(facts: Iterable[WarningFacts], config: WorkflowConfig) -> Kpis:
    """The §3.8 metrics over `facts` (already limited to one unit's warnings of one period)."""
    w = [f for f in facts if f.outcome not in EXCLUDED]
    n = len(w)
    all_label = "W（期内下发预警，剔除重复与非本辖区）"
    high = [f for f in w if f.level >= RiskLevel.HIGH]
    meet_pool, meet_label = (
        (high, "W 中高危及以上") if config.meet_rate_denominator == "HIGH_PLUS" else (w, all_label)
    )
    not_fraud = sum(f.outcome is Outcome.NOT_FRAUD for f in w)
    unreachable = sum(f.outcome is Outcome.UNREACHABLE for f in w)
    successes = sum(f.outcome in SUCCESS for f in w)
    window = timedelta(days=config.victimisation_window_days)
    victims = sum(
        f.outcome is Outcome.DEFRAUDED and f.outcome_at is not None and f.outcome_at - f.assigned_at <= window
        for f in w
    )
    closed = [f for f in w if f.closed]
    valid = len(closed) - sum(f.outcome is Outcome.NOT_FRAUD for f in closed)
    return Kpis(
        warnings=n,
        sign_rate=Rate(sum(f.signed_at is not None for f in w), n, all_label),
        on_time_sign_rate=Rate(sum(_within(f.signed_at, f.sign_due) for f in w), n, all_label),
        contact_rate=Rate(sum(f.reached for f in w), n, all_label),
        on_time_rate=Rate(sum(_within(f.first_contact_at, f.contact_due) for f in w), n, all_label),
        meet_rate=Rate(sum(f.met for f in meet_pool), len(meet_pool), meet_label),
        success_rate=Rate(successes, n - not_fraud - unreachable, "W − 无效预警 − 最终无法联系"),
        success_rate_plain=Rate(successes, n, all_label),
        victimisation_rate=Rate(victims, n, f"W（{config.victimisation_window_days} 日内反馈已被骗）"),
        precision=Rate(valid, len(closed), "已办结"),
    )
