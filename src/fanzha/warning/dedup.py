"""One open warning per subject: a new assessment either opens a warning or enriches the open one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from fanzha.detection.state import KeyedState
from fanzha.event.codes import FraudType
from fanzha.risk.model import Assessment, Reason
from fanzha.risk.scoring import MAX_REASONS
from fanzha.warning.model import Warning, WarningStatus


def open_or_enrich(open_warning: Warning | None, assessment: Assessment) -> Warning | None:
    """The warning to save after `assessment`, or None when nothing changes.

    A new warning is opened only when the assessment says to warn, RECEIVED and without an owner (the
    workflow's intake decides who owns it). An open warning takes the new reasons, and its level and
    score only ever rise while it stays open.
    """
    level = assessment.level
    if open_warning is None:
        if not assessment.warn or level is None:
            return None
        return Warning(
            warning_id=None,
            subject_key=assessment.subject_key,
            person_id=assessment.person_id,
            unit_id=None,
            level=level,
            score=assessment.score,
            fraud_type=assessment.fraud_type,
            status=WarningStatus.RECEIVED,
            reasons=assessment.reasons,
            policy_version=assessment.policy_version,
            created_at=assessment.assessed_at,
            updated_at=assessment.assessed_at,
            first_event_id=assessment.event_id,
            last_event_id=assessment.event_id,
            signal_count=1,
            propose_stop_payment=assessment.propose_stop_payment,
        )
    raised = level is not None and level > open_warning.level
    return replace(
        open_warning,
        level=level if raised and level is not None else open_warning.level,
        score=max(open_warning.score, assessment.score),
        fraud_type=assessment.fraud_type
        if raised or open_warning.fraud_type is FraudType.UNKNOWN
        else open_warning.fraud_type,
        reasons=merge_reasons(open_warning.reasons, assessment.reasons),
        policy_version=assessment.policy_version,
        updated_at=max(open_warning.updated_at, assessment.assessed_at),
        last_event_id=assessment.event_id,
        signal_count=open_warning.signal_count + 1,
        propose_stop_payment=open_warning.propose_stop_payment or assessment.propose_stop_payment,
    )


def merge_reasons(old: tuple[Reason, ...], new: tuple[Reason, ...]) -> tuple[Reason, ...]:
    """Union of reasons, one per (code, event), strongest first, capped."""
    by_key = {(r.code, r.event_id): r for r in (*old, *new)}
    ordered = sorted(by_key.values(), key=lambda r: (-r.weight, r.at))
    return tuple(ordered[: MAX_REASONS * 2])


@dataclass(frozen=True, slots=True)
class ShadowDecision:
    """What a policy would have done with one assessment, had it been active (shadow and backtest)."""

    assessment: Assessment
    opens: bool  # would have opened a new warning
    raises: bool  # would have raised the level of its open warning


def virtual_warning(
    state: KeyedState, assessment: Assessment, at: datetime, window: timedelta
) -> ShadowDecision:
    """Track one open warning per subject and policy in keyed state, without a store or officers.

    A virtual warning stays open while signals keep coming; once a whole policy window passes
    without one, the episode is over and the next warning-worthy assessment opens a new one."""
    key = f"shadow:{assessment.policy_version}:{assessment.subject_key}"
    stored = state.get(key)
    level = assessment.level
    if not isinstance(stored, int):
        if not assessment.warn or level is None:
            return ShadowDecision(assessment, opens=False, raises=False)
        state.put(key, int(level), at + window)
        return ShadowDecision(assessment, opens=True, raises=False)
    raised = level is not None and int(level) > stored
    state.put(key, int(level) if raised and level is not None else stored, at + window)
    return ShadowDecision(assessment, opens=False, raises=raised)
