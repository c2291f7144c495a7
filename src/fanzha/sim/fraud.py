"""The fraud side of the city: who is targeted by which type, their journeys, laundering, leads, lists,
and the cold contacts that reach people who never engage.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import polars as pl

from fanzha.corpus import Channel, Stage, fraud_text
from fanzha.event.codes import FraudType, IndicatorKind, LeadSource, PersonGroup
from fanzha.event.entities import Indicator
from fanzha.sim.campaigns import DAY, Asset, Campaign, Infrastructure, build_infrastructure
from fanzha.sim.catalog import Catalog
from fanzha.sim.config import TYPE_SHARES, SimConfig
from fanzha.sim.journey import Trip, Victim
from fanzha.sim.journeys import SCRIPTS
from fanzha.sim.leads import episode_leads, lead, nafc_batch
from fanzha.sim.life import times
from fanzha.sim.mules import launder
from fanzha.sim.numbers import Issuer, pick
from fanzha.sim.people import (
    GAMER,
    INVESTOR,
    NEEDS_CASH,
    OFFICE,
    SAVINGS,
    SHOPPER,
    TRAVELLER,
    Population,
)  # fmt: skip
from fanzha.sim.truth import Episode
from fanzha.sim.wire import CST


@dataclass
class FraudSide:
    infra: Infrastructure
    episodes: list[Episode]
    records: list[dict[str, Any]]  # journeys, laundering and leads, with `ts`
    flows: list[dict[str, Any]]
    leads: list[dict[str, Any]]
    cold_texts: dict[FraudType, pl.Series]


def target_weights(pop: Population, fraud_type: FraudType) -> np.ndarray:  # noqa: C901 (one case per fraud type: a table, read as one)
    """How much each resident draws this type's attention (domain brief §6.2, "Targets")."""
    g, has, age = pop.has_group, pop.has, pop.age
    w = np.ones(pop.n)
    match fraud_type:
        case FraudType.BRUSHING:
            w *= (
                np.where(g(PersonGroup.STUDENT), 4, 1)
                * np.where(has(NEEDS_CASH), 3, 1)
                * np.where((age >= 18) & (age <= 35), 2, 1)
                * np.where(age >= 60, 0.3, 1)
                * np.where(pop.female, 1.3, 1)
            )
        case FraudType.PIG_BUTCHERING:
            w *= (
                np.where(g(PersonGroup.SINGLE_18_40), 5, 1)
                * np.where(has(INVESTOR), 2, 1)
                * np.where(has(SAVINGS), 1.5, 1)
                * np.where(age < 22, 0.2, 1)
            )
        case FraudType.SHOPPING | FraudType.FAKE_CS_REFUND:
            w *= np.where(has(SHOPPER), 4, 1) * np.where((age >= 20) & (age <= 50), 1.5, 0.6)
        case FraudType.LOAN:
            w *= np.where(has(NEEDS_CASH), 8, 1) * np.where(age >= 65, 0.2, 1)
        case FraudType.FAKE_CREDIT_REPAIR:
            w *= np.where((age >= 20) & (age <= 32), 5, 0.5) * np.where(g(PersonGroup.STUDENT), 2, 1)
        case FraudType.FAKE_BOSS_ACQ:
            w *= np.where(g(PersonGroup.FINANCE_STAFF), 60, 1) * np.where(has(OFFICE), 2, 1)
        case FraudType.FAKE_AUTHORITY:
            w *= (
                np.where(g(PersonGroup.ELDERLY), np.where(pop.female, 9, 6), 1)
                * np.where(g(PersonGroup.STUDENT), 2, 1)
                * np.where(has(SAVINGS), 1.5, 1)
            )
        case FraudType.ROMANCE:
            w *= np.where(g(PersonGroup.SINGLE_18_40), 4, 1) * np.where(age >= 55, 1.5, 1)
        case FraudType.GAME_TRADE:
            w *= (
                np.where(has(GAMER), 8, 1)
                * np.where(g(PersonGroup.STUDENT), 2, 1)
                * np.where(age > 40, 0.1, 1)
            )
        case FraudType.FLIGHT_CHANGE:
            w *= np.where(has(TRAVELLER), 10, 1) * np.where(age < 18, 0.1, 1)
    return w


