"""What detectors may consult besides state: indicator lists, person profiles and their settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from fanzha.detection.lists import IndicatorLists, Listing, normalise, url_host
from fanzha.detection.text import TextScorer
from fanzha.event.codes import IndicatorKind, PersonGroup

__all__ = [
    "DetectionContext",
    "DetectorSettings",
    "IndicatorLists",
    "IndicatorLookup",
    "Listing",
    "NoProfiles",
    "PersonProfiles",
    "normalise",
    "url_host",
]


class IndicatorLookup(Protocol):
    """Look up a listed indicator that was listed, and not yet expired, at time `at`."""

    def match(self, kind: IndicatorKind, value: str, at: datetime) -> Listing | None: ...


class PersonProfiles(Protocol):
    """Population groups of a person (finance staff, elderly ...), from reference data."""

    def groups(self, person_id: str) -> frozenset[PersonGroup]: ...


class NoProfiles:
    """No reference data about persons: everyone is in no group."""

    def groups(self, person_id: str) -> frozenset[PersonGroup]:
        return frozenset()


@dataclass(frozen=True, slots=True)
class DetectorSettings:
    """Windows and thresholds of the detectors. [DESIGN] defaults, documented in docs/detectors.md."""

    contact_to_transfer: timedelta = timedelta(hours=72)
    # Screen-share fraud happens while the session is live: a day, not days.
    app_to_transfer: timedelta = timedelta(hours=24)
    long_call: timedelta = timedelta(minutes=3)
    # Below this, a payment after a screen-share install is everyday spending, not the fraud's aim.
    screen_share_min_fen: int = 50_000
    # The same for a payment after a fraud-number contact or a fraud text; a card payment at a
    # merchant's terminal (channel "pos") is a purchase, not money sent to a stranger.
    contact_transfer_min_fen: int = 50_000
    # Per-person payment norm: EWMA of log-amount and of its absolute deviation.
    norm_prior_fen: int = 20_000
    norm_prior_spread: float = 1.0
    norm_min_spread: float = 0.5
    norm_min_alpha: float = 0.05
    norm_keep: timedelta = timedelta(days=90)
    known_payees: int = 24
    # A first payment to a new payee this many robust deviations above the norm, and at least this much.
    spike_deviations: float = 3.0
    spike_min_fen: int = 500_000
    # Until a person has this many payments on record, only a payment of at least `cold_start_min_fen` counts.
    norm_min_history: int = 3
    cold_start_min_fen: int = 2_000_000
    # Several payments to new payees in quick succession.
    burst_window: timedelta = timedelta(hours=2)
    burst_count: int = 3
    burst_min_total_fen: int = 100_000
    # 刷单返利: small incoming "rebates", then growing payments out.
    rebate_max_fen: int = 50_000
    rebate_window: timedelta = timedelta(hours=72)
    escalation_growth: float = 1.2
    # 虚假贷款: a loan app, then fees to new payees without the loan ever arriving.
    loan_window: timedelta = timedelta(days=7)
    loan_fee_min_fen: int = 10_000
    loan_disbursement_min_fen: int = 300_000
    # A call from abroad or from a virtual-operator number shortly before a large payment.
    risky_call_to_transfer: timedelta = timedelta(hours=24)
    large_transfer_fen: int = 1_000_000
    virtual_prefixes: tuple[str, ...] = ("170", "171", "162", "165", "167")
    # 冒充领导: a new contact in a chat group, then a payment.
    chat_contact_to_transfer: timedelta = timedelta(hours=48)
    chat_transfer_min_fen: int = 500_000


@dataclass(frozen=True, slots=True)
class DetectionContext:
    """Read-only inputs for detectors."""

    lists: IndicatorLookup = field(default_factory=IndicatorLists)
    settings: DetectorSettings = DetectorSettings()
    profiles: PersonProfiles = field(default_factory=NoProfiles)
    text_scorer: TextScorer | None = None
