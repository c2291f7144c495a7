"""Do the words of a message, chat or call transcript read like fraud?

Asks the context's text scorer (none configured: the detector stays silent). The cue phrases the
model found go into the evidence, with any run of digits masked, for the officer to read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fanzha.detection.context import DetectionContext
from fanzha.detection.detectors.base import Subject
from fanzha.detection.model import Signal
from fanzha.detection.state import KeyedState
from fanzha.event.codes import Direction
from fanzha.event.model import Call, Chat, Event, Sms
from fanzha.masking import mask_account

_DIGITS = re.compile(r"\d{5,}")
CUE_SEPARATOR = "｜"


def mask_cue(cue: str) -> str:
    """Mask digit runs that could identify a phone, account or ID (`6222****1234`)."""
    return _DIGITS.sub(lambda m: mask_account(m.group(0)), cue)


class FraudText:
    """[DESIGN] defaults: a text at or above `threshold` raises FRAUD_TEXT, at or above `high`
    FRAUD_TEXT_HIGH (the policy prices each)."""

    codes = frozenset({"FRAUD_TEXT", "FRAUD_TEXT_HIGH"})
    name = "fraud_text"

    def __init__(self, threshold: float = 0.7, high: float = 0.9) -> None:
        self.threshold, self.high = threshold, high

    def observe(
        self, event: Event, subject: Subject, state: KeyedState, ctx: DetectionContext
    ) -> Sequence[Signal]:
        scorer = ctx.text_scorer
        text, channel = _text_of(event)
        if scorer is None or not text or not text.strip():
            return ()
        verdict = scorer.score(text, cues_from=self.threshold)
        if verdict.fraud_type is None or verdict.probability < self.threshold:
            return ()
        high = verdict.probability >= self.high
        return (
            Signal(
                code="FRAUD_TEXT_HIGH" if high else "FRAUD_TEXT",
                detector=self.name,
                fraud_type=verdict.fraud_type,
                summary=f"{channel}内容疑似{verdict.fraud_type.label}话术",
                at=event.occurred_at,
                event_id=event.event_id,
                evidence={
                    "channel": channel,
                    "text_probability": round(verdict.probability * 100),
                    "cues": CUE_SEPARATOR.join(mask_cue(c) for c in verdict.cues),
                },
            ),
        )


def _text_of(event: Event) -> tuple[str | None, str]:
    if isinstance(event, Sms) and event.direction is Direction.IN:
        return event.text, "短信"
    if isinstance(event, Chat) and event.direction is Direction.IN:
        return event.text, "聊天"
    if isinstance(event, Call):
        return event.transcript, "通话"
    return None, ""
