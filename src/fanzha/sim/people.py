"""The population, built column-wise: age, sex, occupation, groups, traits, home station, phones, accounts.

A million residents are numpy arrays, not a million objects; names, ID numbers and addresses are made
only when the reference files are written. ID numbers use region codes starting with 99, which no real
region has; every phone, account and handle is invented.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from fanzha.event.codes import PersonGroup
from fanzha.sim.city import CityMap
from fanzha.sim.numbers import BANK_WEIGHTS, BANKS, OPERATOR_OF_PREFIX, Issuer, pick

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红兰建国"
    "文辉鹏飞宇浩然欣怡子涵梓轩雨婷佳琪晨阳思远嘉志海燕春梅秋菊冬雪"
)
OCCUPATIONS = (
    "学生", "退休", "工人", "公司职员", "个体经营", "农民", "销售", "司机", "教师", "医生", "程序员",
    "财务", "无业", "服务员", "公务员",
)  # fmt: skip
WORK_WEIGHTS = np.array([0, 0, 18, 20, 12, 8, 8, 5, 4, 3, 4, 4, 6, 7, 3], dtype=float)
EMPLOYERS = {"工人", "公司职员", "销售", "司机", "教师", "医生", "程序员", "财务", "服务员", "公务员"}
GROUP_BITS = (PersonGroup.ELDERLY, PersonGroup.STUDENT, PersonGroup.FINANCE_STAFF, PersonGroup.SINGLE_18_40)
# Traits: who fraud types look for beyond the official groups (domain brief §6.2 "Targets").
SHOPPER, NEEDS_CASH, TRAVELLER, INVESTOR, GAMER, RENTER, EMPLOYED, PENSION, SAVINGS, OFFICE = (
    1 << i for i in range(10)
)
# Age pyramid from 15 to 89 in five-year bands (roughly a census shape).
AGE_BANDS = np.array([5.2, 5.6, 6.8, 8.0, 9.0, 8.1, 7.6, 8.8, 9.0, 7.8, 6.6, 5.8, 4.4, 2.8, 1.6])


@dataclass(frozen=True, slots=True)
class Population:
    n: int
    person_ids: pl.Series
    age: np.ndarray
    female: np.ndarray
    occupation: np.ndarray
    groups: np.ndarray  # bit i set: GROUP_BITS[i]
    traits: np.ndarray
    station: np.ndarray
    community: np.ndarray
    activity: np.ndarray  # heavy-tailed, mean about 1
    salary_fen: np.ndarray
    payday: np.ndarray
    phones: pl.Series
    phone_owner: np.ndarray
    primary_phone: np.ndarray  # index into phones
    accounts: pl.Series
    account_owner: np.ndarray
    account_bank: np.ndarray
    first_account: np.ndarray  # a person's accounts are contiguous
    account_count: np.ndarray
    handles: pl.Series
    social: np.ndarray  # a random order; neighbours in it are family, friends, colleagues
    social_pos: np.ndarray

    def has_group(self, group: PersonGroup) -> np.ndarray:
        return np.asarray((self.groups & (1 << GROUP_BITS.index(group))) != 0, dtype=bool)

    def has(self, trait: int) -> np.ndarray:
        return np.asarray((self.traits & trait) != 0, dtype=bool)

    def contact(self, who: np.ndarray, rng: np.random.Generator, reach: int = 12) -> np.ndarray:
        """A person from each one's circle: near neighbours in the social order, family most often."""
        step = np.minimum(rng.geometric(0.35, who.size), reach) * rng.choice((-1, 1), who.size)
        return np.asarray(self.social[(self.social_pos[who] + step) % self.n], dtype=np.int64)

    def account_of(self, who: np.ndarray, rng: np.random.Generator, main: float = 0.75) -> np.ndarray:
        """Index of the account each person pays from: the main one mostly, another sometimes."""
        other = rng.integers(0, 1 << 30, who.size) % self.account_count[who]
        pick = np.where(rng.random(who.size) < main, 0, other)
        return np.asarray(self.first_account[who] + pick, dtype=np.int64)


