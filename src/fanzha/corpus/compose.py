"""Expand the phrase tables into texts: pick templates, fill slots, shape per channel, add noise."""

from __future__ import annotations

import random
import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

from fanzha.corpus.kinds import Channel, Part, Stage, Topic
from fanzha.corpus.noise import add_noise
from fanzha.corpus.slots import generated_slot
from fanzha.event.codes import FraudType

_SLOT = re.compile(r"\{([a-z_]+)\}")
_CHOICE = re.compile(r"\[([^\[\]]*)\]")


@cache
def tables(name: str) -> dict[str, Any]:
    """The phrase table `name` (`fraud` or `normal`), loaded once from the package."""
    text = resources.files("fanzha.corpus").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return loaded


def expand(template: str, pools: dict[str, list[str]], rng: random.Random, depth: int = 0) -> str:
    """Resolve `[a|b|c]` alternatives (innermost first), then `{slot}` fillers (recursively)."""
    while True:
        out = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), template)
        if out == template:
            break
        template = out

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in pools:
            value = rng.choice(pools[name])
            return expand(value, pools, rng, depth + 1) if depth < 3 else value
        return generated_slot(name, rng)

    return _SLOT.sub(fill, template)


def _pools(table: dict[str, Any], shared: dict[str, list[str]]) -> dict[str, list[str]]:
    """Shared pools overridden by the table's own (empty lists dropped), plus its caller intros."""
    pools = {**shared, **{k: v for k, v in (table.get("slots") or {}).items() if v}}
    if table.get("caller_intro"):
        pools["caller_intro"] = table["caller_intro"]
    return pools


def _type_table(fraud_type: FraudType) -> dict[str, Any]:
    types: dict[str, Any] = tables("fraud")["types"]
    table: dict[str, Any] = types.get(fraud_type.value) or types["UNKNOWN"]
    return table


def part_of(templates: list[str], part: Part) -> list[str]:
    """The templates of one phrase list that `part` may use. Every third template (index 2, 5, 8 …) is
    held out for the city; of a list of two, the second; a list of one is shared by both parts."""
    if part is Part.ALL or len(templates) < 2:
        return templates
    held = [i % 3 == 2 if len(templates) >= 3 else i == 1 for i in range(len(templates))]
    keep = part is Part.HELD_OUT
    return [t for t, is_held in zip(templates, held, strict=True) if is_held == keep]


def compose_fraud(
    fraud_type: FraudType, stage: Stage, channel: Channel, rng: random.Random, part: Part = Part.ALL
) -> str:
    data = tables("fraud")
    table = _type_table(fraud_type)
    pools = _pools(table, data["slots"])
    lines = part_of(table.get(stage.value) or table["grooming"], part)
    if channel is Channel.CALL:
        text = _call(lines, data["replies"][stage.value], pools, rng)
    else:
        first = rng.choice(lines)
        text = expand(first, pools, rng)
        if len(lines) > 1 and rng.random() < 0.35:  # a second sentence of the same step
            other = rng.choice([line for line in lines if line != first])
            text += rng.choice(("，", "。", "！", " ", "")) + expand(other, pools, rng)
        text = _frame(text, channel, table, pools, rng)
    return add_noise(text, channel, rng)


def _call(lines: list[str], replies: list[str], pools: dict[str, list[str]], rng: random.Random) -> str:
    """A multi-turn transcript: the caller's lines from `lines`, the callee's from `replies`."""
    turns: list[str] = []
    for i in range(rng.randint(1, 3)):
        if i or rng.random() < 0.5:
            turns.append("A：" + expand(rng.choice(lines), pools, rng))
        else:
            turns.append("A：" + expand("[喂，|您好，|喂你好，|]{caller_intro}", pools, rng))
        turns.append("B：" + expand(rng.choice(replies), pools, rng))
    if rng.random() < 0.5:
        turns.append("A：" + expand(rng.choice(lines), pools, rng))
    return "\n".join(turns)


def _frame(
    text: str, channel: Channel, table: dict[str, Any], pools: dict[str, list[str]], rng: random.Random
) -> str:
    """SMS may carry a 【sender】 tag and an opt-out tail; chats may open with a greeting."""
    if channel is Channel.SMS and table.get("senders") and rng.random() < 0.5:
        text = "【" + expand(rng.choice(table["senders"]), pools, rng) + "】" + text
        if rng.random() < 0.2:
            text += rng.choice(("回T退订", "拒收请回复R", "退订回TD"))
    elif channel is Channel.CHAT and rng.random() < 0.3:
        text = rng.choice(("在吗？", "在不", "你好，", "哈喽~", "亲，", "打扰一下，")) + text
    return text


def compose_normal(topic: Topic, channel: Channel, rng: random.Random, part: Part = Part.ALL) -> str:
    data = tables("normal")
    table = data["topics"][topic.value]
    pools = _pools(table, data["slots"])
    options = part_of(table.get(channel.value) or table["any"], part)
    if channel is Channel.CALL:
        template = rng.choice(part_of(table.get("call") or table["any"], part))
        turns = [t.strip() for t in template.split("||")]
        if len(turns) == 1:
            turns.append(rng.choice(data["call_replies"]))
        text = "\n".join(("A：", "B：")[i % 2] + expand(t, pools, rng) for i, t in enumerate(turns))
    else:
        text = expand(rng.choice(options), pools, rng)
        if table.get("senders") and channel is Channel.SMS and rng.random() < 0.7:
            text = "【" + expand(rng.choice(table["senders"]), pools, rng) + "】" + text
    return add_noise(text, channel, rng)
