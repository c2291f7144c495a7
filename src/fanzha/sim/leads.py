"""Upstream leads (domain brief §3.2), arriving as they do: late, batched, or never.

The national centre learns of a victim only after it has listed the account or number involved, and
pushes its warnings in batches a few times a day; banks flag large transfers within the hour; operators
flag long calls from abnormal lines; victims call 110 after they realise, often a day later.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

from fanzha.event.codes import LeadSource
from fanzha.sim.campaigns import DAY
from fanzha.sim.journey import Trip
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
    v = trip.victim
    ftype = episode.fraud_type.value
    out: list[dict[str, Any]] = []

    def add(ts: int, source: LeadSource, level: str, known_type: bool, **who: Any) -> None:
        out.append(lead(ts, source, level, next_id(), rng, fraud_type=ftype if known_type else None, **who))

    first = {
        k: next((t for t in trip.touches if t.kind in k), None)
        for k in (("ACCOUNT",), ("PHONE", "SMS"), ("URL", "APP"))
    }
    pay = first[("ACCOUNT",)]
    if pay and pay.asset.listed_at is not None and rng.random() < 0.85:
        add(
            nafc_batch(max(pay.ts, pay.asset.listed_at) + rng.randint(1800, 4 * 3600), rng),
            LeadSource.NAFC_FUND,
            "HIGH",
            rng.random() < 0.6,
            person_id=v.person_id,
            phone=v.phone,
        )
    for key, source in ((("PHONE", "SMS"), LeadSource.NAFC_COMM), (("URL", "APP"), LeadSource.NAFC_NET)):
        touch = first[key]
        if (
            touch
            and touch.asset.listed_at is not None
            and touch.asset.listed_at - touch.ts < 7 * DAY
            and rng.random() < 0.5
        ):
            add(nafc_batch(max(touch.ts, touch.asset.listed_at), rng), source, "MEDIUM", False, phone=v.phone)
    for touch in trip.touches:
        if touch.kind == "ACCOUNT" and _amount(trip, touch.event_id) >= 5_000_000 and rng.random() < 0.3:
            add(
                touch.ts + rng.randint(300, 5400),
                LeadSource.BANK,
                "HIGH",
                False,
                account=_payer(trip, touch.event_id),
            )
        elif touch.kind == "PHONE" and touch.seconds >= 600 and rng.random() < 0.25:
            add(
                touch.ts + touch.seconds + rng.randint(300, 3600),
                LeadSource.OPERATOR,
                "MEDIUM",
                False,
                phone=v.phone,
            )
        elif touch.kind == "SMS" and rng.random() < 0.08:
            add(touch.ts + rng.randint(3600, 12 * 3600), LeadSource.MIIT_12381, "LOW", False, phone=v.phone)
        elif touch.kind == "HANDLE" and rng.random() < 0.03:
            add(touch.ts + rng.randint(6 * 3600, 72 * 3600), LeadSource.INTERNET, "LOW", False, phone=v.phone)
    paid = [t for t in trip.touches if t.kind == "ACCOUNT"]
    if paid and rng.random() < 0.05:
        add(
            paid[0].ts + rng.randint(3600, 48 * 3600),
            LeadSource.HOTLINE_96110,
            "HIGH",
            False,
            person_id=v.person_id,
        )
    if paid and rng.random() < 0.55:  # the victim realises and reports, usually the next day
        add(
            paid[-1].ts + int(20 * 3600 * math.exp(rng.gauss(0, 0.9))),
            LeadSource.CALL_110,
            "HIGH",
            True,
            person_id=v.person_id,
        )
    if not paid and trip.touches and rng.random() < 0.15:
        add(trip.touches[-1].ts + rng.randint(1800, DAY), LeadSource.APP_REPORT, "LOW", False, phone=v.phone)
    return out


def _record(trip: Trip, event_id: str) -> dict[str, Any]:
    return next(r for r in trip.records if r["event_id"] == event_id)


def _amount(trip: Trip, event_id: str) -> int:
    return int(_record(trip, event_id)["amount_fen"])


def _payer(trip: Trip, event_id: str) -> str:
    return str(_record(trip, event_id)["payer_account"])
