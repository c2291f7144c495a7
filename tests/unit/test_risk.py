from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from fanzha.detection.model import Signal
from fanzha.event.codes import FraudType, RiskLevel
from fanzha.risk.policy import default_policy, load_policy
from fanzha.risk.scoring import assess

NOW = datetime(2026, 3, 1, tzinfo=UTC)
POLICY = load_policy(
    """
version: test-1
thresholds: {CRITICAL: 90, HIGH: 70, MEDIUM: 45, LOW: 25}
warn_level: MEDIUM
stop_payment_score: 95
weights: {A: 50, B: 50, C: 90, D: 10}
"""
)


def sig(code: str, fraud_type: FraudType = FraudType.UNKNOWN, minute: int = 0) -> Signal:
    return Signal(
        code=code,
        detector="d",
        fraud_type=fraud_type,
        summary=code,
        at=NOW.replace(minute=minute),
        event_id=f"e-{code}-{minute}",
    )


def score(*signals: Signal):
    return assess(
        subject_key="person:P1", person_id="P1", event_id="e", signals=signals, policy=POLICY, now=NOW
    )


def test_signals_combine_as_independent_evidence() -> None:
    assert score(sig("A")).score == 50
    assert score(sig("A"), sig("B")).score == 75  # 1 - 0.5 * 0.5
    assert score(sig("C"), sig("A"), sig("B")).score == 98


def test_the_same_code_counts_once() -> None:
    assert score(sig("A", minute=1), sig("A", minute=2), sig("A", minute=3)).score == 50


def test_levels_and_warning_and_stop_payment_cut_offs() -> None:
    low = score(sig("D"), sig("D"))
    assert low.level is None
    assert not low.warn
    medium = score(sig("A"))
    assert medium.level is RiskLevel.MEDIUM
    assert medium.warn
    assert not medium.propose_stop_payment
    critical = score(sig("C"), sig("A"))
    assert critical.level is RiskLevel.CRITICAL
    assert critical.propose_stop_payment
    assert critical.policy_version == "test-1"


def test_unknown_codes_weigh_nothing() -> None:
    assert score(sig("NOT_IN_POLICY")).score == 0


def test_reasons_are_strongest_first_and_fraud_type_follows_weight() -> None:
    result = score(sig("A", FraudType.LOAN), sig("C", FraudType.FAKE_AUTHORITY), sig("D", FraudType.LOAN))
    assert [r.code for r in result.reasons] == ["C", "A", "D"]
    assert result.fraud_type is FraudType.FAKE_AUTHORITY
    assert score(sig("A")).fraud_type is FraudType.UNKNOWN


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ("thresholds: {CRITICAL: 90, HIGH: 95, MEDIUM: 45, LOW: 25}", "fall strictly"),
        ("thresholds: {CRITICAL: 90, HIGH: 70, LOW: 25}", "exactly the levels"),
        (
            "thresholds: {CRITICAL: 90, HIGH: 70, MEDIUM: 45, LOW: 25}\nweights: {A: 150}",
            "less than or equal",
        ),
        ("thresholds: {CRITICAL: 90, HIGH: 70, MEDIUM: 45, LOW: 25}\nwarn_level: SEVERE", "warn_level"),
        ("thresholds: {CRITICAL: 90, HIGH: 70, MEDIUM: 45, LOW: 25}\nextra_key: 1", "Extra inputs"),
    ],
)
def test_invalid_policies_are_rejected_at_load(patch: str, message: str) -> None:
    text = "version: bad\nweights: {A: 10}\n" + patch
    with pytest.raises(ValidationError, match=message):
        load_policy(text)


def test_default_policy_loads_from_package_data() -> None:
    policy = default_policy()
    assert policy.version
    assert policy.warn_at is RiskLevel.LOW
