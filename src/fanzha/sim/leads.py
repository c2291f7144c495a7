"""Upstream leads (domain brief §3.2), arriving as they do: late, batched, or never.

The national centre learns of a victim only after it has listed the account or number involved, and
pushes its warnings in batches a few times a day; banks flag large transfers within the hour; operators
flag long calls from abnormal lines; victims call 110 after they realise, often a day later.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fanzha.event.codes import LeadSource
from fanzha.sim.campaigns import DAY
from fanzha.sim.journey import Touch, Trip
from fanzha.sim.truth import Episode

NAFC_BATCH_HOURS = (2, 8, 14, 20)  # pushes to the city a few times a day (Gansu: 4 batches)
NOTES = {
    LeadSource.NAFC_FUND: "涉诈账户资金流向研判：该人员向涉诈账户转账",
    LeadSource.NAFC_COMM: "该人员与涉诈号码有通联",
    LeadSource.NAFC_NET: "该人员访问涉诈网址或安装涉诈APP",
    LeadSource.BANK: "银行监测：大额可疑转账",
    LeadSource.OPERATOR: "运营商监测：与异常号码长时间通话",
    LeadSource.MIIT_12381: "12381涉诈短信预警",
    LeadSource.INTERNET: "互联网平台移送：与涉诈账号聊天",
    LeadSource.HOTLINE_96110: "96110来电：家属反映疑似被骗",
    LeadSource.CALL_110: "110报警：受害人报案",
    LeadSource.APP_REPORT: "国家反诈中心APP举报",
}


def nafc_batch(ts: int, rng: random.Random) -> int:
    """The next push of the national centre after `ts` (local batch hours), plus transmission."""
    local = ts + 8 * 3600
    midnight = local - local % DAY
    for day in (0, 1):
        for hour in NAFC_BATCH_HOURS:
            slot = midnight + day * DAY + hour * 3600
            if slot >= local:
                return slot - 8 * 3600 + rng.randint(0, 40 * 60)
    return ts + DAY


def lead(
    ts: int, source: LeadSource, level: str, event_id: str, rng: random.Random, **who: Any
) -> dict[str, Any]:
    return {
        "ts": ts,
        "kind": "lead",
        "event_id": event_id,
        "source": source.value,
        "level": level,
        "source_ref": f"{source.value}-{rng.randrange(10**9):09d}",
        "note": NOTES.get(source),
        **who,
    }


def episode_leads(
    trip: Trip, episode: Episode, rng: random.Random, next_id: Callable[[], str]
) -> list[dict[str, Any]]:
    """The leads one episode gives rise to, each with its own source's delay and chance."""
    leads = _Leads(trip, episode.fraud_type.value, rng, next_id)
    leads.national()
    leads.monitoring()
    leads.people()
    return leads.out


@dataclass
class _Leads:
    trip: Trip
    fraud_type: str
    rng: random.Random
    next_id: Callable[[], str]
    out: list[dict[str, Any]] = field(default_factory=list)

    def add(self, ts: int, source: LeadSource, level: str, known_type: bool, **who: Any) -> None:
        fraud_type = self.fraud_type if known_type else None
        self.out.append(lead(ts, source, level, self.next_id(), self.rng, fraud_type=fraud_type, **who))

    def national(self) -> None:
        """NAFC warnings: only once the account, number, site or app is listed, in the next batch."""
        v, rng = self.trip.victim, self.rng
        pay = self._first("ACCOUNT")
        if pay and pay.asset.listed_at is not None and rng.random() < 0.85:
            at = nafc_batch(max(pay.ts, pay.asset.listed_at) + rng.randint(1800, 4 * 3600), rng)
            self.add(
                at, LeadSource.NAFC_FUND, "HIGH", rng.random() < 0.6, person_id=v.person_id, phone=v.phone
            )
        for kinds, source in (
            (("PHONE", "SMS"), LeadSource.NAFC_COMM),
            (("URL", "APP"), LeadSource.NAFC_NET),
        ):
            touch = self._first(*kinds)
            listed = touch.asset.listed_at if touch else None
            if touch and listed is not None and listed - touch.ts < 7 * DAY and rng.random() < 0.5:
                self.add(nafc_batch(max(touch.ts, listed), rng), source, "MEDIUM", False, phone=v.phone)

    def monitoring(self) -> None:
        """Banks, operators, the 12381 SMS system and platforms, each on its own kind of contact."""
        phone, rng = self.trip.victim.phone, self.rng
        for touch in self.trip.touches:
            record = next(r for r in self.trip.records if r["event_id"] == touch.event_id)
            if touch.kind == "ACCOUNT" and record["amount_fen"] >= 5_000_000 and rng.random() < 0.3:
                at = touch.ts + rng.randint(300, 5400)
                self.add(at, LeadSource.BANK, "HIGH", False, account=record["payer_account"])
            elif touch.kind == "PHONE" and touch.seconds >= 600 and rng.random() < 0.25:
                at = touch.ts + touch.seconds + rng.randint(300, 3600)
                self.add(at, LeadSource.OPERATOR, "MEDIUM", False, phone=phone)
            elif touch.kind == "SMS" and rng.random() < 0.08:
                self.add(
                    touch.ts + rng.randint(3600, 12 * 3600), LeadSource.MIIT_12381, "LOW", False, phone=phone
                )
            elif touch.kind == "HANDLE" and rng.random() < 0.03:
                self.add(
                    touch.ts + rng.randint(6 * 3600, 72 * 3600),
                    LeadSource.INTERNET,
                    "LOW",
                    False,
                    phone=phone,
                )

    def people(self) -> None:
        """Family calls 96110, victims call 110 once they realise, or report a contact in the app."""
        v, rng, touches = self.trip.victim, self.rng, self.trip.touches
        paid = [t for t in touches if t.kind == "ACCOUNT"]
        if paid and rng.random() < 0.05:
            at = paid[0].ts + rng.randint(3600, 48 * 3600)
            self.add(at, LeadSource.HOTLINE_96110, "HIGH", False, person_id=v.person_id)
        if paid and rng.random() < 0.55:  # usually the next day
            at = paid[-1].ts + int(20 * 3600 * math.exp(rng.gauss(0, 0.9)))
            self.add(at, LeadSource.CALL_110, "HIGH", True, person_id=v.person_id)
        if not paid and touches and rng.random() < 0.15:
            self.add(
                touches[-1].ts + rng.randint(1800, DAY), LeadSource.APP_REPORT, "LOW", False, phone=v.phone
            )

    def _first(self, *kinds: str) -> Touch | None:
        return next((t for t in self.trip.touches if t.kind in kinds), None)
