"""Laundering: what happens to a victim's money after it reaches a level-1 account.

Each account forwards what it received, minus a small cut, a little later: level 1 fans out to several
level-2 accounts of the ring (which fan in from many level-1 accounts), level 2 moves it quickly on to
level 3, and level 3 cashes out at ATMs (a Transfer with channel "atm" to the pseudo-account CASH-ATM),
through 跑分 merchants, or to an OTC crypto dealer. Every hop happens after the money arrived, and no
hop sends more than it received, so fund tracing (domain brief §4.3) can follow it by time.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from typing import Any

from fanzha.sim.campaigns import Asset, Campaign
from fanzha.sim.numbers import CASH

ATM_LIMIT = 2_000_000  # fen per withdrawal


def launder(
    payments: list[tuple[int, Asset, int, str, Campaign]],
    *,
    rng: random.Random,
    next_id: Callable[[], str],
    end: int,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Records and flow truth for money arriving at level-1 accounts.

    `payments` are (ts, account, fen, event id, campaign)."""
    queue: list[tuple[int, int, Asset, int, str, Campaign]] = [
        (ts, i, acc, amount, eid, camp) for i, (ts, acc, amount, eid, camp) in enumerate(payments)
    ]
    heapq.heapify(queue)
    records: list[dict[str, Any]] = []
    flows: list[dict[str, Any]] = []
    order = len(queue)
    while queue:
        ts, _, account, amount, parent, campaign = heapq.heappop(queue)
        for at, target, part, channel, name in _hops(account, amount, ts, campaign, rng):
            if at >= end:
                continue
            event_id = next_id()
            to = target.value if isinstance(target, Asset) else target
            to_level = target.level if isinstance(target, Asset) else 0
            records.append(
                _transfer(event_id, at, account.value, to, amount=part, channel=channel, name=name)
            )
            flows.append(
                {"event_id": event_id, "parent_event_id": parent, "at": at, "amount_fen": part}
                | {"from_account": account.value, "from_level": account.level}
                | {"to_account": to, "to_level": to_level, "campaign_id": campaign.campaign_id}
            )
            if isinstance(target, Asset):
                order += 1
                heapq.heappush(queue, (at, order, target, part, event_id, campaign))
    return records, flows


def _transfer(
    event_id: str, at: int, payer: str, payee: str, *, amount: int, channel: str, name: str | None
) -> dict[str, Any]:
    return {
        "ts": at,
        "kind": "transfer",
        "event_id": event_id,
        "payer_account": payer,
        "payee_account": payee,
        "amount_fen": amount,
        "channel": channel,
        "payee_name": name,
    }


def _hops(
    account: Asset, amount: int, ts: int, campaign: Campaign, rng: random.Random
) -> list[tuple[int, Asset | str, int, str, str | None]]:
    ring = campaign.ring
    if account.level in (1, 2):
        nxt = ring.level2 if account.level == 1 else ring.level3
        count = rng.randint(1, 3) if account.level == 1 else rng.randint(1, 2)
        at = ts + int(rng.uniform(3, 90 if account.level == 1 else 240) * 60)
        keep = 1 - rng.uniform(0, 0.02)  # the card seller's or the crew's cut
        return [
            (at + i * rng.randint(5, 120), nxt.at(at, rng), part, "online", None)
            for i, part in enumerate(_split(int(amount * keep), count, rng))
        ]
    at = ts + int(rng.uniform(10, 600) * 60)
    if ring.cashout == "atm":
        parts = _split(amount, max(1, -(-amount // ATM_LIMIT)), rng)
        return [
            (at + i * rng.randint(60, 900), CASH, p // 10_000 * 10_000, "atm", None)
            for i, p in enumerate(parts)
            if p >= 10_000
        ]
    if ring.cashout == "paofen":  # "score-running": the money poses as purchases at many merchants
        parts = _split(amount, rng.randint(3, 6), rng)
        return [
            (at + i * rng.randint(30, 600), rng.choice(ring.sinks), p, "online", "商贸有限公司")
            for i, p in enumerate(parts)
        ]
    return [(at, rng.choice(ring.sinks), amount, "online", "USDT承兑")]


def _split(amount: int, count: int, rng: random.Random) -> list[int]:
    """`amount` in `count` uneven positive parts that add up to it exactly."""
    if count <= 1 or amount < count * 100:
        return [amount]
    cuts = sorted(rng.randint(1, amount - 1) for _ in range(count - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, amount], strict=True) if b > a]
