"""What detectors may consult besides state: indicator lists and their own settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit

from fanzha.detection.text import TextScorer
from fanzha.event.codes import IndicatorKind
from fanzha.event.entities import Indicator


class IndicatorLookup(Protocol):
    """Look up a listed indicator that was already known at time `at`."""

    def match(self, kind: IndicatorKind, value: str, at: datetime) -> Indicator | None: ...


class IndicatorLists:
    """In-memory indicator lists keyed by (kind, normalised value)."""

    def __init__(self, indicators: list[Indicator] | None = None) -> None:
        self._index: dict[tuple[IndicatorKind, str], Indicator] = {}
        for indicator in indicators or []:
            self.add(indicator)

    def add(self, indicator: Indicator) -> None:
        key = (indicator.kind, normalise(indicator.kind, indicator.value))
        known = self._index.get(key)
        # Keep the earliest listing: a later duplicate must not hide an earlier one.
        if known is None or _listed(indicator) < _listed(known):
            self._index[key] = indicator

    def match(self, kind: IndicatorKind, value: str, at: datetime) -> Indicator | None:
        indicator = self._index.get((kind, normalise(kind, value)))
        if indicator is None or (indicator.listed_at is not None and indicator.listed_at > at):
            return None
        return indicator

    def __len__(self) -> int:
        return len(self._index)


def normalise(kind: IndicatorKind, value: str) -> str:
    """Normalise an indicator so that trivially different spellings match."""
    value = value.strip()
    if kind is IndicatorKind.PHONE:
        digits = value.lstrip("+")
        return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits
    if kind is IndicatorKind.URL:
        return url_host(value)
    return value.lower() if kind is IndicatorKind.APP else value


def url_host(url: str) -> str:
    """The lower-cased host of a URL (or of a bare host name)."""
    parts = urlsplit(url if "//" in url else "//" + url)
    return (parts.hostname or url).lower().removeprefix("www.")


_ALWAYS = datetime.min.replace(tzinfo=UTC)


def _listed(indicator: Indicator) -> datetime:
    return indicator.listed_at or _ALWAYS


@dataclass(frozen=True, slots=True)
class DetectorSettings:
    """Windows within which one behaviour counts as leading to another. [DESIGN] defaults."""

    contact_to_transfer: timedelta = timedelta(hours=72)
    # Screen-share fraud happens while the session is live: a day, not days.
    app_to_transfer: timedelta = timedelta(hours=24)
    long_call: timedelta = timedelta(minutes=3)
    # Below this, a payment after a screen-share install is everyday spending, not the fraud's aim.
    screen_share_min_fen: int = 50_000


@dataclass(frozen=True, slots=True)
class DetectionContext:
    """Read-only inputs for detectors."""

    lists: IndicatorLookup
    settings: DetectorSettings = DetectorSettings()
    text_scorer: TextScorer | None = None
