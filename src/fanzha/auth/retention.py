"""Retention periods per record type and the cut-off each implies (PIPL art 19/47, CSL art 21). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class RecordType(StrEnum):
    """What retention acts on, and how: deleted outright or anonymised (kept for statistics)."""

    EVENTS = "events"  # raw signals: deleted
    ASSESSMENTS = "assessments"  # anonymised: subject and evidence removed, scores kept
    CLOSED_WARNINGS = "closed_warnings"  # anonymised once closed for the period
    DEAD_LETTERS = "dead_letters"  # raw rejected text may hold personal data: deleted
    LOGIN_ATTEMPTS = "login_attempts"  # network logs, CSL art 21 ≥ 6 months: deleted
    SESSIONS = "sessions"  # expired console sessions: deleted
    AUDIT_LOG = "audit_log"  # append-only; reported, archived by the database administrator


# [DESIGN] defaults; §9 names no national figures (open question 4), only floors for logs.
DEFAULT_DAYS: dict[RecordType, int] = {
    RecordType.EVENTS: 180,
    RecordType.ASSESSMENTS: 365,
    RecordType.CLOSED_WARNINGS: 365,
    RecordType.DEAD_LETTERS: 90,
    RecordType.LOGIN_ATTEMPTS: 180,
    RecordType.SESSIONS: 30,
    RecordType.AUDIT_LOG: 1095,
}

# Legal floors the configuration may not undercut.
MINIMUM_DAYS: dict[RecordType, int] = {
    RecordType.LOGIN_ATTEMPTS: 180,  # CSL art 21: network logs ≥ 6 months
    RecordType.AUDIT_LOG: 180,
}


class RetentionError(ValueError):
    """A retention configuration that names an unknown record type or an invalid period."""


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    days: Mapping[RecordType, int]

    def cutoff(self, record: RecordType, now: datetime) -> datetime:
        """Records of this type older than the returned moment are due."""
        return now - timedelta(days=self.days[record])


def retention_policy(overrides: Mapping[str, object] | None = None) -> RetentionPolicy:
    """The defaults with `overrides` (record type → days) applied and checked."""
    days = dict(DEFAULT_DAYS)
    for key, value in (overrides or {}).items():
        try:
            record = RecordType(key)
        except ValueError:
            raise RetentionError(f"unknown record type in retention settings: {key!r}") from None
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise RetentionError(f"retention of {key} must be a whole number of days ≥ 1")
        if value < MINIMUM_DAYS.get(record, 1):
            raise RetentionError(f"retention of {key} may not be below {MINIMUM_DAYS[record]} days")
        days[record] = value
    return RetentionPolicy(days=days)
