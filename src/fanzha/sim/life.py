"""Normal life: calls, messages, payments, app installs and web visits, heavy-tailed as in life."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from fanzha.sim.city import Population
from fanzha.sim.emit import Emitter
from fanzha.sim.people import Numbers

NORMAL_HOSTS = (
    "www.taobao.com",
    "m.jd.com",
    "news.qq.com",
    "www.baidu.com",
    "www.12306.cn",
    "map.baidu.com",
    "weibo.com",
    "www.bilibili.com",
    "mail.163.com",
    "www.gov.cn",
)
SERVICE_NUMBERS = ("10086", "10010", "10000", "95588", "95533", "95599", "106575", "1069")
NORMAL_APPS = (
    ("微信", "OTHER"),
    ("支付宝", "OTHER"),
    ("抖音", "OTHER"),
    ("美团", "OTHER"),
    ("腾讯会议", "MEETING"),
    ("钉钉", "MEETING"),
    ("高德地图", "OTHER"),
    ("拼多多", "OTHER"),
)
LEGIT_REMOTE_APPS = (("向日葵远程控制", "REMOTE_CONTROL"), ("ToDesk", "REMOTE_CONTROL"))


def normal_life(
    pop: Population, *, rng: random.Random, numbers: Numbers, start: datetime, days: int, out: Emitter
) -> None:
    """Emit `days` of ordinary activity for everyone; activity per person is heavy-tailed."""
    merchants = [numbers.account("990000") for _ in range(max(50, len(pop.persons) // 20))]
    contacts = [p for phones in pop.phones_of.values() for p in phones]
    for person in pop.persons:
        pid = person.person_id
        phone = pop.phones_of[pid][0]
        accounts = pop.accounts_of[pid]
        activity = min(8.0, rng.paretovariate(2.5))  # a few people are far busier than most
        for day in range(days):
            base = start + timedelta(days=day)
            for _ in range(_poisson(rng, 2.5 * activity)):
                other = rng.choice(contacts)
                if other != phone:
                    out.emit(
                        "call",
                        _daytime(rng, base),
                        person_id=None,
                        phone=phone,
                        counterpart=other,
                        direction=rng.choice(("IN", "OUT")),
                        duration_s=int(rng.expovariate(1 / 120)),
                    )
            for _ in range(_poisson(rng, 1.5 * activity)):
                out.emit(
                    "sms",
                    _daytime(rng, base),
                    phone=phone,
                    counterpart=rng.choice(SERVICE_NUMBERS),
                    direction="IN",
                )
            for _ in range(_poisson(rng, 0.8 * activity)):
                out.emit(
                    "url_visit",
                    _daytime(rng, base),
                    phone=phone,
                    url="https://" + rng.choice(NORMAL_HOSTS) + "/",
                )
            for _ in range(_poisson(rng, 0.35 * activity)):
                amount = int(rng.lognormvariate(9.5, 1.2))  # fen; median about ¥130
                payee = (
                    rng.choice(merchants)
                    if rng.random() < 0.8
                    else rng.choice(pop.accounts_of[rng.choice(pop.persons).person_id])
                )
                if payee not in accounts:
                    out.emit(
                        "transfer",
                        _daytime(rng, base),
                        payer_account=rng.choice(accounts),
                        payee_account=payee,
                        amount_fen=max(100, amount),
                        channel="mobile",
                    )
            if rng.random() < 0.02:
                app, category = rng.choice(NORMAL_APPS)
                out.emit("app_install", _daytime(rng, base), phone=phone, app_name=app, category=category)
            if rng.random() < 0.002:
                app, category = rng.choice(LEGIT_REMOTE_APPS)
                out.emit("app_install", _daytime(rng, base), phone=phone, app_name=app, category=category)


def _daytime(rng: random.Random, day: datetime) -> datetime:
    return day + timedelta(seconds=int(rng.triangular(7 * 3600, 23 * 3600, 14 * 3600)))


def _poisson(rng: random.Random, mean: float) -> int:
    count, total = 0, rng.expovariate(1.0)
    while total < mean:
        count += 1
        total += rng.expovariate(1.0)
    return count
