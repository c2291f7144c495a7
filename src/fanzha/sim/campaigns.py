"""Fraud campaigns and their infrastructure: numbers, chat handles, sites, apps and mule accounts.

Each asset is used for a while and then burned; a new one replaces it, so a campaign is a rotating set of
numbers and accounts. Rings (criminal groups) run campaigns and share a laundering network (水房):
level-1 collection accounts per campaign, level-2 and level-3 accounts per ring, then cash-out.
National lists learn an asset only some time after its first use, and some never (domain brief §4.3, §7).
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fanzha.event.codes import FraudType, PersonGroup
from fanzha.sim.catalog import app_hash
from fanzha.sim.config import SimConfig
from fanzha.sim.numbers import FRAUD_COUNTRIES, MOBILE_PREFIXES, VIRTUAL_PREFIXES, Issuer
from fanzha.sim.people import NEEDS_CASH, Population

DAY = 86_400
# Fraud sites and apps of each type: (host stem, app name, category or None for no app).
TYPE_ASSETS: dict[FraudType, tuple[str, str | None, str]] = {
    FraudType.BRUSHING: ("renwu-fanli", "任务星球", "TASK"),
    FraudType.PIG_BUTCHERING: ("hq-caifu", "环球财富", "INVESTMENT"),
    FraudType.SHOPPING: ("dipin-daigou", None, "OTHER"),
    FraudType.FAKE_CS_REFUND: ("kefu-tuikuan", "屏幕共享助手", "SCREEN_SHARE"),
    FraudType.LOAN: ("sudai-fangkuan", "极速贷", "LOAN"),
    FraudType.FAKE_CREDIT_REPAIR: ("zhengxin-xiufu", "云视讯会议", "MEETING"),
    FraudType.FAKE_BOSS_ACQ: ("", None, "OTHER"),
    FraudType.FAKE_AUTHORITY: ("gaj-qingcha", "安全防护", "SCREEN_SHARE"),
    FraudType.ROMANCE: ("xiangqin-jiaoyou", "缘分交友", "NICHE_CHAT"),
    FraudType.GAME_TRADE: ("youxi-jiaoyi", None, "OTHER"),
    FraudType.FLIGHT_CHANGE: ("minhang-gaiqian", "云视讯会议", "MEETING"),
}
TLDS = (".top", ".xyz", ".cc", ".vip", ".shop", ".icu", ".club", ".net")
LIFE_DAYS = {
    "PHONE": 1.5,
    "HANDLE": 4.0,
    "URL": 6.0,
    "APP": 10.0,
    "ACCOUNT1": 2.0,
    "ACCOUNT2": 5.0,
    "ACCOUNT3": 8.0,
}
CASHOUTS = ("atm", "paofen", "otc")


@dataclass
class Asset:
    """A number, handle, host, app version or account, used from `active_from` to `active_to`."""

    kind: str  # PHONE | HANDLE | URL | APP | ACCOUNT
    value: str
    active_from: int
    active_to: int
    level: int = 0  # accounts: 1, 2 or 3
    listed_at: int | None = None
    owner: str | None = None  # a resident who sold the card (帮信), if any
    label: str | None = None  # app name
    app_hash: str | None = None
    category: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Rotation:
    """Assets of one kind in order of first use; `at(ts)` picks one in use at that time."""

    assets: list[Asset] = field(default_factory=list)

    def at(self, ts: int, rng: random.Random) -> Asset:
        i = bisect_right([a.active_from for a in self.assets], ts)
        live = [a for a in self.assets[max(0, i - 4) : i] if a.active_to > ts] or self.assets[
            max(0, i - 1) : i + 1
        ]
        return rng.choice(live)

    def live(self, ts0: int, ts1: int) -> list[Asset]:
        return [a for a in self.assets if a.active_from < ts1 and a.active_to > ts0]


@dataclass
class Ring:
    ring_id: str
    level2: Rotation
    level3: Rotation
    cashout: str
    sinks: list[str]  # 跑分 merchants or OTC dealers


@dataclass
class Campaign:
    campaign_id: str
    fraud_type: FraudType
    ring: Ring
    numbers: Rotation
    handles: Rotation
    hosts: Rotation
    apps: Rotation
    level1: Rotation

    def to_json(self) -> dict[str, Any]:
        """Who runs it; `world.truth_json` adds the assets, with times as ISO strings."""
        return {
            "campaign_id": self.campaign_id,
            "fraud_type": self.fraud_type.value,
            "ring_id": self.ring.ring_id,
        }


@dataclass
class Infrastructure:
    campaigns: dict[FraudType, list[Campaign]]
    rings: list[Ring]

    def all_campaigns(self) -> list[Campaign]:
        return [c for cs in self.campaigns.values() for c in cs]

    def mule_accounts(self) -> list[Asset]:
        accounts = [a for c in self.all_campaigns() for a in c.level1.assets]
        return accounts + [a for r in self.rings for a in (*r.level2.assets, *r.level3.assets)]


@dataclass
class Builder:
    pop: Population
    issuer: Issuer
    cfg: SimConfig
    rng: random.Random
    t0: int  # campaigns were running a month before the window opened
    t1: int
    sold_cards: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def rotation(self, kind: str, make: Any, concurrent: int = 2, level: int = 0) -> Rotation:
        rot = Rotation()
        median = LIFE_DAYS[kind + (str(level) if level else "")] * DAY
        t = self.t0
        while t < self.t1:
            life = int(median * math.exp(self.rng.gauss(0, 0.6)))
            asset = Asset(kind, "", t, t + life, level=level)
            make(asset)
            self._list(asset, kind + (str(level) if level else ""))
            rot.assets.append(asset)
            t += max(3600, life // concurrent)
        return rot

    def _list(self, asset: Asset, key: str) -> None:
        delay = self.cfg.list_delay.get(key)  # chat handles have no national list
        if delay is not None and self.rng.random() >= delay.never:
            asset.listed_at = asset.active_from + int(
                delay.median_hours * 3600 * math.exp(self.rng.gauss(0, 0.8))
            )

    def phone(self, asset: Asset) -> None:
        r = self.rng.random()
        if r < 0.5:
            asset.value = self.issuer.phones(1, VIRTUAL_PREFIXES)[0]
        elif r < 0.8:
            asset.value = self.issuer.overseas(1, FRAUD_COUNTRIES)[0]
        else:  # stolen or bought SIMs of the big operators (两卡)
            asset.value = self.issuer.phones(1, MOBILE_PREFIXES)[0]
        asset.kind = "PHONE"

    def account(self, asset: Asset) -> None:
        if asset.level == 1 and self.sold_cards.size and self.rng.random() < 0.1:
            owner = int(self.sold_cards[self.rng.randrange(self.sold_cards.size)])
            asset.value = self.pop.accounts[int(self.pop.first_account[owner])]
            asset.owner = self.pop.person_ids[owner]
        else:
            asset.value = self.issuer.accounts(1)[0][0]
        asset.kind = "ACCOUNT"


def build_infrastructure(
    pop: Population,
    issuer: Issuer,
    cfg: SimConfig,
    *,
    seed: int,
    window: tuple[int, int],
    counts: dict[FraudType, int],
) -> Infrastructure:
    rng = random.Random(seed * 31 + 5)
    young = pop.has_group(PersonGroup.STUDENT) | pop.has(NEEDS_CASH)
    builder = Builder(pop, issuer, cfg, rng, window[0] - 30 * DAY, window[1], np.flatnonzero(young))
    rings = [_ring(builder, f"R{i + 1:02d}") for i in range(max(2, min(8, sum(counts.values()) // 150 + 2)))]
    campaigns: dict[FraudType, list[Campaign]] = {}
    for fraud_type, count in counts.items():
        campaigns[fraud_type] = [
            _campaign(builder, fraud_type, f"CMP-{fraud_type.value}-{j + 1}", rng.choice(rings))
            for j in range(max(1, min(6, count // 250 + 1)))
        ]
    return Infrastructure(campaigns, rings)


def _ring(b: Builder, ring_id: str) -> Ring:
    cashout = b.rng.choice(CASHOUTS)
    sinks = [str(v) for v in b.issuer.accounts(5)[0]] if cashout != "atm" else []
    return Ring(
        ring_id,
        b.rotation("ACCOUNT", b.account, 3, level=2),
        b.rotation("ACCOUNT", b.account, 2, level=3),
        cashout,
        sinks,
    )


def _campaign(b: Builder, fraud_type: FraudType, campaign_id: str, ring: Ring) -> Campaign:
    stem, app_name, category = TYPE_ASSETS[fraud_type]
    rng = b.rng

    def handle(asset: Asset) -> None:
        asset.value = str(b.issuer.handles(1, rng.choice(("wxid_", "qq_", "u_")))[0])

    def host(asset: Asset) -> None:
        asset.value = f"{stem or 'kefu'}{rng.randrange(100, 999)}{rng.choice(TLDS)}"

    def app(asset: Asset) -> None:
        version = rng.randrange(1, 10**6)
        asset.value = f"com.{(stem or 'app').replace('-', '')}{version % 1000}.app"
        asset.label, asset.app_hash, asset.category = (
            app_name or "app",
            app_hash(asset.value, version),
            category,
        )

    return Campaign(
        campaign_id,
        fraud_type,
        ring,
        numbers=b.rotation("PHONE", b.phone, 3),
        handles=b.rotation("HANDLE", handle, 3),
        hosts=b.rotation("URL", host, 1),
        apps=b.rotation("APP", app, 1),
        level1=b.rotation("ACCOUNT", b.account, 2, level=1),
    )
