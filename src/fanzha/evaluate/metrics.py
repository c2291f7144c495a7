"""Evaluation metrics: pure functions of a run's records and the simulator's truth. No I/O.

Definitions (also in README, "Evaluation"):
- a *victim* is an episode with at least one payment in the no-platform world;
- a warning is *real fraud* when its person had an episode with started_at <= opened_at <= end + window,
  where end is the last payment (or the start, for an episode without payments);
- *warned before first loss*: a warning on the victim opened in [started_at, first payment], not raised
  by one of the episode's own payments (a warning the payment itself raised comes with the loss);
- *warned within the episode*: a warning opened in [started_at, last payment]; *warned at all*: any;
- times run from the episode's first event in the stream to its first warning (and to its first contact
  that reached the person) within [started_at, end + window]; minutes, median and 95th percentile;
- *precision by level*: the same share among warnings whose highest level was each level; officers
  visit in person for 高/特高危 (HIGH/CRITICAL), so their precision says whether a visit is worth it;
- *prevented loss*: the amount of the payments that dissuasion withheld, over the no-platform loss.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from math import floor
from typing import Any, Protocol, TypeVar

from fanzha.evaluate.model import ContactRecord, RunRecord, ScorePoint, Truth, WarningRecord
from fanzha.event.codes import FraudType, RiskLevel
from fanzha.sim.truth import Episode


@dataclass(frozen=True, slots=True)
class MetricSettings:
    """[DESIGN] choices of the evaluation, with their defaults."""

    # A warning counts as real fraud up to this long after the episode's last payment.
    real_window: timedelta = timedelta(hours=72)
    # Warn-score thresholds of the trade-off curve.
    thresholds: tuple[int, ...] = tuple(range(25, 100, 5))
    # On the curve, one person gets at most one warning per this period.
    curve_cooldown: timedelta = timedelta(hours=72)


class Personal(Protocol):
    """Anything about one person (or nobody known): a warning, a contact, an episode."""

    @property
    def person_id(self) -> str | None: ...


class Opening(Personal, Protocol):
    """A warning's opening: whom, when, and the event that raised it."""

    @property
    def opened_at(self) -> datetime: ...

    @property
    def first_event_id(self) -> str: ...


_P = TypeVar("_P", bound=Personal)


@dataclass(frozen=True, slots=True)
class Spread:
    """Median and 95th percentile (linear interpolation) of `n` durations, in minutes."""

    n: int
    median: float | None
    p95: float | None

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "median": self.median, "p95": self.p95}


@dataclass(frozen=True, slots=True)
class Figures:
    """The evaluation's figures for one run over a set of episodes (all, or one fraud type)."""

    victims: int
    warned_at_all: int
    warned_in_episode: int
    warned_before_loss: int
    contacted_before_loss: int
    victims_stopped: int
    signal_to_warning: Spread
    signal_to_contact: Spread
    warnings: int
    real_warnings: int
    contacts: int
    loss_fen: int
    prevented_fen: int
    # Per warning level (the highest each warning reached): (warnings, real fraud).
    by_level: dict[RiskLevel, tuple[int, int]] = field(default_factory=dict)

    @property
    def visit_precision(self) -> float | None:
        """Precision of the warnings that reached 高 or 特高危, the levels officers visit for."""
        counts = [n for level, n in self.by_level.items() if level >= RiskLevel.HIGH]
        return _ratio(sum(real for _, real in counts), sum(total for total, _ in counts))

    @property
    def share_warned_before_loss(self) -> float | None:
        return _ratio(self.warned_before_loss, self.victims)

    @property
    def precision(self) -> float | None:
        return _ratio(self.real_warnings, self.warnings)

    @property
    def prevented_share(self) -> float | None:
        return _ratio(self.prevented_fen, self.loss_fen)

    def to_json(self) -> dict[str, Any]:
        return {
            "victims": self.victims,
            "warned_at_all": self.warned_at_all,
            "warned_in_episode": self.warned_in_episode,
            "warned_before_loss": self.warned_before_loss,
            "share_warned_before_loss": self.share_warned_before_loss,
            "contacted_before_loss": self.contacted_before_loss,
            "victims_stopped": self.victims_stopped,
            "signal_to_warning_minutes": self.signal_to_warning.to_json(),
            "signal_to_contact_minutes": self.signal_to_contact.to_json(),
            "warnings": self.warnings,
            "real_warnings": self.real_warnings,
            "precision": self.precision,
            "precision_high_critical": self.visit_precision,
            "by_level": {
                level.name: {"warnings": total, "real_warnings": real, "precision": _ratio(real, total)}
                for level, (total, real) in sorted(self.by_level.items())
            },
            "contacts": self.contacts,
            "loss_fen": self.loss_fen,
            "prevented_fen": self.prevented_fen,
            "prevented_share": self.prevented_share,
        }


