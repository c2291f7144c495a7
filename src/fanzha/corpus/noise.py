"""The surface mess of real text, applied to fraud and normal texts alike (so that it is no cue):
traditional characters, spaced-out or symbol-split keywords, evasive spellings, full-width digits,
emoji, typos and masked digits."""

from __future__ import annotations

import random
import re

# Simplified → traditional for common characters (a small hand table; enough for variety).
_S = (
    "这个们说时会对发过还进关门开来问间实现点种经员钱银账户"
    "转帐汇请联系号码电话费贷款险保单订购买卖货务网络机会议"
)
_T = (
    "這個們說時會對發過還進關門開來問間實現點種經員錢銀賬戶"
    "轉帳匯請聯繫號碼電話費貸款險保單訂購買賣貨務網絡機會議"
)
_S2 = "长乐东车书见认让识诉证审检验冻结资产结算领导亲爱红奖励积分清专业务优惠级动态龙凤台应处理报复杂观览读"
_T2 = "長樂東車書見認讓識訴證審檢驗凍結資產結算領導親愛紅獎勵積分清專業務優惠級動態龍鳳臺應處理報複雜觀覽讀"
TO_TRADITIONAL = str.maketrans(_S + _S2, _T + _T2)
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_EVASIONS = {
    "微信": ("V信", "威信", "薇信", "vx", "wx", "微 信", "VX"),
    "QQ": ("扣扣", "qq", "Q Q", "企鹅"),
    "支付宝": ("zfb", "支 付 宝", "支附宝"),
    "转账": ("转帐", "转z", "zhuan账"),
    "银行卡": ("银行k", "yhk", "银行卡"),
    "验证码": ("验正码", "yzm", "驗證碼"),
    "加": ("+", "➕", "家"),
    "兼职": ("兼zhi", "jianzhi", "兼織"),
    "贷款": ("带款", "dai款", "贷kuan"),
}
_TYPOS = (("账", "帐"), ("在", "再"), ("的", "得"), ("已", "以"), ("吗", "嘛"), ("您", "你"))
_EMOJI = ("😊", "👍", "🙏", "🔥", "💰", "❤️", "😂", "🎁", "✅", "⚠️", "👉", "🧧", "😭", "🤝", "🌹")
_DIGIT_RUN = re.compile(r"\d{4,}")
_KEYWORD = re.compile(r"[\u4e00-\u9fff]{4}")


def add_noise(text: str, channel: str, rng: random.Random) -> str:
    """Apply each kind of mess with its own small probability."""
    if rng.random() < 0.1:
        text = _evade(text, rng)
    if rng.random() < 0.06:
        text = _split_keyword(text, rng)
    if rng.random() < 0.05:
        old, new = rng.choice(_TYPOS)
        text = text.replace(old, new, 1)
    if rng.random() < 0.05:
        text = _DIGIT_RUN.sub(lambda m: rng.choice(("XXXX", "****", "xxxxxx", "DIGIT")), text, count=1)
    if rng.random() < 0.05:
        text = text.translate(_FULL_WIDTH)
    roll = rng.random()
    if roll < 0.06:
        text = text.translate(TO_TRADITIONAL)
    elif roll < 0.09:
        cut = rng.randrange(len(text) + 1)
        text = text[:cut] + text[cut:].translate(TO_TRADITIONAL)
    if rng.random() < (0.3 if channel == "chat" else 0.08):
        text = _emoji(text, rng)
    if rng.random() < 0.04:
        text = "\n".join(_spaced(line, rng) for line in text.split("\n"))
    return text


def _spaced(line: str, rng: random.Random) -> str:
    """Spaces between words, as in ASR output or hand-typed text (speaker tags stay intact)."""
    head, line = (line[:2], line[2:]) if line[1:2] == "：" else ("", line)
    parts, i = [], 0
    while i < len(line):
        step = rng.randint(1, 4)
        parts.append(line[i : i + step])
        i += step
    return head + " ".join(parts)


def _evade(text: str, rng: random.Random) -> str:
    present = [word for word in _EVASIONS if word in text]
    if not present:
        return text
    word = rng.choice(present)
    return text.replace(word, rng.choice(_EVASIONS[word]), 1)


def _split_keyword(text: str, rng: random.Random) -> str:
    words = _KEYWORD.findall(text)
    if not words:
        return text
    word = rng.choice(words)
    sep = rng.choice((" ", "-", "*", "/", "、", " "))
    return text.replace(word, sep.join(word), 1)


def _emoji(text: str, rng: random.Random) -> str:
    marks = "".join(rng.choice(_EMOJI) for _ in range(rng.randint(1, 3)))
    if rng.random() < 0.5:
        return text + marks
    cut = rng.randrange(len(text) + 1)
    return text[:cut] + marks + text[cut:]
