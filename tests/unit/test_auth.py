"""Pure access rules: the permission matrix, unit scope, lockout, retention settings, log masking."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from fanzha.audit import logfilter
from fanzha.auth.lockout import LockoutPolicy
from fanzha.auth.model import PERMISSIONS, Permission, Principal, Role, hidden_evidence_key, role_may
from fanzha.auth.passwords import HashCost, Passwords, password_problem
from fanzha.auth.retention import RetentionError, retention_policy
from fanzha.auth.scope import unit_scope

UNITS = [
    ("C", "CITY", None),
    ("B1", "BRANCH", "C"),
    ("S1", "STATION", "B1"),
    ("G1", "COMMUNITY", "S1"),
    ("B2", "BRANCH", "C"),
    ("S2", "STATION", "B2"),
]


def test_scope_is_the_unit_and_everything_below_it() -> None:
    assert unit_scope("C", UNITS) is None  # the city sees everything, unassigned warnings included
    assert unit_scope("B1", UNITS) == {"B1", "S1", "G1"}
    assert unit_scope("S1", UNITS) == {"S1", "G1"}
    assert unit_scope("nowhere", UNITS) == {"nowhere"}
    officer = Principal("u", Role.STATION_OFFICER, "S1", unit_scope("S1", UNITS))
    assert officer.can_see("G1")
    assert not officer.can_see("S2")
    assert not officer.can_see(None)


def test_matrix_keeps_need_to_know() -> None:
    assert set(PERMISSIONS) == set(Role)
    who_reveals = {r for r in Role if role_may(r, Permission.WARNING_REVEAL)}
    assert who_reveals == {Role.ANALYST, Role.STOP_PAYMENT_OFFICER, Role.STATION_OFFICER}
    assert {r for r in Role if role_may(r, Permission.AUDIT_SEARCH)} == {Role.INSPECTOR}
    assert PERMISSIONS[Role.STATISTICS] == {Permission.STATS_VIEW}
    assert not role_may(Role.BANK_LIAISON, Permission.WARNING_VIEW)
    assert not role_may(Role.CITY_ADMIN, Permission.WARNING_EXPORT)  # bulk export needs dual approval
    assert not role_may("emperor", Permission.WARNING_LIST)
    assert hidden_evidence_key(Role.GRID_WORKER, "payee_account")
    assert not hidden_evidence_key(Role.ANALYST, "payee_account")
    grid = Principal("g", Role.GRID_WORKER, "G1", frozenset({"G1"}))
    assert grid.can_see_level(2)
    assert not grid.can_see_level(3)


def test_lockout_policy() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    policy = LockoutPolicy(max_failures=3, lock_for=timedelta(minutes=10))
    assert policy.lock_after(2, now) is None
    until = policy.lock_after(3, now)
    assert until == now + timedelta(minutes=10)
    assert policy.is_locked(until, now + timedelta(minutes=9))
    assert not policy.is_locked(until, now + timedelta(minutes=10))


def test_passwords_hash_verify_and_refuse_weak_ones() -> None:
    pw = Passwords(HashCost(time_cost=1, memory_kib=8192, parallelism=1))
    stored = pw.hash("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert pw.verify(stored, "correct horse battery")
    assert not pw.verify(stored, "Correct horse battery")
    assert not pw.verify(None, "anything")
    assert not pw.verify("garbage", "x")
    assert password_problem("short", "li") is not None
    assert password_problem("li-is-my-name-1", "li") is not None
    assert password_problem("aaaaaaaaaaaaaaa", "x") is not None
    assert password_problem("a-long-passphrase-9", "li") is None


def test_retention_settings_are_checked() -> None:
    assert retention_policy().days["events"] == 180
    assert retention_policy({"events": 30}).days["events"] == 30
    for bad in ({"events": 0}, {"evnets": 30}, {"audit_log": 30}, {"events": "30"}):
        with pytest.raises(RetentionError):
            retention_policy(bad)


RAW = ("13812345678", "320102199001011234", "6222020200112233445")


def test_log_lines_never_carry_identifiers(caplog: pytest.LogCaptureFixture) -> None:
    logfilter.install()
    logfilter.install()  # idempotent
    log = logging.getLogger("fanzha.test")
    with caplog.at_level(logging.INFO):
        log.info("call from %s, id %s, paid to %s", *RAW)
        log.warning("GET /api/warnings?phone=+8613812345678 took 5 ms")
    text = caplog.text
    assert all(raw not in text for raw in RAW)
    assert "138****5678" in text
    assert "3201**********1234" in text
    assert "6222****3445" in text
    assert "5 ms" in text  # ordinary numbers pass
    assert logfilter.mask_text("warning 12345 at 2026-01-01") == "warning 12345 at 2026-01-01"
