"""Signals → score, level, fraud type and reasons."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from fanzha.detection.model import Signal
from fanzha.event.codes import FraudType
from fanzha.risk.model import Assessment, Reason
from fanzha.risk.policy import Policy

MAX_REASONS = 5


def assess(
    *,
    subject_key: str,
    person_id: str | None,
    event_id: str,
    signals: Iterable[Signal],
    policy: Policy,
    now: datetime,
) -> Assessment:
    """Score the signals of one subject's window: the strongest signal per code counts once,
    and the codes combine as independent evidence (noisy-OR), so the score stays within 0-100."""
    strongest: dict[str, Reason] = {}
    for signal in signals:
        reason = _reason(signal, policy.weights.get(signal.code, 0))
        known = strongest.get(signal.code)
        if known is None or (reason.weight, reason.at) > (known.weight, known.at):
            strongest[signal.code] = reason
    miss = 1.0
    for reason in strongest.values():
        miss *= 1.0 - reason.weight / 100.0
    score = round(100 * (1.0 - miss))
    level = policy.level_for(score)
    reasons = tuple(sorted(strongest.values(), key=lambda r: (-r.weight, r.at)))[:MAX_REASONS]
    return Assessment(
        subject_key=subject_key,
        person_id=person_id,
        event_id=event_id,
        score=score,
        level=level,
        fraud_type=likely_fraud_type(strongest.values()),
        reasons=reasons,
        policy_version=policy.version,
        assessed_at=now,
        warn=level is not None and level >= policy.warn_at,
        propose_stop_payment=score >= policy.stop_payment_score,
    )


def likely_fraud_type(reasons: Iterable[Reason]) -> FraudType:
    """The known fraud type with the most weight behind it, else UNKNOWN."""
    totals: dict[FraudType, int] = {}
    for reason in reasons:
        if reason.fraud_type is not FraudType.UNKNOWN:
            totals[reason.fraud_type] = totals.get(reason.fraud_type, 0) + reason.weight
    if not totals:
        return FraudType.UNKNOWN
    return max(totals.items(), key=lambda kv: (kv[1], kv[0].value))[0]


def _reason(signal: Signal, weight: int) -> Reason:
    return Reason(
        code=signal.code,
        summary=signal.summary,
        weight=weight,
        fraud_type=signal.fraud_type,
        at=signal.at,
        event_id=signal.event_id,
        evidence=dict(signal.evidence),
    )
