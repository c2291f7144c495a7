"""Normal life, one day at a time and column-wise: calls, SMS, chats, web visits, payments, app installs.

Each person's daily counts are Poisson around a heavy-tailed personal activity level, so a few people
are far busier than most. Monthly money (salaries, pensions, rent) arrives on each person's payday.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from fanzha.corpus import Channel, Topic
from fanzha.event.codes import PersonGroup
from fanzha.sim.catalog import (
    APPS,
    BANK_SMS,
    HOSTS,
    HOURLY,
    SERVICE_CALLERS,
    SMS_TOPIC_P,
    SMS_TOPICS,
    Catalog,
    app_hash,
)
from fanzha.sim.config import SimConfig
from fanzha.sim.numbers import CASH, FAMILY_COUNTRIES, MOBILE_PREFIXES, VIRTUAL_PREFIXES, pick
from fanzha.sim.people import EMPLOYED, OFFICE, PENSION, RENTER, SAVINGS, Population

_APP_P = np.array([a[3] for a in APPS], dtype=float)
_APP_P /= _APP_P.sum()
_HOST_P = 1.0 / np.arange(1, len(HOSTS) + 1) ** 0.9
_HOST_P /= _HOST_P.sum()


def normal_day(
    pop: Population, cat: Catalog, cfg: SimConfig, *, day: int, t0: int, day_of_month: int, seed: int
) -> list[pl.DataFrame]:
    """Every ordinary event of one day (starting at Unix second `t0`), one narrow frame per kind of
    activity (a wide frame of millions of rows would hold every null column in memory), unsorted, no ids."""
    rng = np.random.default_rng([seed, 10, day])
    elderly = pop.has_group(PersonGroup.ELDERLY)
    student = pop.has_group(PersonGroup.STUDENT)
    frames = [
        _calls(pop, cat, cfg, rng, t0=t0, factor=np.where(elderly, 1.2, np.where(student, 0.6, 1.0))),
        _sms(pop, cat, cfg, rng, t0),
        _chats(pop, cat, cfg, rng, t0=t0, factor=np.where(elderly, 0.4, np.where(student, 1.6, 1.0))),
        _visits(pop, cfg, rng, t0, np.where(elderly, 0.3, np.where(student, 1.5, 1.0))),
        _transfers(pop, cat, cfg, rng, t0),
        _monthly(pop, cat, rng, t0, day_of_month),
        _installs(pop, cfg, rng, t0),
    ]
    return [f for f in frames if f.height]


def who(
    pop: Population, rng: np.random.Generator, rate: float, factor: np.ndarray | float = 1.0
) -> np.ndarray:
    """Person indexes, one per event: each person's count is Poisson(rate × activity × factor)."""
    counts = rng.poisson(rate * pop.activity * factor)
    return np.repeat(np.arange(pop.n, dtype=np.int64), counts)


def who_when(
    pop: Population, rng: np.random.Generator, rate: float, factor: np.ndarray | float = 1.0, *, t0: int
) -> tuple[np.ndarray, np.ndarray]:
    """Who (person indexes) and when (Unix seconds), in time order: the day's frames need no sorting."""
    w = who(pop, rng, rate, factor)
    ts = times(rng, w.size, t0)
    order = np.argsort(ts, kind="stable")
    return w[order], ts[order]


def times(rng: np.random.Generator, k: int, t0: int) -> np.ndarray:
    hour = rng.choice(24, k, p=HOURLY)
    return t0 + hour * 3600 + rng.integers(0, 3600, k)


def _phone_of(pop: Population, rng: np.random.Generator, w: np.ndarray) -> pl.Series:
    has_second = (pop.phone_owner[np.minimum(pop.primary_phone[w] + 1, pop.phone_owner.size - 1)] == w) & (
        pop.primary_phone[w] + 1 < pop.phone_owner.size
    )
    second = has_second & (rng.random(w.size) < 0.25)
    return pop.phones.gather(pop.primary_phone[w] + second)


def _random_mobiles(rng: np.random.Generator, k: int, prefixes: tuple[str, ...] | list[str]) -> pl.Series:
    return pick(prefixes, rng.integers(0, len(prefixes), k)) + pl.Series(rng.integers(0, 10**8, k)).cast(
        pl.String
    ).str.zfill(8)


def _pooled(cat: Catalog, rng: np.random.Generator, topic: Topic, channel: Channel, k: int) -> pl.Series:
    pool = cat.texts[(topic, channel)]
    return pool.gather(rng.integers(0, pool.len(), k))