def pick_victims(pop: Population, count: int, seed: int) -> dict[FraudType, np.ndarray]:
    """`count` distinct victims split by type shares (each type at least once unless `count` is 0),
    drawn by target weight."""
    rng = np.random.default_rng([seed, 20])
    taken = np.zeros(pop.n, dtype=bool)
    out: dict[FraudType, np.ndarray] = {}
    for fraud_type, share in TYPE_SHARES.items():
        k = min(max(1, round(count * share)) if count else 0, int((~taken).sum()))
        w = target_weights(pop, fraud_type) * ~taken
        chosen = rng.choice(pop.n, k, replace=False, p=w / w.sum()) if k else np.zeros(0, dtype=np.int64)
        taken[chosen] = True
        out[fraud_type] = np.sort(chosen)
    return out


def plan_fraud(
    pop: Population, cat: Catalog, issuer: Issuer, cfg: SimConfig, *, seed: int, window: tuple[int, int]
) -> FraudSide:
    wanted = round(pop.n * cfg.victim_rate)
    victims = pick_victims(pop, max(len(TYPE_SHARES), wanted) if cfg.victim_rate > 0 else 0, seed)
    infra = build_infrastructure(
        pop, issuer, cfg, seed=seed, window=window, counts={t: len(v) for t, v in victims.items()}
    )
    planner = _Planner(pop, cfg, infra, window, f"sim{seed}-", tuple(cat.lenders))
    rng = random.Random(seed * 1_000_003 + 11)
    for fraud_type, chosen in victims.items():
        for index in chosen.tolist():
            planner.episode(fraud_type, index, rng)
    mules = itertools.count(1)
    mule_records, flows = launder(
        sorted(planner.incoming, key=lambda x: (x[0], x[3])),
        rng=rng,
        next_id=lambda: f"sim{seed}-m{next(mules):08d}",
        end=window[1],
    )
    text_rng = random.Random(seed * 7 + 3)
    cold = {
        t: pl.Series([fraud_text(t, Stage.HOOK, Channel.SMS, text_rng) for _ in range(cfg.fraud_pool)])
        for t in TYPE_SHARES
    }
    return FraudSide(infra, planner.episodes, planner.records + mule_records, flows, planner.leads, cold)