def build_population(n: int, seed: int, city: CityMap, issuer: Issuer) -> Population:
    rng = np.random.default_rng([seed, 1])
    band = rng.choice(AGE_BANDS.size, n, p=AGE_BANDS / AGE_BANDS.sum())
    age = np.maximum(16, 15 + band * 5 + rng.integers(0, 5, n)).astype(np.int16)
    female = rng.random(n) < 0.49
    occupation = _occupations(rng, age, female)
    traits = _traits(rng, age, female, occupation)
    groups = _groups(rng, age, occupation)
    station = rng.choice(len(city.station_ids), n, p=city.weights).astype(np.int16)
    community = (
        rng.integers(0, 1 << 20, n) % np.array([len(c) for c in city.community_names])[station]
    ).astype(np.int8)
    activity = np.minimum(rng.lognormal(-0.32, 0.8, n), 12).astype(np.float32)
    salary = np.where(
        (traits & (EMPLOYED | PENSION)) != 0, rng.lognormal(np.log(550_000), 0.55, n), 0
    ).astype(np.int64)
    phone_count = rng.choice((1, 2, 3), n, p=(0.86, 0.12, 0.02))
    phone_owner = np.repeat(np.arange(n, dtype=np.int32), phone_count)
    primary = np.concatenate(([0], np.cumsum(phone_count)[:-1]))
    account_count = np.minimum(rng.choice((1, 2, 3, 4), n, p=(0.3, 0.4, 0.22, 0.08)), len(BANKS))
    account_owner = np.repeat(np.arange(n, dtype=np.int32), account_count)
    first_account = np.concatenate(([0], np.cumsum(account_count)[:-1]))
    social = rng.permutation(n)
    social_pos = np.empty(n, dtype=np.int64)
    social_pos[social] = np.arange(n)
    base_bank = rng.choice(len(BANKS), n, p=BANK_WEIGHTS)
    nth = np.arange(account_owner.size) - first_account[account_owner]
    accounts, banks = issuer.accounts(account_owner.size, (base_bank[account_owner] + nth) % len(BANKS))
    return Population(
        n=n,
        person_ids="P" + pl.Series(np.arange(1, n + 1)).cast(pl.String).str.zfill(7),
        age=age,
        female=female,
        occupation=occupation,
        groups=groups,
        traits=traits,
        station=station,
        community=community,
        activity=activity,
        salary_fen=salary,
        payday=rng.choice((1, 5, 10, 15, 20, 25), n).astype(np.int8),
        phones=issuer.phones(int(phone_count.sum())),
        phone_owner=phone_owner,
        primary_phone=primary,
        accounts=accounts,
        account_owner=account_owner,
        account_bank=banks,
        first_account=first_account,
        account_count=account_count,
        handles=issuer.handles(n),
        social=social,
        social_pos=social_pos,
    )


def _occupations(rng: np.random.Generator, age: np.ndarray, female: np.ndarray) -> np.ndarray:
    n = age.size
    work = rng.choice(len(OCCUPATIONS), n, p=WORK_WEIGHTS / WORK_WEIGHTS.sum())
    student_p = np.select([age <= 18, age <= 22, age <= 26], [0.97, 0.75, 0.15], 0.0)
    retire_age = np.where(female, 55, 60)
    retired_p = np.where(age >= retire_age, np.where(age >= 65, 0.95, 0.7), 0.0)
    draw = rng.random(n)
    occ = np.where(draw < student_p, 0, np.where(draw < student_p + retired_p, 1, work))
    return occ.astype(np.int8)


def _traits(rng: np.random.Generator, age: np.ndarray, female: np.ndarray, occ: np.ndarray) -> np.ndarray:
    n = age.size
    employed = is_one_of(occ, EMPLOYERS)
    office = is_one_of(occ, {"公司职员", "程序员", "财务", "教师", "公务员", "医生"})
    r = rng.random((10, n))
    t = np.zeros(n, dtype=np.int32)
    t |= np.where(r[0] < np.where((age >= 20) & (age <= 45), 0.7, 0.3), SHOPPER, 0)
    t |= np.where(
        r[1] < np.where(is_one_of(occ, {"无业", "个体经营", "工人", "服务员"}), 0.3, 0.07), NEEDS_CASH, 0
    )
    t |= np.where(r[2] < np.where(office | is_one_of(occ, {"个体经营"}), 0.3, 0.06), TRAVELLER, 0)
    t |= np.where(r[3] < np.where((age >= 28) & (age <= 65), 0.15, 0.03), INVESTOR, 0)
    t |= np.where(r[4] < np.where(age <= 30, np.where(female, 0.2, 0.55), 0.03), GAMER, 0)
    t |= np.where(r[5] < np.where(employed & (age <= 40), 0.45, 0.05), RENTER, 0)
    t |= np.where(employed, EMPLOYED, 0)
    t |= np.where(is_one_of(occ, {"退休"}), PENSION, 0)
    t |= np.where(r[6] < np.clip((age - 25) / 50, 0.05, 0.7), SAVINGS, 0)
    t |= np.where(office, OFFICE, 0)
    return t


