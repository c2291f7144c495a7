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

The phrase tables live in `fraud.yaml` and `normal.yaml` next to this file (templates with
`{slot}` fillers and `[a|b]` alternatives); `compose.py` expands them and adds the surface noise of
real text (traditional characters, spacing, full-width digits, emoji, evasive spellings, typos).
"""

from __future__ import annotations

import random

from fanzha.corpus.compose import compose_fraud, compose_normal
from fanzha.corpus.kinds import Channel, Stage, Topic
from fanzha.event.codes import FraudType

__all__ = ["Channel", "Stage", "Topic", "fraud_text", "normal_text"]


def fraud_text(fraud_type: FraudType, stage: Stage, channel: Channel, rng: random.Random) -> str:
    """One text for `stage` of a `fraud_type` journey on `channel`."""
    return compose_fraud(fraud_type, stage, channel, rng)


def normal_text(topic: Topic, channel: Channel, rng: random.Random) -> str:
    """One ordinary text on `topic` (spam, ads, bank codes and anti-fraud publicity are all normal)."""
    return compose_normal(topic, channel, rng)