@dataclass(frozen=True, slots=True)
class Report:
    """One run's figures overall and per fraud type (victims by their true type, warnings by theirs)."""

    name: str
    overall: Figures
    by_type: dict[FraudType, Figures] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "overall": self.overall.to_json(),
            "by_type": {t.value: f.to_json() for t, f in self.by_type.items()},
        }


@dataclass(frozen=True, slots=True)
class CurvePoint:
    """Had warnings opened only at `threshold` or above: how many, how precise, how many victims in time."""

    threshold: int
    warnings: int
    precision: float | None
    share_warned_before_loss: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "warnings": self.warnings,
            "precision": self.precision,
            "share_warned_before_loss": self.share_warned_before_loss,
        }


def quantile(values: Sequence[float], q: float) -> float | None:
    """The q-quantile by linear interpolation between closest ranks (numpy's default), None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    h = (len(ordered) - 1) * q
    low = floor(h)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (h - low) * (ordered[high] - ordered[low])


def spread(minutes: Sequence[float]) -> Spread:
    return Spread(len(minutes), quantile(minutes, 0.5), quantile(minutes, 0.95))


def episode_end(episode: Episode) -> datetime:
    """The last payment, or the start of an episode without payments."""
    return episode.payments[-1].at if episode.payments else episode.started_at


def is_real(opening: Opening, episodes_of: dict[str, list[Episode]], window: timedelta) -> bool:
    """Whether the warning's person had an episode running (or just ended) when it opened."""
    if opening.person_id is None:
        return False
    return any(
        e.started_at <= opening.opened_at <= episode_end(e) + window
        for e in episodes_of.get(opening.person_id, ())
    )


def warned_before_loss(episode: Episode, openings: Iterable[Opening]) -> bool:
    """A warning in [start, first payment] that the episode's payments did not themselves raise."""
    first = episode.first_payment_at
    if first is None:
        return False
    paid = {p.event_id for p in episode.payments}
    return any(episode.started_at <= o.opened_at <= first and o.first_event_id not in paid for o in openings)


def figures(
    run: RunRecord, truth: Truth, settings: MetricSettings, fraud_type: FraudType | None = None
) -> Figures:
    """The run's figures over all episodes, or over the episodes and warnings of one fraud type."""
    victims = [e for e in truth.episodes if e.payments and (fraud_type is None or e.fraud_type is fraud_type)]
    warnings = [w for w in run.warnings if fraud_type is None or w.fraud_type is fraud_type]
    by_person = by_person_id(run.warnings)
    contacts_of = by_person_id(run.contacts)
    episodes_of = by_person_id(truth.episodes)
    to_warning: list[float] = []
    to_contact: list[float] = []
    real = [is_real(w, episodes_of, settings.real_window) for w in warnings]
    counts = [0, 0, 0, 0, 0]  # at all, in episode, before loss, contacted before loss, stopped
    for victim in victims:
        own = by_person.get(victim.person_id, [])
        reached = [c for c in contacts_of.get(victim.person_id, []) if c.reached]
        flags = _victim_flags(victim, own, reached, run.withheld)
        counts = [n + int(flag) for n, flag in zip(counts, flags, strict=True)]
        span = (victim.started_at, episode_end(victim) + settings.real_window)
        signal = truth.first_signal(victim)
        _append_first(to_warning, signal, [w.opened_at for w in own], span)
        _append_first(to_contact, signal, [c.at for c in reached], span)
    return Figures(
        victims=len(victims),
        warned_at_all=counts[0],
        warned_in_episode=counts[1],
        warned_before_loss=counts[2],
        contacted_before_loss=counts[3],
        victims_stopped=counts[4],
        signal_to_warning=spread(to_warning),
        signal_to_contact=spread(to_contact),
        warnings=len(warnings),
        real_warnings=sum(real),
        by_level=_by_level(warnings, real),
        contacts=_count_contacts(run.contacts, {w.warning_id for w in warnings}),
        loss_fen=sum(v.loss_fen for v in victims),
        prevented_fen=sum(p.amount_fen for v in victims for p in v.payments if p.event_id in run.withheld),
    )


