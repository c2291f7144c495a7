"""Deadlines per level (§3.7 defaults) and the KPIs (§3.8) on a hand-computed case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from fanzha.event.codes import RiskLevel
from fanzha.warning.deadlines import deadlines_for, default_config, is_overdue, load_config
from fanzha.warning.kpis import Flag, WarningFacts, compute, flags
from fanzha.warning.lifecycle import DeadlineKind, Outcome

T = datetime(2026, 3, 1, 9, tzinfo=UTC)
K = DeadlineKind


def _minutes(level: RiskLevel) -> dict[DeadlineKind, float]:
    return {d.kind: (d.due_at - T) / timedelta(minutes=1) for d in deadlines_for(level, T, default_config())}


def test_default_deadlines_per_level() -> None:
    assert _minutes(RiskLevel.CRITICAL) == {K.SIGN: 1, K.CONTACT: 3, K.MEET: 30, K.FEEDBACK: 120}
    assert _minutes(RiskLevel.HIGH) == {K.SIGN: 5, K.CONTACT: 15, K.MEET: 120, K.FEEDBACK: 1440}
    assert _minutes(RiskLevel.MEDIUM) == {K.SIGN: 30, K.CONTACT: 1440, K.FEEDBACK: 2880}
    assert _minutes(RiskLevel.LOW) == {K.SIGN: 1440, K.CONTACT: 1440, K.FEEDBACK: 4320}
    dues = deadlines_for(RiskLevel.CRITICAL, T, default_config())
    assert [d.due_at for d in dues] == sorted(d.due_at for d in dues)


def test_config_is_validated_and_changeable() -> None:
    text = """
version: t1
sla_minutes:
  CRITICAL: {SIGN: 0.5, CONTACT: 2, MEET: null, FEEDBACK: 60}
  HIGH: {SIGN: 5, CONTACT: 15, MEET: 120, FEEDBACK: 1440}
  MEDIUM: {SIGN: 30, CONTACT: 1440, MEET: null, FEEDBACK: 2880}
  LOW: {SIGN: 1440, CONTACT: 1440, MEET: null, FEEDBACK: 4320}
meet_rate_denominator: HIGH_PLUS
"""
    config = load_config(text)
    assert config.sla(RiskLevel.CRITICAL, K.SIGN) == timedelta(seconds=30)
    assert config.sla(RiskLevel.CRITICAL, K.MEET) is None
    with pytest.raises(ValidationError):
        load_config(text.replace("  LOW: {SIGN: 1440, CONTACT: 1440, MEET: null, FEEDBACK: 4320}\n", ""))
    with pytest.raises(ValidationError):
        load_config(text.replace("SIGN: 0.5", "SIGN: -1"))
    with pytest.raises(ValueError, match="aware"):
        deadlines_for(RiskLevel.LOW, T.replace(tzinfo=None), config)


def test_overdue() -> None:
    due = T + timedelta(minutes=5)
    assert not is_overdue(due, None, T)
    assert is_overdue(due, None, due + timedelta(seconds=1))
    assert is_overdue(due, due + timedelta(seconds=1), due + timedelta(hours=1))
    assert not is_overdue(due, due, due + timedelta(hours=1))


def _f(i: int, level: RiskLevel, **kw: object) -> WarningFacts:
    base: dict[str, object] = {
        "warning_id": i,
        "unit_id": "S1",
        "level": level,
        "assigned_at": T,
        "sign_due": T + timedelta(minutes=5),
        "contact_due": T + timedelta(minutes=15),
    }
    return WarningFacts(**(base | kw))  # type: ignore[arg-type]


M = timedelta(minutes=1)
CASE = [
    # 1: signed on time, contacted on time, met, success.
    _f(
        1,
        RiskLevel.HIGH,
        signed_at=T + M,
        first_contact_at=T + 2 * M,
        reached=True,
        met=True,
        outcome=Outcome.SUCCESS_NO_LOSS,
        outcome_at=T + 60 * M,
        closed=True,
    ),
    # 2: signed late, contacted late, phone only, partial success.
    _f(
        2,
        RiskLevel.HIGH,
        signed_at=T + 10 * M,
        first_contact_at=T + 20 * M,
        reached=True,
        outcome=Outcome.SUCCESS_PARTIAL,
        outcome_at=T + 90 * M,
        closed=True,
    ),
    # 3: not fraud.
    _f(
        3,
        RiskLevel.MEDIUM,
        signed_at=T + M,
        first_contact_at=T + 3 * M,
        reached=True,
        outcome=Outcome.NOT_FRAUD,
        outcome_at=T + 30 * M,
        closed=True,
    ),
    # 4: defrauded although contacted (劝阻后发案), within the window.
    _f(
        4,
        RiskLevel.CRITICAL,
        signed_at=T + M,
        first_contact_at=T + 4 * M,
        met=True,
        reached=True,
        outcome=Outcome.DEFRAUDED,
        outcome_at=T + 24 * 60 * M,
    ),
    # 5: never signed nor contacted (超期未劝阻).
    _f(5, RiskLevel.LOW),
    # 6: duplicate: not in W.
    _f(6, RiskLevel.HIGH, outcome=Outcome.DUPLICATE, closed=True),
]


def test_kpis_on_a_hand_computed_case() -> None:
    k = compute(CASE, default_config())
    assert k.warnings == 5
    assert (k.sign_rate.numerator, k.sign_rate.denominator) == (4, 5)
    assert (k.on_time_sign_rate.numerator, k.on_time_sign_rate.denominator) == (3, 5)
    assert (k.contact_rate.numerator, k.on_time_rate.numerator) == (4, 3)
    assert (k.meet_rate.numerator, k.meet_rate.denominator) == (2, 5)
    assert "W" in k.meet_rate.denominator_label
    assert (k.success_rate.numerator, k.success_rate.denominator) == (2, 4)  # 5 − 1 NOT_FRAUD
    assert (k.success_rate_plain.numerator, k.success_rate_plain.denominator) == (2, 5)
    assert (k.victimisation_rate.numerator, k.victimisation_rate.denominator) == (1, 5)
    assert (k.precision.numerator, k.precision.denominator) == (2, 3)
    assert k.meet_rate.value == pytest.approx(0.4)


def test_meet_rate_denominator_is_configurable() -> None:
    config = default_config().model_copy(update={"meet_rate_denominator": "HIGH_PLUS"})
    k = compute(CASE, config)
    assert (k.meet_rate.numerator, k.meet_rate.denominator) == (2, 3)  # warnings 1, 2, 4
    assert "高危" in k.meet_rate.denominator_label


def test_supervision_flags() -> None:
    now = T + timedelta(hours=2)
    assert flags(CASE[0], now) == []
    assert flags(CASE[1], now) == [Flag.LATE]
    assert flags(CASE[3], now) == [Flag.CASE_AFTER]
    assert flags(CASE[4], now) == [Flag.OVERDUE]
    assert flags(CASE[4], T) == []
    no_contact = _f(7, RiskLevel.HIGH, outcome=Outcome.DEFRAUDED, closed=True)
    assert flags(no_contact, now) == [Flag.CASE_WITHOUT]


def test_empty_period_has_no_rates() -> None:
    k = compute([], default_config())
    assert k.warnings == 0
    assert k.sign_rate.value is None
