"""The access settings the app and the CLI need at run time, built once from `Settings`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from fanzha.auth.lockout import LockoutPolicy
from fanzha.auth.passwords import HashCost, Passwords
from fanzha.auth.service import SessionPolicy
from fanzha.settings import Settings


@dataclass(frozen=True, slots=True)
class AuthConfig:
    """Session lifetimes, lockout, password hashing cost, cookie flags."""

    sessions: SessionPolicy
    lockout: LockoutPolicy
    passwords: Passwords
    cookie_secure: bool


def auth_config(settings: Settings) -> AuthConfig:
    return AuthConfig(
        sessions=SessionPolicy(
            idle=timedelta(minutes=settings.session_idle_minutes),
            absolute=timedelta(hours=settings.session_absolute_hours),
        ),
        lockout=LockoutPolicy(
            max_failures=settings.lockout_max_failures,
            window=timedelta(minutes=settings.lockout_window_minutes),
            lock_for=timedelta(minutes=settings.lockout_minutes),
            max_address_failures=settings.lockout_max_address_failures,
        ),
        passwords=Passwords(
            HashCost(
                time_cost=settings.password_time_cost,
                memory_kib=settings.password_memory_kib,
                parallelism=settings.password_parallelism,
            )
        ),
        cookie_secure=settings.cookie_secure,
    )