def report(run: RunRecord, truth: Truth, settings: MetricSettings | None = None) -> Report:
    """Figures overall and for every fraud type that has a victim or a warning."""
    settings = settings or MetricSettings()
    types = {e.fraud_type for e in truth.episodes if e.payments} | {w.fraud_type for w in run.warnings}
    return Report(
        name=run.name,
        overall=figures(run, truth, settings),
        by_type={t: figures(run, truth, settings, t) for t in sorted(types, key=lambda t: t.value)},
    )


@dataclass(frozen=True, slots=True)
class _Virtual:
    person_id: str | None
    opened_at: datetime
    first_event_id: str


def virtual_warnings(scores: Iterable[ScorePoint], threshold: int, cooldown: timedelta) -> list[_Virtual]:
    """The warnings a threshold would have opened: the first score at or above it, then at most one per
    person per `cooldown`."""
    last: dict[str, datetime] = {}
    opened: list[_Virtual] = []
    for point in sorted(scores, key=lambda p: p.at):
        if point.score < threshold:
            continue
        before = last.get(point.person_id)
        if before is None or point.at - before >= cooldown:
            last[point.person_id] = point.at
            opened.append(_Virtual(point.person_id, point.at, point.event_id))
    return opened


def tradeoff(
    scores: Sequence[ScorePoint], truth: Truth, settings: MetricSettings | None = None
) -> list[CurvePoint]:
    """Precision against the share of victims warned before first loss, over warn-score thresholds."""
    settings = settings or MetricSettings()
    victims = [e for e in truth.episodes if e.payments]
    episodes_of = by_person_id(truth.episodes)
    curve = []
    for threshold in settings.thresholds:
        opened = virtual_warnings(scores, threshold, settings.curve_cooldown)
        by_person = by_person_id(opened)
        in_time = sum(warned_before_loss(v, by_person.get(v.person_id, [])) for v in victims)
        real = sum(is_real(o, episodes_of, settings.real_window) for o in opened)
        curve.append(
            CurvePoint(threshold, len(opened), _ratio(real, len(opened)), _ratio(in_time, len(victims)))
        )
    return curve


def _victim_flags(
    victim: Episode, own: Sequence[Opening], reached: Sequence[ContactRecord], withheld: frozenset[str]
) -> tuple[bool, bool, bool, bool, bool]:
    """Warned at all, in the episode, before loss; reached before loss; stopped (something withheld)."""
    first = victim.payments[0]
    return (
        bool(own),
        any(victim.started_at <= w.opened_at <= episode_end(victim) for w in own),
        warned_before_loss(victim, own),
        # A contact at the very moment of the first payment came first only if it withheld it.
        any(victim.started_at <= c.at < first.at for c in reached) or first.event_id in withheld,
        any(p.event_id in withheld for p in victim.payments),
    )


def _by_level(warnings: Sequence[WarningRecord], real: Sequence[bool]) -> dict[RiskLevel, tuple[int, int]]:
    counts: dict[RiskLevel, tuple[int, int]] = {}
    for warning, is_fraud in zip(warnings, real, strict=True):
        total, hits = counts.get(warning.level, (0, 0))
        counts[warning.level] = (total + 1, hits + int(is_fraud))
    return counts


def _count_contacts(contacts: Iterable[ContactRecord], warning_ids: set[int]) -> int:
    return sum(1 for c in contacts if c.warning_id in warning_ids)


def _append_first(
    out: list[float], signal: datetime, times: Iterable[datetime], span: tuple[datetime, datetime]
) -> None:
    inside = [t for t in times if span[0] <= t <= span[1]]
    if inside:
        out.append((min(inside) - signal).total_seconds() / 60)


def by_person_id(items: Iterable[_P]) -> dict[str, list[_P]]:
    """`items` grouped by person, in their order; those about nobody known are left out."""
    grouped: dict[str, list[_P]] = {}
    for item in items:
        if item.person_id is not None:
            grouped.setdefault(item.person_id, []).append(item)
    return grouped


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None