def _by_topic(
    cat: Catalog, rng: np.random.Generator, topics: np.ndarray, keys: tuple[Topic, ...], channel: Channel
) -> pl.Series:
    out = pl.Series([None] * topics.size, dtype=pl.String)
    for i, topic in enumerate(keys):
        mask = topics == i
        if mask.any():
            out = out.scatter(np.flatnonzero(mask), _pooled(cat, rng, topic, channel, int(mask.sum())))
    return out


def _calls(
    pop: Population, cat: Catalog, cfg: SimConfig, rng: np.random.Generator, *, t0: int, factor: np.ndarray
) -> pl.DataFrame:
    w, ts = who_when(pop, rng, cfg.calls, factor, t0=t0)
    k = w.size
    r = rng.random(k)
    circle, service, unknown, overseas = (
        r < 0.6,
        (r >= 0.6) & (r < 0.72),
        (r >= 0.72) & (r < 0.955),
        (r >= 0.955) & (r < 0.96),
    )
    counterpart = pop.phones.gather(pop.primary_phone[pop.contact(w, rng)])
    counterpart = counterpart.zip_with(
        pl.Series(~service), pick(SERVICE_CALLERS, rng.integers(0, len(SERVICE_CALLERS), k))
    )
    counterpart = counterpart.zip_with(pl.Series(~unknown), _random_mobiles(rng, k, MOBILE_PREFIXES))
    abroad = pick(("00", "+"), rng.integers(0, 2, k)) + pick(
        FAMILY_COUNTRIES, rng.integers(0, len(FAMILY_COUNTRIES), k)
    )
    counterpart = counterpart.zip_with(
        pl.Series(~overseas), abroad + pl.Series(rng.integers(10**8, 10**9, k)).cast(pl.String)
    )
    virtual = r >= 0.96  # couriers' privacy numbers ride on virtual operators, like many fraud lines
    counterpart = counterpart.zip_with(pl.Series(~virtual), _random_mobiles(rng, k, VIRTUAL_PREFIXES))
    median = np.select([circle, service, overseas], [90, 150, 900], 35)
    duration = np.minimum(rng.lognormal(np.log(median), 1.0), 7200).astype(np.int64)
    outgoing = np.where(
        service, rng.random(k) < 0.7, np.where(circle, rng.random(k) < 0.5, rng.random(k) < 0.1)
    )
    topic = np.select([circle & (rng.random(k) < 0.7), circle, service], [0, 1, 2], 3)
    transcript = _by_topic(
        cat, rng, topic, (Topic.FAMILY, Topic.WORK, Topic.SERVICE, Topic.DELIVERY), Channel.CALL
    )
    transcript = transcript.zip_with(
        pl.Series(rng.random(k) < cfg.call_transcripts), pl.Series([None] * k, dtype=pl.String)
    )
    return pl.DataFrame(
        {
            "ts": ts,
            "kind": pl.repeat("call", k, eager=True),
            "phone": _phone_of(pop, rng, w),
            "counterpart": counterpart,
            "direction": pick(("IN", "OUT"), outgoing),
            "duration_s": duration,
            "transcript": transcript,
        }
    )


def _sms(pop: Population, cat: Catalog, cfg: SimConfig, rng: np.random.Generator, t0: int) -> pl.DataFrame:
    w, ts = who_when(pop, rng, cfg.sms, t0=t0)
    k = w.size
    topic = rng.choice(len(SMS_TOPICS), k, p=SMS_TOPIC_P)
    ads = cat.ad_senders.gather(rng.integers(0, cat.ad_senders.len(), k))
    bank = pick(BANK_SMS, pop.account_bank[pop.first_account[w]])
    operator = pick(("10086", "10010", "10000"), rng.integers(0, 3, k))
    personal = pop.phones.gather(pop.primary_phone[pop.contact(w, rng)])
    sender = pl.select(
        pl.when(pl.lit(topic) <= 1).then(ads).when(pl.lit(topic) == 2).then(bank)
        .when(pl.lit(topic) == 3).then(pl.lit("95311")).when(pl.lit(topic) == 4).then(operator)
        .otherwise(personal)
    ).to_series()  # fmt: skip
    outgoing = (topic >= 5) & (rng.random(k) < 0.5)
    return pl.DataFrame(
        {
            "ts": ts,
            "kind": pl.repeat("sms", k, eager=True),
            "phone": _phone_of(pop, rng, w),
            "counterpart": sender,
            "direction": pick(("IN", "OUT"), outgoing),
            "text": _by_topic(cat, rng, topic, SMS_TOPICS, Channel.SMS),
        }
    )