def is_one_of(occ: np.ndarray, names: set[str]) -> np.ndarray:
    return np.isin(occ, [OCCUPATIONS.index(name) for name in names])


def _groups(rng: np.random.Generator, age: np.ndarray, occ: np.ndarray) -> np.ndarray:
    single_p = np.select(
        [age < 18, age <= 24, age <= 29, age <= 34, age <= 40], [0, 0.85, 0.55, 0.3, 0.18], 0
    )
    bits = np.zeros(age.size, dtype=np.int8)
    bits |= np.where(age >= 60, 1, 0).astype(np.int8)
    bits |= np.where(occ == OCCUPATIONS.index("学生"), 2, 0).astype(np.int8)
    bits |= np.where(occ == OCCUPATIONS.index("财务"), 4, 0).astype(np.int8)
    bits |= np.where(rng.random(age.size) < single_p, 8, 0).astype(np.int8)
    return bits


def persons_frame(pop: Population, city: CityMap, seed: int, year: int) -> pl.DataFrame:
    """Persons in the reference-data format (names, ID numbers and addresses made here)."""
    rng = np.random.default_rng([seed, 2])
    n = pop.n
    sur_w = 1.0 / np.arange(1, len(SURNAMES) + 1) ** 0.8
    surname = pick(list(SURNAMES), rng.choice(len(SURNAMES), n, p=sur_w / sur_w.sum()))
    given = [*GIVEN, ""]
    g1 = pick(given, rng.integers(0, len(GIVEN), n))
    g2 = pick(given, np.where(rng.random(n) < 0.7, rng.integers(0, len(GIVEN), n), len(GIVEN)))
    birth_year = year - pop.age.astype(np.int64)
    groups = [[g.value for i, g in enumerate(GROUP_BITS) if bits >> i & 1] for bits in range(16)]
    community = [c for cs in city.community_names for c in cs]
    offset = np.concatenate(([0], np.cumsum([len(c) for c in city.community_names])[:-1]))
    return pl.DataFrame(
        {
            "person_id": pop.person_ids,
            "name": surname + g1 + g2,
            "id_no": id_numbers(rng, birth_year, pop.female),
            "birth_year": birth_year,
            "sex": pick(("M", "F"), pop.female),
            "occupation": pick(OCCUPATIONS, pop.occupation),
            "groups": pl.Series([groups[b] for b in range(16)], dtype=pl.List(pl.String)).gather(
                pop.groups.astype(np.int64)
            ),
            "address": "示范市"
            + pick(city.station_names, pop.station)
            + pick(community, offset[pop.station] + pop.community)
            + pl.Series(rng.integers(1, 120, n)).cast(pl.String)
            + "栋"
            + pl.Series(rng.integers(101, 2800, n)).cast(pl.String)
            + "室",
            "unit_id": pick(city.station_ids, pop.station),
        }
    )


def id_numbers(rng: np.random.Generator, birth_year: np.ndarray, female: np.ndarray) -> pl.Series:
    """18-character ID numbers with valid check digits and impossible region codes (99xxxx)."""
    n = birth_year.size
    region = 990000 + rng.integers(0, 10_000, n)
    month, day = rng.integers(1, 13, n), rng.integers(1, 29, n)
    seq = rng.integers(0, 100, n) * 10 + rng.integers(0, 5, n) * 2 + np.where(female, 0, 1)
    body = ((region * 10_000 + birth_year) * 10_000 + month * 100 + day) * 1000 + seq  # 17 digits
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = np.zeros(n, dtype=np.int64)
    rest = body.copy()
    for w in reversed(weights):
        total += (rest % 10) * w
        rest //= 10
    return pl.Series(body).cast(pl.String) + pick(list("10X98765432"), total % 11)


def phones_frame(pop: Population) -> pl.DataFrame:
    operator = pop.phones.str.slice(0, 3).replace_strict(OPERATOR_OF_PREFIX, default=None)
    return pl.DataFrame(
        {"phone": pop.phones, "person_id": pop.person_ids.gather(pop.phone_owner), "operator": operator}
    )


def accounts_frame(pop: Population) -> pl.DataFrame:
    bank = pick([b for b, _ in BANKS], pop.account_bank)
    return pl.DataFrame(
        {"account": pop.accounts, "person_id": pop.person_ids.gather(pop.account_owner), "bank": bank}
    )
