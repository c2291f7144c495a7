"""Chinese message, chat and call-transcript text for the simulated city.

This package is the one interface the simulator uses to put words into events, and the corpus
the default text model is trained on. Variety matters: the same call must be able to produce
thousands of distinct texts per fraud type, so a model trained on them learns the cues and not
the strings.

INTERFACE CONTRACT (kept stable for the simulator):
- `fraud_text(fraud_type, stage, channel, rng)` -> one text for that step of a fraud journey.
- `normal_text(topic, channel, rng)` -> one ordinary text (ads and notifications are normal).
Both are deterministic for a given `random.Random` state. Call transcripts are multi-turn,
one turn per line, prefixed "A：" (caller) and "B：" (callee).

The simulator's own tables are split by template (`compose.part_of`): the default model trains on
`Part.TRAIN`, the city draws from `Part.HELD_OUT` (the default here). `families.py` adds further
generator families in other registers (`sms.yaml`, `chats.yaml`) for training and cross-source tests.

The phrase tables live in `fraud.yaml` and `normal.yaml` next to this file (templates with
`{slot}` fillers and `[a|b]` alternatives); `compose.py` expands them and adds the surface noise of
real text (traditional characters, spacing, full-width digits, emoji, evasive spellings, typos).
"""

from __future__ import annotations

import random

from fanzha.corpus.compose import compose_fraud, compose_normal
from fanzha.corpus.families import FAMILIES, Sample, samples
from fanzha.corpus.kinds import Category, Channel, Part, Stage, Topic
from fanzha.event.codes import FraudType

__all__ = [
    "FAMILIES",
    "Category",
    "Channel",
    "Part",
    "Sample",
    "Stage",
    "Topic",
    "fraud_text",
    "normal_text",
    "samples",
]


def fraud_text(
    fraud_type: FraudType, stage: Stage, channel: Channel, rng: random.Random, part: Part = Part.HELD_OUT
) -> str:
    """One text for `stage` of a `fraud_type` journey on `channel`. By default from the held-out
    templates (the city's), which the default text model never trains on."""
    return compose_fraud(fraud_type, stage, channel, rng, part)


def normal_text(topic: Topic, channel: Channel, rng: random.Random, part: Part = Part.HELD_OUT) -> str:
    """One ordinary text on `topic` (ads, bank codes and anti-fraud publicity are all not fraud), by
    default from the held-out templates."""
    return compose_normal(topic, channel, rng, part)
