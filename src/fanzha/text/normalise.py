"""Make messy real text comparable: one canonical form for the features and the cues.

Steps, in order: NFKC (full-width → half-width, circled digits → digits), lower case, traditional →
simplified (OpenCC's character table, Apache-2.0, via opencc-python-reimplemented), speaker tags of
transcripts dropped, URLs → `[网址]`, phone/account/masked numbers → `[号码]`, other numbers → `0`,
placeholder names (NAME, PLACE, 某某) → `某`, emoji → `[表情]`, every punctuation or symbol → `,`,
whitespace removed. The result is at most `MAX_CHARS` long.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

MAX_CHARS = 4000
URL_TOKEN, NUMBER_TOKEN, EMOJI_TOKEN = "[网址]", "[号码]", "[表情]"
_URL, _NUM, _EMO, _SEP = "\ue000", "\ue001", "\ue002", "\ue003"
_EXPAND = ((_URL, URL_TOKEN), (_NUM, NUMBER_TOKEN), (_EMO, EMOJI_TOKEN))

_SPEAKER = re.compile(
    r"(?m)^[ \t]*(?:[ab]|甲|乙|客服|用户|骗子|受害人|来电方|对方|我|left|right|caller|callee|"
    r"speaker ?\d|说话人\d?|角色\d?)[ \t]*[:：]"
)
_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s\u4e00-\u9fff，。！？]+"
    r"|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|top|xyz|vip|cc|shop|info|club|me|io|ly|site|app)"
    r"(?:/[\w\-./?%&=#*]*)?"
)
_LONG_NUMBER = re.compile(
    r"\+?\d[\d*x\- ]{5,}[\d*x]|[x*#]{3,}|(?<![a-z])(?:digit|wechat|phone|number)(?![a-z])"
)
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_NAME = re.compile(r"某某|(?<![a-z])(?:name|place|person|address|org)(?![a-z])")
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d]+")
_SPACE = re.compile(r"\s+")
_COMMAS = re.compile(r",{2,}")


@cache
def _tables() -> tuple[dict[int, str], re.Pattern[str]]:
    """(traditional → simplified table, pattern of every punctuation or symbol char), built once."""
    path = resources.files("opencc").joinpath("dictionary/TSCharacters.txt")
    t2s: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        if len(source) == 1 and targets:
            t2s[ord(source)] = targets.split(" ")[0]
    punct = [
        code
        for code in range(0x21, 0x10000)
        if unicodedata.category(chr(code))[0] in "PS" and not 0xE000 <= code <= 0xF8FF
    ]
    return t2s, re.compile(_char_class(punct))


def _char_class(codes: list[int]) -> str:
    """A regex class matching exactly the sorted code points `codes`, as ranges."""
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return (
        "[" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges) + "]"
    )


def normalise(text: str) -> str:
    """The canonical form of `text` (see the module docstring). Steps that cannot match (no colon for a
    speaker tag, no dot or `://` for a link, no placeholder char to expand) are skipped."""
    t2s, punct = _tables()
    text = unicodedata.normalize("NFKC", text[: MAX_CHARS * 2]).lower().translate(t2s)
    if ":" in text or "：" in text:
        text = _SPEAKER.sub("", text)
    if "." in text or "://" in text:
        text = _URL_RE.sub(_URL, text)
    text = _LONG_NUMBER.sub(_NUM, text)
    text = _NUMBER.sub("0", text)
    text = _NAME.sub("某", text)
    text = _EMOJI.sub(_EMO, text)
    text = punct.sub(",", text.replace("\n", ","))
    text = _COMMAS.sub(",", _SPACE.sub("", text)).strip(",")
    for code, token in _EXPAND:
        if code in text:
            text = text.replace(code, token)
    return text[:MAX_CHARS]


def warm() -> None:
    """Build the translation tables now (model loading calls this so the first score is fast)."""
    _tables()


__all__ = ["EMOJI_TOKEN", "MAX_CHARS", "NUMBER_TOKEN", "URL_TOKEN", "normalise", "warm"]
