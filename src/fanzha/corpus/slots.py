"""Slots filled by code rather than by a phrase list: amounts, numbers, links, dates."""

from __future__ import annotations

import random
import string
from collections.abc import Callable

_ALNUM = string.ascii_letters + string.digits
_HOSTS = ("t.cn", "dwz.cn", "url.cn", "suo.im", "m.tb.cn", "u.jd.com", "bit.ly", "tinyurl.com")
_TLDS = ("com", "cn", "top", "xyz", "vip", "cc", "net", "shop", "info", "club")
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力宇浩然子轩梓涵欣怡晨博"


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in range(n - 1))


def _yuan(rng: random.Random, low: int, high: int) -> str:
    value = rng.randint(low, high)
    if value >= 1000 and rng.random() < 0.5:
        value = round(value, -2)
    style = rng.random()
    if style < 0.45:
        return f"{value}元"
    if style < 0.6:
        return f"{value}块"
    if style < 0.7:
        return f"￥{value}"
    if style < 0.8:
        return f"{value:,}元"
    if style < 0.9 and value >= 10000:
        return f"{value / 10000:g}万"
    return f"{value}.00元"


def _link(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return f"http://{rng.choice(_HOSTS)}/" + rng.choice(("xxxx", "XXXX", "***", "xxxxxx"))
    tail = "".join(rng.choice(_ALNUM) for _ in range(rng.randint(4, 8)))
    if roll < 0.7:
        return f"{rng.choice(('http://', 'https://', ''))}{rng.choice(_HOSTS)}/{tail}"
    host = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9)))
    return f"{rng.choice(('http://', 'https://', 'www.', ''))}{host}.{rng.choice(_TLDS)}/{tail.lower()}"


def _phone(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        middle = rng.choice(("****", "XXXX", _digits(rng, 4)))
        return f"1{rng.choice('3456789')}{_digits(rng, 1)}{middle}{_digits(rng, 4)}"
    if roll < 0.5:
        return f"400-{_digits(rng, 3)}-{_digits(rng, 4)}"
    if roll < 0.65:
        return "95" + _digits(rng, 3)
    if roll < 0.8:
        return f"+{rng.choice(('852', '63', '855', '95', '00'))}{_digits(rng, 8)}"
    return "0" + _digits(rng, 2) + "-" + _digits(rng, 8)


def _date(rng: random.Random) -> str:
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice(
        (f"{month}月{day}日", f"{month}月{day}号", f"{month}/{day}", f"{day}号", "明天", "今天")
    )


def _time(rng: random.Random) -> str:
    hour, minute = rng.randint(0, 23), rng.choice((0, 10, 15, 20, 30, 45, 50))
    return rng.choice((f"{hour}:{minute:02d}", f"{hour}点", f"{hour}点{minute}分", "下午3点", "晚上八点"))


def _case_no(rng: random.Random) -> str:
    year = rng.randint(2019, 2026)
    return rng.choice(
        (
            f"({year})京公刑字第{_digits(rng, 5)}号",
            f"{year}{_digits(rng, 6)}",
            f"沪公(经)立字[{year}]{_digits(rng, 4)}号",
            f"A{_digits(rng, 7)}",
            f"{_digits(rng, 8)}",
        )
    )


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))


_GENERATED: dict[str, Callable[[random.Random], str]] = {
    "amount": lambda r: _yuan(r, 200, 50000),
    "small": lambda r: _yuan(r, 10, 800),
    "big": lambda r: _yuan(r, 20000, 800000),
    "link": _link,
    "phone": _phone,
    "code": lambda r: _digits(r, 6),
    "order": lambda r: _digits(r, r.randint(12, 19)),
    "qq": lambda r: _digits(r, r.randint(8, 10)),
    "tail": lambda r: _digits(r, 4),
    "num": lambda r: str(r.randint(2, 30)),
    "pct": lambda r: str(r.randint(3, 40)),
    "date": _date,
    "time": _time,
    "case_no": _case_no,
    "name": _name,
    "surname": lambda r: r.choice(_SURNAMES),
    "flight": lambda r: (
        r.choice(("CA", "MU", "CZ", "HU", "3U", "ZH", "MF", "9C")) + _digits(r, r.randint(3, 4))
    ),
}


def generated_slot(name: str, rng: random.Random) -> str:
    """A value for a code-generated slot; an unknown slot name is a table bug and fails loudly."""
    return _GENERATED[name](rng)
