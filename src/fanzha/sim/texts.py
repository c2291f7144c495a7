"""Chinese message, chat and call-transcript text for the simulated city.

This module is the one interface the simulator uses to put words into events, and the corpus
the default text model is trained on. Variety matters: the same call must be able to produce
thousands of distinct texts per fraud type, so a model trained on them learns the cues and not
the strings.

INTERFACE CONTRACT (kept stable for the simulator):
- `fraud_text(fraud_type, stage, channel, rng)` -> one text for that step of a fraud journey.
- `normal_text(topic, channel, rng)` -> one ordinary text (ads and notifications are normal).
Both are deterministic for a given `random.Random` state. Call transcripts are multi-turn,
one turn per line, prefixed "A：" (caller) and "B：" (callee).
"""

from __future__ import annotations

import random
from enum import StrEnum

from fanzha.event.codes import FraudType


class Stage(StrEnum):
    """Steps of a fraud journey, in order."""

    HOOK = "hook"
    GROOMING = "grooming"
    APP = "app"
    PAYMENT = "payment"
    ESCALATION = "escalation"


class Channel(StrEnum):
    SMS = "sms"
    CHAT = "chat"
    CALL = "call"


class Topic(StrEnum):
    """What an ordinary message is about."""

    FAMILY = "family"
    WORK = "work"
    AD = "ad"
    NOTIFICATION = "notification"
    DELIVERY = "delivery"
    BANK = "bank"
    SERVICE = "service"


def fraud_text(fraud_type: FraudType, stage: Stage, channel: Channel, rng: random.Random) -> str:
    """One text for `stage` of a `fraud_type` journey on `channel` (placeholder until issue 5)."""
    opener = "A：" if channel is Channel.CALL else ""
    return f"{opener}{fraud_type.label}{rng.randint(1, 9)}：请按提示操作。"


def normal_text(topic: Topic, channel: Channel, rng: random.Random) -> str:
    """One ordinary text on `topic` (placeholder until issue 5)."""
    opener = "A：" if channel is Channel.CALL else ""
    return f"{opener}{topic.value}{rng.randint(1, 9)}：今天天气不错。"
