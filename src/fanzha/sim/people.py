"""Synthetic people: names, ID numbers, phones and accounts. None of it belongs to anyone real:
ID numbers use region codes starting with 99, which no real region has."""

from __future__ import annotations

import random
from dataclasses import dataclass

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红兰建国文辉鹏飞宇浩然欣怡子"
    "涵梓轩雨婷佳琪晨阳思远嘉怡志强海燕春梅秋菊冬雪"
)
MOBILE_PREFIXES = (
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "182",
    "187",
    "188",
    "130",
    "131",
    "132",
    "155",
    "156",
    "185",
    "186",
    "133",
    "153",
    "180",
    "181",
    "189",
    "199",
)
BANKS = (
    ("ICBC", "622202"),
    ("ABC", "622848"),
    ("BOC", "621661"),
    ("CCB", "621700"),
    ("PSBC", "621799"),
    ("CMB", "621483"),
)
OCCUPATIONS = (
    "工人",
    "教师",
    "个体经营",
    "公司职员",
    "医生",
    "司机",
    "财务",
    "学生",
    "退休",
    "农民",
    "程序员",
    "销售",
)


@dataclass(frozen=True, slots=True)
class Numbers:
    """Unique-number issuer, so no two people share a phone or an account."""

    rng: random.Random
    used: set[str]

    def phone(self, prefixes: tuple[str, ...] = MOBILE_PREFIXES) -> str:
        while True:
            number = self.rng.choice(prefixes) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.used:
                self.used.add(number)
                return number

    def account(self, bin_prefix: str) -> str:
        while True:
            number = bin_prefix + f"{self.rng.randrange(10**13):013d}"
            if number not in self.used:
                self.used.add(number)
                return number


def name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def id_number(rng: random.Random, birth_year: int, sex: str) -> str:
    """An 18-character ID number with a valid check digit and an impossible region code (99xxxx)."""
    body = f"99{rng.randrange(10**4):04d}{birth_year:04d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    seq = rng.randrange(100) * 10 + (
        rng.choice((1, 3, 5, 7, 9)) if sex == "M" else rng.choice((0, 2, 4, 6, 8))
    )
    body += f"{seq:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check
