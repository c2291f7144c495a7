"""Generator families: independent sources of labelled text, each in its own register.

- `city`: the simulator's phrase tables (`fraud.yaml`, `normal.yaml`): scripts per fraud type and
  stage, everyday messages; its `ad` topic is spam, and so is the hook of a fake loan (an ad for
  easy credit: what makes it fraud is the fee asked later, and a real loan ad reads the same).
- `sms`: `sms.yaml`, institutional SMS: bank, operator and government notices, marketing with
  回T退订, licensed loan ads, gambling and other illegal promotions, and phishing in the notices'
  own polite register.
- `chat`: `chats.yaml`, WeChat/QQ conversations rendered as OCR'd screenshots or hand-typed, fraud
  and innocent (shopping, games, dating, family, work, second-hand trade).

Every family labels each text with a `Category` (fraud / spam / normal) and, for fraud, a type, so
that a model can be trained on some families and tested on one it never saw (`text crosseval`).
Real corpora replace numbers, links and names with placeholders (DIGIT, PHONE, URL, xxx, ***,
NAME); `anonymise` does the same to a share of every family's texts, fraud and not alike.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

from fanzha.corpus.compose import compose_fraud, compose_normal, expand, part_of, tables
from fanzha.corpus.kinds import Category, Channel, Part, Stage, Topic
from fanzha.corpus.noise import add_noise
from fanzha.corpus.ocr import render_chat
from fanzha.event.codes import FraudType

CITY, SMS, CHAT = "city", "sms", "chat"
FAMILIES = (CITY, SMS, CHAT)
_FILES = {SMS: "sms", CHAT: "chats"}
ANONYMISED_SHARE = 0.35

_LINK = re.compile(r"(?:https?://|www\.)[\w./?=&%#*-]+|[a-z0-9-]+\.(?:com|cn|net|top|xyz|vip|cc|shop|info|club|ly)"
                   r"(?:/[\w./?=&%#*-]*)?", re.IGNORECASE)  # fmt: skip
_PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d[\d*X]{4}\d{4}|400-?\d{3}-?\d{4}|0\d{2,3}-\d{7,8}|\+\d{9,12})(?!\d)")
_DIGITS = re.compile(r"\d{3,}")


@dataclass(frozen=True, slots=True)
class Sample:
    """One generated text with its labels and the family that wrote it."""

    text: str
    category: Category
    fraud_type: FraudType | None
    family: str


def anonymise(text: str, rng: random.Random) -> str:
    """Placeholders as public corpora write them: links, phones, digit runs, sometimes names."""
    text = _LINK.sub(lambda _: rng.choice(("URL", "[URL]", "URL", "网址", "xxx")), text)
    text = _PHONE.sub(lambda _: rng.choice(("PHONE", "CELLPHONE", "DIGIT", "xxxxxxxxxxx", "***")), text)
    return _DIGITS.sub(lambda _: rng.choice(("DIGIT", "DIGIT", "xxx", "XXXX", "***")), text)


def family_sample(family: str, rng: random.Random, part: Part = Part.ALL) -> Sample:
    """One text of `family` (`sms` or `chat`), its group drawn by weight."""
    data = tables(_FILES[family])
    groups: dict[str, Any] = data["groups"]
    names = list(groups)
    name = rng.choices(names, weights=[groups[n].get("weight", 1) for n in names])[0]
    group = groups[name]
    pools = {**data["slots"], **(group.get("slots") or {})}
    if family == CHAT:
        turns = []
        for beat in group["beats"]:
            choice = expand(rng.choice(part_of(beat, part)), pools, rng)
            turns += [t.strip() for t in choice.split("||") if t.strip()]
        text = render_chat(turns, rng)
    else:
        text = add_noise(expand(rng.choice(part_of(group["templates"], part)), pools, rng), "sms", rng)
    if rng.random() < ANONYMISED_SHARE:
        text = anonymise(text, rng)
    category = Category(group["category"])
    return Sample(text, category, FraudType(group["type"]) if category is Category.FRAUD else None, family)


def city_samples(rng: random.Random, per_type: int, per_topic: int, part: Part = Part.ALL) -> list[Sample]:
    """The simulator's tables: every fraud type × stage × channel, every normal topic (ads are spam)."""
    out: list[Sample] = []
    stages, channels = tuple(Stage), tuple(Channel)
    for fraud_type in FraudType:
        for i in range(per_type):
            stage, channel = stages[i % len(stages)], channels[(i // len(stages)) % len(channels)]
            text = _maybe_anonymised(compose_fraud(fraud_type, stage, channel, rng, part), rng)
            if fraud_type is FraudType.LOAN and stage is Stage.HOOK:  # a loan ad, until fees are asked
                out.append(Sample(text, Category.SPAM, None, CITY))
            else:
                out.append(Sample(text, Category.FRAUD, fraud_type, CITY))
    for topic in Topic:
        category = Category.SPAM if topic is Topic.AD else Category.NORMAL
        for i in range(per_topic):
            text = compose_normal(topic, channels[i % len(channels)], rng, part)
            out.append(Sample(_maybe_anonymised(text, rng), category, None, CITY))
    return out


def _maybe_anonymised(text: str, rng: random.Random) -> str:
    return anonymise(text, rng) if rng.random() < ANONYMISED_SHARE else text


def samples(family: str, n: int, rng: random.Random, part: Part = Part.ALL) -> list[Sample]:
    """`n` texts of one family (for `city`: about `n`, spread over types and topics)."""
    if family == CITY:
        per = max(1, n // (2 * len(FraudType)))
        return city_samples(rng, per, max(1, n // (2 * len(Topic))), part)
    return [family_sample(family, rng, part) for _ in range(n)]
