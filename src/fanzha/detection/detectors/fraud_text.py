"""Do the words of a message, chat or call transcript read like fraud?

Asks the context's text scorer (none configured: the detector stays silent). Only a fraud attempt
counts: the verdict's probability is of fraud, and spam or promotions (gambling, loan ads, invoices;
`TextVerdict.spam_probability`) never raise a warning. The cue phrases the model found go into the
evidence, with any run of digits masked, for the officer to read.

A fraud text followed, within the contact window, by a sizeable payment (≥ ¥500, not a card
purchase) to a new payee raises TRANSFER_AFTER_FRAUD_TEXT: the words were read and acted on.
Replying to its sender, calling back the number it names or opening its link raises
FRAUD_TEXT_REPLY / FRAUD_TEXT_LINK_VISIT (`text_engagement`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fanzha.detection.context import DetectionContext
from fanzha.detection.detectors.base import (
    Mark,
    Subject,
    established_payee,
    minutes_between,
    recall,
    sizeable_transfer,
    transfer_after_mark,
)
from fanzha.detection.detectors.text_engagement import engagement, remember_text
from fanzha.detection.model import Signal
from fanzha.detection.state import KeyedState
from fanzha.event.codes import Direction, FraudType
from fanzha.event.model import Call, Chat, Event, Sms, Transfer
from fanzha.masking import mask_account

_DIGITS = re.compile(r"\d{5,}")
CUE_SEPARATOR = "｜"


def mask_cue(cue: str) -> str:
    """Mask digit runs that could identify a phone, account or ID (`6222****1234`)."""
    return _DIGITS.sub(lambda m: mask_account(m.group(0)), cue)


class FraudText:
    """[DESIGN] defaults: a text at or above `threshold` raises FRAUD_TEXT, at or above `high`
    FRAUD_TEXT_HIGH (the policy prices each)."""

    codes = frozenset(
        {
            "FRAUD_TEXT",
            "FRAUD_TEXT_HIGH",
            "FRAUD_TEXT_REPLY",
            "FRAUD_TEXT_LINK_VISIT",
            "TRANSFER_AFTER_FRAUD_TEXT",
        }
    )
    name = "fraud_text"
    kinds = frozenset({"sms", "chat", "call", "url_visit", "transfer"})

    def __init__(self, threshold: float = 0.7, high: float = 0.9) -> None:
        self.threshold, self.high = threshold, high

    def observe(
        self, event: Event, subject: Subject, state: KeyedState, ctx: DetectionContext
    ) -> Sequence[Signal]:
        if isinstance(event, Transfer):
            return self._transfer(event, subject, state, ctx)
        engaged = self._engaged(event, subject, state, ctx)
        scorer = ctx.text_scorer
        text, channel = _text_of(event)
        if scorer is None or not text or not text.strip():
            return engaged
        verdict = scorer.score(text, cues_from=self.threshold)
        if verdict.fraud_type is None or verdict.probability < self.threshold:
            return engaged
        high = verdict.probability >= self.high
        mark = Mark(event.occurred_at, _sender(event), verdict.fraud_type.value, event.event_id)
        window = ctx.settings.contact_to_transfer
        remember_text(state, f"{self.name}:{subject.key}", mark, text, window)
        return (
            *engaged,
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

    def _transfer(
        self, event: Transfer, subject: Subject, state: KeyedState, ctx: DetectionContext
    ) -> Sequence[Signal]:
        key = f"{self.name}:{subject.key}"
        marks = recall(state, key, event.occurred_at, ctx.settings.contact_to_transfer)
        if not marks or established_payee(event, subject, state, f"{key}:payees", ctx):
            return ()
        if not sizeable_transfer(event, ctx):
            return ()
        return (
            transfer_after_mark(
                detector=self.name,
                code="TRANSFER_AFTER_FRAUD_TEXT",
                summary="收到疑似诈骗话术后向新收款人转账",
                mark_label="counterpart",
                transfer=event,
                mark=marks[-1],
            ),
        )

    def _engaged(
        self, event: Event, subject: Subject, state: KeyedState, ctx: DetectionContext
    ) -> tuple[Signal, ...]:
        found = engagement(state, f"{self.name}:{subject.key}", event, ctx.settings.contact_to_transfer)
        if found is None:
            return ()
        how, mark = found
        reply = how == "reply"
        return (
            Signal(
                code="FRAUD_TEXT_REPLY" if reply else "FRAUD_TEXT_LINK_VISIT",
                detector=self.name,
                fraud_type=FraudType(mark.fraud_type),
                summary="回复/回拨疑似诈骗信息" if reply else "打开疑似诈骗信息中的链接",
                at=event.occurred_at,
                event_id=event.event_id,
                evidence={
                    "counterpart" if reply else "link": mark.what.removeprefix("url:").removeprefix("tel:"),
                    "minutes_after": minutes_between(mark.at, event.occurred_at),
                    "mark_event_id": mark.event_id,
                },
            ),
        )


def _sender(event: Event) -> str:
    return event.counterpart if isinstance(event, Sms | Chat | Call) else ""


def _text_of(event: Event) -> tuple[str | None, str]:
    if isinstance(event, Sms) and event.direction is Direction.IN:
        return event.text, "短信"
    if isinstance(event, Chat) and event.direction is Direction.IN:
        return event.text, "聊天"
    if isinstance(event, Call):
        return event.transcript, "通话"
    return None, ""
