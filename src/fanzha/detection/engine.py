"""Run every registered detector over one event."""

from __future__ import annotations

from collections.abc import Iterable

from fanzha.detection.context import DetectionContext
from fanzha.detection.detectors.base import Detector, Subject
from fanzha.detection.model import Signal
from fanzha.detection.registry import DETECTORS
from fanzha.detection.state import KeyedState
from fanzha.event.model import Event


def detect(
    event: Event,
    subject: Subject,
    state: KeyedState,
    ctx: DetectionContext,
    detectors: Iterable[Detector] | None = None,
) -> tuple[Signal, ...]:
    """All signals the detectors raise for `event`, in registry order."""
    signals: list[Signal] = []
    for detector in detectors if detectors is not None else DETECTORS.values():
        signals.extend(detector.observe(event, subject, state, ctx))
    return tuple(signals)
