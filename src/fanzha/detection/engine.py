"""Run the detectors over one event, keeping the payer's payment norm up to date."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from fanzha.detection.context import DetectionContext
from fanzha.detection.detectors.base import Detector, Subject
from fanzha.detection.model import Signal
from fanzha.detection.profile import PaymentProfile
from fanzha.detection.registry import DETECTORS
from fanzha.detection.state import KeyedState
from fanzha.event.model import EVENT_KINDS, Event, Transfer


@lru_cache(maxsize=64)
def by_kind(detectors: tuple[Detector, ...]) -> dict[str, tuple[Detector, ...]]:
    """For each event kind, the detectors that read it (in the given order)."""
    plan: dict[str, tuple[Detector, ...]] = {}
    for kind in EVENT_KINDS:
        plan[kind] = tuple(d for d in detectors if kind in getattr(d, "kinds", EVENT_KINDS))
    return plan


def profile_key(subject_key: str) -> str:
    return f"norm:{subject_key}"


def detect(
    event: Event,
    subject: Subject,
    state: KeyedState,
    ctx: DetectionContext,
    detectors: Iterable[Detector] | None = None,
) -> tuple[Signal, ...]:
    """All signals the detectors raise for `event`, in the given (default: registry) order.

    For a transfer, the detectors see the payer's payment profile as it was before this payment;
    afterwards the profile takes the payment in.
    """
    chosen = tuple(detectors) if detectors is not None else tuple(DETECTORS.values())
    plan = by_kind(chosen)[event.kind]
    profile: PaymentProfile | None = None
    if isinstance(event, Transfer):
        stored = state.get(profile_key(subject.key))
        settings = ctx.settings
        profile = (
            PaymentProfile.decode(stored) if isinstance(stored, bytes) else PaymentProfile.prior(settings)
        )
        subject = replace(subject, profile=profile)
    signals: list[Signal] = []
    for detector in plan:
        signals.extend(detector.observe(event, subject, state, ctx))
    if profile is not None and isinstance(event, Transfer):
        updated = profile.after(event.payee_account, event.amount_fen, ctx.settings)
        state.put(profile_key(subject.key), updated.encode(), event.occurred_at + ctx.settings.norm_keep)
    return tuple(signals)
