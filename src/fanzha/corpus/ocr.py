"""Chats as they reach a centre: text recognised from WeChat/QQ screenshots, or typed by hand.

A screenshot brings the title bar, times between messages, [图片]/[语音] stubs, sometimes the
sender's name above a bubble, the input bar at the bottom, and the recogniser's mistakes (look-alike
characters, lost or split lines). Typed copies lose all of that and gain typos. Fraud and innocent
chats go through the same rendering, so none of it is a cue.
"""

from __future__ import annotations

import random

from fanzha.corpus.noise import add_noise

_LOOK_ALIKE = tuple(zip("已未人天01是钱账转款码的么", "己末入夭Ol昰践帐专欵玛旳幺", strict=True))
_STUBS = (
    "[图片]",
    '[语音] 5"',
    "[表情]",
    "[动画表情]",
    "[视频]",
    "[链接]",
    "[文件]",
    "对方正在输入...",
    "撤回了一条消息",
    "已读",
    "[红包]恭喜发财，大吉大利",
    "你已添加了对方，现在可以开始聊天了。",
    "以上是打招呼的内容",
)
_TITLES = ("< 微信", "<", "< 返回", "QQ", "聊天信息", "…")
_FOOTERS = ("发送", "按住 说话", "+", "☺ +", "")
_NAMES = (
    "小王",
    "阿杰",
    "客服小美",
    "Lily",
    "A.静静",
    "🌸花开",
    "张姐",
    "李哥",
    "接待-小雨",
    "老师",
    "晴天",
    "Mr.陈",
)


def _clock(rng: random.Random) -> str:
    hour, minute = rng.randint(0, 23), rng.randint(0, 59)
    prefix = rng.choice(
        ("", "", "昨天 ", "星期三 ", "上午", "下午", f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日 ")
    )
    return f"{prefix}{hour}:{minute:02d}"


def _misread(line: str, rng: random.Random) -> str:
    for _ in range(rng.randint(0, 2)):
        old, new = rng.choice(_LOOK_ALIKE)
        line = line.replace(old, new, 1)
    return line


def render_chat(turns: list[str], rng: random.Random) -> str:
    """One conversation: `turns` ("我：…" is the owner) as a screenshot's text or a typed copy."""
    if rng.random() < 0.4:  # typed by hand: speakers sometimes marked, typos
        mine, theirs = rng.choice(
            (("我：", "对方："), ("我:", "他:"), ("", ""), ("B：", "A："), ("我：", ""))
        )
        lines = [(mine + t[2:]) if t.startswith("我：") else theirs + t for t in turns]
        return add_noise(rng.choice(("\n", " ", "，")).join(lines), "chat", rng)
    name = rng.choice(_NAMES)
    lines = [f"{rng.choice(_TITLES)} {name}".strip()] if rng.random() < 0.6 else []
    group = rng.random() < 0.2
    for turn in turns:
        if rng.random() < 0.35:
            lines.append(_clock(rng))
        own = turn.startswith("我：")
        text = turn[2:] if own else turn
        if group and not own:
            lines.append(name)
        if rng.random() < 0.08:
            lines.append(rng.choice(_STUBS))
        if len(text) > 14 and rng.random() < 0.3:  # a long bubble recognised as two lines
            cut = rng.randrange(6, len(text) - 4)
            lines += [_misread(text[:cut], rng), _misread(text[cut:], rng)]
        else:
            lines.append(_misread(text, rng))
    lines.append(rng.choice(_FOOTERS))
    return add_noise("\n".join(line for line in lines if line), "chat", rng)
