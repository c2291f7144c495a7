"""Fraud: the rings' numbers, accounts, sites and apps (listed only after a delay, some never), the
victims' journeys from hook to payments, cold calls that go nowhere, and upstream leads that arrive late."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from fanzha.event.codes import FraudType, IndicatorKind, PersonGroup
from fanzha.event.entities import Indicator, Person
from fanzha.sim.city import Population
from fanzha.sim.emit import Emitter
from fanzha.sim.people import Numbers
from fanzha.sim.truth import Episode, Payment


@dataclass(frozen=True, slots=True)
class Script:
    """How one fraud type unfolds: hook channel, app pushed, payment pattern, who it targets."""

    hook: str  # "call" | "sms" | "chat" (chat leaves no operator trace)
    app: tuple[str, str] | None  # (name, category)
    payments: tuple[int, int, float]  # (count min, count max, growth per payment)
    first_yuan: tuple[int, int]
    targets: tuple[PersonGroup, ...]
    visits_site: bool = False


SCRIPTS: dict[FraudType, Script] = {
    FraudType.FAKE_CS_REFUND: Script(
        "call", ("屏幕共享助手", "SCREEN_SHARE"), (1, 3, 1.5), (2000, 30000), ()
    ),
    FraudType.FAKE_AUTHORITY: Script(
        "call", ("安全防护", "SCREEN_SHARE"), (1, 3, 2.0), (20000, 150000), (PersonGroup.ELDERLY,)
    ),
    FraudType.BRUSHING: Script(
        "sms", ("任务星球", "TASK"), (3, 6, 2.2), (100, 800), (PersonGroup.STUDENT,), visits_site=True
    ),
    FraudType.LOAN: Script("sms", ("极速贷", "LOAN"), (2, 4, 1.6), (500, 3000), ()),
    FraudType.PIG_BUTCHERING: Script(
        "chat",
        ("环球财富", "INVESTMENT"),
        (2, 5, 2.5),
        (5000, 50000),
        (PersonGroup.SINGLE_18_40,),
        visits_site=True,
    ),
    FraudType.FAKE_BOSS_ACQ: Script("chat", None, (1, 2, 1.0), (50000, 300000), (PersonGroup.FINANCE_STAFF,)),
    FraudType.FLIGHT_CHANGE: Script("sms", ("云视讯会议", "SCREEN_SHARE"), (1, 2, 1.5), (3000, 20000), ()),
}
FRAUD_HOSTS = (
    "kefu-tuikuan.top",
    "gaj-qingcha.xyz",
    "renwu-fanli.cc",
    "sudai-fangkuan.vip",
    "hqcf-touzi.com",
    "hangban-gaiqian.net",
    "jd-tuikuan.shop",
    "anquan-zhanghu.org",
)


@dataclass
class Ring:
    """The fraud infrastructure and what the lists know of it."""

    numbers: list[str]
    accounts: list[str]
    indicators: list[Indicator] = field(default_factory=list)


def build_ring(rng: random.Random, numbers: Numbers, start: datetime, days: int, size: int) -> Ring:
    """Fraud numbers and level-1 accounts; about 70% get listed, at a random time, some before the start."""
    ring = Ring(
        numbers=[numbers.phone(("170", "171", "165", "167")) for _ in range(size)]
        + [f"00{rng.randint(60, 99)}{rng.randrange(10**9):09d}" for _ in range(max(2, size // 4))],
        accounts=[numbers.account("62" + f"{rng.randrange(10**4):04d}") for _ in range(size)],
    )
    for kind, values in (
        (IndicatorKind.PHONE, ring.numbers),
        (IndicatorKind.ACCOUNT, ring.accounts),
        (IndicatorKind.URL, list(FRAUD_HOSTS)),
    ):
        for value in values:
            if rng.random() < 0.7:
                listed = start + timedelta(days=rng.uniform(-days, days))
                ring.indicators.append(Indicator(kind=kind, value=value, source="NAFC", listed_at=listed))
    return ring


def pick_type(rng: random.Random, person: Person) -> FraudType:
    """A fraud type that fits the person: targeted types first, others at random."""
    fitting = [t for t, s in SCRIPTS.items() if set(s.targets) & set(person.groups)]
    if fitting and rng.random() < 0.7:
        return rng.choice(fitting)
    return rng.choice([t for t, s in SCRIPTS.items() if not s.targets])


def journey(
    *,
    person: Person,
    fraud_type: FraudType,
    pop: Population,
    ring: Ring,
    rng: random.Random,
    at: datetime,
    out: Emitter,
) -> Episode:
    """Emit one victim's journey and return its truth."""
    script = SCRIPTS[fraud_type]
    phone = pop.phones_of[person.person_id][0]
    fraudster = rng.choice(ring.numbers)
    t = at
    ids: list[str] = []
    if script.hook == "call":
        ids.append(
            out.emit(
                "call",
                t,
                phone=phone,
                counterpart=fraudster,
                direction="IN",
                duration_s=rng.randint(300, 3600),
            )["event_id"]
        )
    elif script.hook == "sms":
        ids.append(out.emit("sms", t, phone=phone, counterpart=fraudster, direction="IN")["event_id"])
    if script.visits_site:
        t += timedelta(minutes=rng.randint(5, 240))
        url = "https://" + rng.choice(FRAUD_HOSTS) + "/login"
        ids.append(out.emit("url_visit", t, phone=phone, url=url)["event_id"])
    if script.app is not None:
        t += timedelta(minutes=rng.randint(3, 120))
        app_name, category = script.app
        ids.append(out.emit("app_install", t, phone=phone, app_name=app_name, category=category)["event_id"])
    episode_id = f"ep-{person.person_id}-{at:%Y%m%d%H%M}"
    if rng.random() < 0.15:  # dissuaded by doubt or family before paying
        return Episode(episode_id, person.person_id, fraud_type, at, (), frozenset(ids))
    payments: list[Payment] = []
    amount = rng.randint(*script.first_yuan) * 100
    payee = rng.choice(ring.accounts)
    for _ in range(rng.randint(script.payments[0], script.payments[1])):
        t += timedelta(minutes=rng.randint(10, 600))
        payer = rng.choice(pop.accounts_of[person.person_id])
        record = out.emit(
            "transfer", t, payer_account=payer, payee_account=payee, amount_fen=amount, channel="mobile"
        )
        ids.append(record["event_id"])
        payments.append(Payment(record["event_id"], t, amount, payer, payee))
        amount = int(amount * script.payments[2] * rng.uniform(0.8, 1.2))
        if rng.random() < 0.3:
            payee = rng.choice(ring.accounts)  # the ring rotates collection accounts
    return Episode(episode_id, person.person_id, fraud_type, at, tuple(payments), frozenset(ids))


def cold_calls(
    pop: Population, ring: Ring, *, rng: random.Random, start: datetime, days: int, out: Emitter
) -> None:
    """Fraud numbers ring many people who hang up: contact without loss, as in life."""
    phones = [p for ps in pop.phones_of.values() for p in ps]
    for _ in range(len(phones) * days // 40):
        at = start + timedelta(seconds=rng.randrange(days * 86400))
        out.emit(
            "call",
            at,
            phone=rng.choice(phones),
            counterpart=rng.choice(ring.numbers),
            direction="IN",
            duration_s=rng.randint(0, 40),
        )


def upstream_lead(episode: Episode, pop: Population, rng: random.Random, out: Emitter) -> None:
    """The national centre's fund warning, pushed hours after the first payment (if at all)."""
    if episode.first_payment_at is None or rng.random() > 0.5:
        return
    at = episode.first_payment_at + timedelta(hours=rng.uniform(1, 36))
    out.emit(
        "lead",
        at,
        person_id=episode.person_id,
        source="NAFC_FUND",
        level="HIGH",
        fraud_type=episode.fraud_type.value,
        source_ref=f"NAFC-{rng.randrange(10**8):08d}",
    )