@dataclass
class _Planner:
    """Runs victims' journeys one after another and collects their records, truth and leads."""

    pop: Population
    cfg: SimConfig
    infra: Infrastructure
    window: tuple[int, int]
    prefix: str
    lenders: tuple[str, ...]
    episodes: list[Episode] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    leads: list[dict[str, Any]] = field(default_factory=list)
    incoming: list[tuple[int, Asset, int, str, Campaign]] = field(default_factory=list)
    _fraud_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lead_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def episode(self, fraud_type: FraudType, index: int, rng: random.Random) -> None:
        script = SCRIPTS[fraud_type]
        campaign = rng.choice(self.infra.campaigns[fraud_type])
        w0, w1 = self.window
        span_days = max(1, (w1 - w0) // DAY + script.lead_days)
        start = w0 + (rng.randrange(span_days) - script.lead_days) * DAY + rng.randint(8 * 3600, 22 * 3600)
        victim = _victim(self.pop, index, script.budget_yuan, rng)
        trip = Trip(fraud_type, campaign, victim, rng, start, self._fraud_id, self.window)
        trip.transcripts, trip.lenders = self.cfg.fraud_call_transcripts, self.lenders
        script.run(trip)
        episode = trip.episode(f"ep-{victim.person_id}-{datetime.fromtimestamp(start, CST):%Y%m%d%H%M}")
        self.episodes.append(episode)
        self.records.extend(trip.visible())
        for record in episode_leads(trip, episode, rng, self._lead_id):
            if w0 <= record["ts"] < w1:
                self.records.append(record)
                self.leads.append(
                    {k: record[k] for k in ("event_id", "source", "ts")} | {"episode_id": episode.episode_id}
                )
        payees = {t.event_id: t.asset for t in trip.touches if t.kind == "ACCOUNT"}
        self.incoming.extend(
            (int(p.at.timestamp()), payees[p.event_id], p.amount_fen, p.event_id, campaign)
            for p in episode.payments
        )

    def _fraud_id(self) -> str:
        return f"{self.prefix}f{next(self._fraud_ids):08d}"

    def _lead_id(self) -> str:
        return f"{self.prefix}l{next(self._lead_ids):08d}"


def _victim(pop: Population, index: int, budget_yuan: int, rng: random.Random) -> Victim:
    first, count = int(pop.first_account[index]), int(pop.account_count[index])
    family = int(pop.social[(pop.social_pos[index] + 1) % pop.n])
    budget = budget_yuan * 100 * math.exp(rng.gauss(0, 0.9))
    budget *= 2 if pop.traits[index] & SAVINGS else 1
    budget *= 0.3 if pop.groups[index] & 2 else 1  # students have little
    return Victim(
        index,
        str(pop.person_ids[index]),
        str(pop.phones[int(pop.primary_phone[index])]),
        tuple(str(a) for a in pop.accounts.slice(first, count)),
        str(pop.handles[index]),
        str(pop.accounts[int(pop.first_account[family])]),
        max(20_000, int(budget)),
    )


def cold_contacts(
    side: FraudSide, pop: Population, cfg: SimConfig, *, day: int, t0: int, seed: int
) -> tuple[pl.DataFrame, list[dict[str, Any]]]:
    """Fraud calls and texts to people who hang up or ignore them; a few come back as NAFC leads."""
    rng = np.random.default_rng([seed, 30, day])
    k = int(rng.poisson(pop.n * cfg.cold_contacts))
    campaigns = [c for c in side.infra.all_campaigns() if c.fraud_type is not FraudType.FAKE_BOSS_ACQ]
    live = [(c, a) for c in campaigns for a in c.numbers.live(t0, t0 + DAY)]
    if not k or not live:
        return pl.DataFrame(), []
    pick_live = rng.integers(0, len(live), k)
    ts = times(rng, k, t0)
    person = rng.integers(0, pop.n, k)
    phone = pop.phones.gather(pop.primary_phone[person])
    is_call = rng.random(k) < 0.5
    seconds = np.where(rng.random(k) < 0.85, rng.integers(0, 30, k), rng.integers(30, 400, k))
    types = list(side.cold_texts)
    pool = pl.concat([side.cold_texts[t] for t in types])
    offset = np.array([types.index(c.fraud_type) * cfg.fraud_pool for c, _ in live])
    texts = pool.gather(offset[pick_live] + rng.integers(0, cfg.fraud_pool, k))
    frame = pl.DataFrame(
        {
            "ts": ts,
            "kind": pick(("sms", "call"), is_call),
            "phone": phone,
            "counterpart": pick([a.value for _, a in live], pick_live),
            "direction": pl.repeat("IN", k, eager=True),
            "duration_s": pl.Series(seconds).zip_with(
                pl.Series(is_call), pl.Series([None] * k, dtype=pl.Int64)
            ),
            "text": texts.zip_with(pl.Series(~is_call), pl.Series([None] * k, dtype=pl.String)),
        }
    )
    leads = []
    lead_rng = random.Random(seed * 1_000_033 + day)
    for i in np.flatnonzero(is_call & (seconds >= 60)).tolist():
        listed = live[int(pick_live[i])][1].listed_at
        if listed is not None and lead_rng.random() < 0.3:
            at = nafc_batch(max(int(ts[i]), listed), lead_rng)
            leads.append(
                lead(
                    at,
                    LeadSource.NAFC_COMM,
                    "MEDIUM",
                    f"sim{seed}-c{day:03d}l{i:07d}",
                    lead_rng,
                    phone=str(phone[i]),
                )
            )
    return frame, leads


def indicators(side: FraudSide, window: tuple[int, int]) -> list[Indicator]:
    """What the national lists know by the end of the window, each with when it learned it."""
    out: list[Indicator] = []
    for campaign in side.infra.all_campaigns():
        for kind, rotation in (
            (IndicatorKind.PHONE, campaign.numbers),
            (IndicatorKind.URL, campaign.hosts),
            (IndicatorKind.APP, campaign.apps),
        ):
            if kind is IndicatorKind.APP and rotation.assets[0].label is None:
                continue
            out.extend(
                _indicator(kind, a.value, a.listed_at, campaign.fraud_type)
                for a in rotation.assets
                if _listed(a.listed_at, window)
            )
    seen: set[str] = set()
    for account in side.infra.mule_accounts():
        if _listed(account.listed_at, window) and account.value not in seen:
            seen.add(account.value)
            out.append(_indicator(IndicatorKind.ACCOUNT, account.value, account.listed_at, FraudType.UNKNOWN))
    return out


def _listed(at: int | None, window: tuple[int, int]) -> bool:
    return at is not None and at < window[1]


def _indicator(kind: IndicatorKind, value: str, at: int | None, fraud_type: FraudType) -> Indicator:
    assert at is not None
    return Indicator(
        kind=kind,
        value=value,
        source="NAFC",
        fraud_type=fraud_type,
        listed_at=datetime.fromtimestamp(at, CST),
    )