def _chats(
    pop: Population, cat: Catalog, cfg: SimConfig, rng: np.random.Generator, *, t0: int, factor: np.ndarray
) -> pl.DataFrame:
    w, ts = who_when(pop, rng, cfg.chats, factor, t0=t0)
    k = w.size
    office = pop.has(OFFICE)[w]
    platform = np.where(office & (rng.random(k) < 0.3), 2, np.where(rng.random(k) < 0.1, 1, 0))
    new = rng.random(k) < 0.015  # new colleagues, sellers, a class's parents' group: new but harmless
    other = np.where(new, rng.integers(0, pop.n, k), pop.contact(w, rng))
    in_group = rng.random(k) < 0.3
    work = platform == 2
    group = pick(("fam-", "work-"), work) + pl.Series(
        np.where(work, pop.social_pos[w] // 40, pop.social_pos[w] // 8)
    ).cast(pl.String)
    topic = np.where(platform == 2, 1, np.where(in_group & (rng.random(k) < 0.15), 2, 0))
    return pl.DataFrame(
        {
            "ts": ts,
            "kind": pl.repeat("chat", k, eager=True),
            "phone": pop.phones.gather(pop.primary_phone[w]),
            "counterpart": pop.handles.gather(other),
            "platform": pick(("wechat", "qq", "dingtalk"), platform),
            "direction": pick(("IN", "OUT"), rng.random(k) < 0.45),
            "group_id": pl.Series(group).zip_with(
                pl.Series(in_group), pl.Series([None] * k, dtype=pl.String)
            ),
            "new_contact": new,
            "text": _by_topic(cat, rng, topic, (Topic.FAMILY, Topic.WORK, Topic.AD), Channel.CHAT),
        }
    )


def _visits(
    pop: Population, cfg: SimConfig, rng: np.random.Generator, t0: int, factor: np.ndarray
) -> pl.DataFrame:
    w, ts = who_when(pop, rng, cfg.url_visits, factor, t0=t0)
    k = w.size
    host = pick(HOSTS, rng.choice(len(HOSTS), k, p=_HOST_P))
    path = pick(("/", "/item/", "/search?q=", "/news/", "/user/"), rng.integers(0, 5, k))
    item = (
        pl.Series(rng.integers(0, 10**7, k))
        .cast(pl.String)
        .zip_with(pl.Series(rng.random(k) < 0.6), pl.Series([""] * k))
    )
    return pl.DataFrame(
        {
            "ts": ts,
            "kind": pl.repeat("url_visit", k, eager=True),
            "phone": pop.phones.gather(pop.primary_phone[w]),
            "url": "https://" + host + path + item,
        }
    )


def _transfers(
    pop: Population, cat: Catalog, cfg: SimConfig, rng: np.random.Generator, t0: int
) -> pl.DataFrame:
    w, ts = who_when(pop, rng, cfg.transfers, t0=t0)
    k = w.size
    r = rng.random(k)
    elderly = pop.has_group(PersonGroup.ELDERLY)[w]
    cut = np.cumsum([0.64, 0.2, 0.07, 0.03, 0.055])
    kind = np.searchsorted(cut, r, side="right")  # 0 shop, 1 family, 2 bill, 3 own, 4 cash, 5 big new payee
    kind = np.where((kind == 5) & ~pop.has(SAVINGS)[w], 0, kind)
    kind = np.where((kind == 3) & (pop.account_count[w] < 2), 1, kind)
    payer_idx = pop.account_of(w, rng)
    merchant = rng.zipf(1.3, k) % cat.merchants.len()
    own_other = pop.first_account[w] + (payer_idx - pop.first_account[w] + 1) % pop.account_count[w]
    payee = pl.select(
        pl.when(pl.lit(kind) == 0).then(cat.merchants.gather(merchant))
        .when(pl.lit(kind) == 1).then(pop.accounts.gather(pop.first_account[pop.contact(w, rng)]))
        .when(pl.lit(kind) == 2).then(cat.utilities.gather(rng.integers(0, cat.utilities.len(), k)))
        .when(pl.lit(kind) == 3).then(pop.accounts.gather(own_other))
        .when(pl.lit(kind) == 4).then(pl.lit(CASH))
        .otherwise(cat.big_payees.gather(rng.integers(0, cat.big_payees.len(), k)))
    ).to_series()  # fmt: skip
    name = pl.select(
        pl.when(pl.lit(kind) == 0).then(cat.merchant_names.gather(merchant))
        .when(pl.lit(kind) == 5).then(cat.big_payee_names.gather(rng.integers(0, cat.big_payees.len(), k)))
    ).to_series()  # fmt: skip
    median = np.select(
        [kind == 0, kind == 1, kind == 2, kind == 3, kind == 4],
        [6_000, 30_000, 15_000, 300_000, 200_000],
        3_000_000,
    )
    spread = np.select([kind == 1, kind == 5], [1.3, 0.8], 0.9)
    amount = np.clip(rng.lognormal(np.log(median), spread), 100, 50_000_000).astype(np.int64)
    amount = np.where(kind == 4, np.maximum(100, amount // 10_000) * 10_000, amount)  # cash in hundreds
    channel = np.where(
        kind == 4,
        2,
        np.where(elderly & (rng.random(k) < 0.3), 3, np.where(kind == 0, rng.integers(0, 2, k) * 4, 0)),
    )
    return pl.DataFrame(
        {
            "ts": ts,
            "kind": pl.repeat("transfer", k, eager=True),
            "payer_account": pop.accounts.gather(payer_idx),
            "payee_account": payee,
            "payee_name": name,
            "amount_fen": amount,
            "channel": pick(("mobile", "online", "atm", "counter", "pos"), channel),
        }
    )


def _monthly(
    pop: Population, cat: Catalog, rng: np.random.Generator, t0: int, day_of_month: int
) -> pl.DataFrame:
    """Salaries and pensions on payday, rent two days later (to the same landlord every month)."""
    paid = np.flatnonzero((pop.payday == day_of_month) & (pop.salary_fen > 0))
    renting = np.flatnonzero((pop.payday == day_of_month - 2) & pop.has(RENTER))
    pension = pop.has(PENSION)[paid]
    employer = (pop.social_pos[paid] // 37) % cat.employers.len()
    income = pl.DataFrame(
        {
            "ts": t0 + rng.integers(8 * 3600, 18 * 3600, paid.size),
            "payer_account": cat.employers.gather(employer).zip_with(
                pl.Series(~pension), pl.Series([cat.pension] * paid.size)
            ),
            "payee_account": pop.accounts.gather(pop.first_account[paid]),
            "amount_fen": (pop.salary_fen[paid] * rng.uniform(0.9, 1.15, paid.size)).astype(np.int64),
            "channel": pl.repeat("online", paid.size, eager=True),
        }
    )
    landlord = pop.social[(pop.social_pos[renting] + 997) % pop.n]
    rent = pl.DataFrame(
        {
            "ts": t0 + rng.integers(8 * 3600, 23 * 3600, renting.size),
            "payer_account": pop.accounts.gather(pop.first_account[renting]),
            "payee_account": pop.accounts.gather(pop.first_account[landlord]),
            "amount_fen": np.maximum(50_000, pop.salary_fen[renting] * 3 // 10 // 10_000 * 10_000),
            "channel": pl.repeat("mobile", renting.size, eager=True),
        }
    )
    out = pl.concat([income, rent])
    return out.with_columns(kind=pl.lit("transfer")).filter(
        pl.col("payer_account") != pl.col("payee_account")
    )


def _installs(pop: Population, cfg: SimConfig, rng: np.random.Generator, t0: int) -> pl.DataFrame:
    w, ts = who_when(pop, rng, cfg.installs, t0=t0)
    k = w.size
    app = rng.choice(len(APPS), k, p=_APP_P)
    meeting = [i for i, a in enumerate(APPS) if a[2] in {"MEETING", "REMOTE_CONTROL"}]
    office = pop.has(OFFICE | EMPLOYED)[w] & (rng.random(k) < 0.15)
    app = np.where(office, np.asarray(meeting)[rng.integers(0, len(meeting), k)], app)
    return pl.DataFrame(
        {
            "ts": ts,
            "kind": pl.repeat("app_install", k, eager=True),
            "phone": pop.phones.gather(pop.primary_phone[w]),
            "app_name": pick([a[0] for a in APPS], app),
            "package": pick([a[1] for a in APPS], app),
            "app_hash": pick([app_hash(a[1]) for a in APPS], app),
            "category": pick([a[2] for a in APPS], app),
        }
    )
