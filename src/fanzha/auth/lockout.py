"""Brute-force protection: lock an account after repeated failures, throttle a noisy address. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    """[DESIGN] defaults: 5 failures within 15 minutes lock the account for 15 minutes; 20 failures
    from one address within 15 minutes refuse that address's logins until the window passes."""

    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    lock_for: timedelta = timedelta(minutes=15)
    max_address_failures: int = 20

    def window_start(self, now: datetime) -> datetime:
        return now - self.window

    def is_locked(self, locked_until: datetime | None, now: datetime) -> bool:
        """Whether an account locked until `locked_until` is still locked at `now`."""
        return locked_until is not None and now < locked_until

    def lock_after(self, failures_in_window: int, now: datetime) -> datetime | None:
        """When the account becomes free again if this many failures lock it, else None."""
        return now + self.lock_for if failures_in_window >= self.max_failures else None

    def address_throttled(self, address_failures_in_window: int) -> bool:
        return address_failures_in_window >= self.max_address_failures
