"""One victim's journey, step by step: contacts, chats, sites, apps, payments, rebates.

A `Trip` keeps the clock of the journey and turns each step into a wire record (with `ts`, Unix
seconds) using the campaign's asset in use at that moment. Payments stop when the victim's money
(their budget) runs out. Steps outside the observed window are dropped from the stream and the truth.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fanzha.corpus import Channel, Stage, Topic, fraud_text, normal_text
from fanzha.event.codes import FraudType
from fanzha.sim.campaigns import DAY, Asset, Campaign
from fanzha.sim.truth import Episode, Payment
from fanzha.sim.wire import CST


@dataclass(frozen=True, slots=True)
class Victim:
    index: int
    person_id: str
    phone: str
    accounts: tuple[str, ...]
    handle: str
    family_account: str  # whom they borrow from
    budget_fen: int  # what they could lose at most


@dataclass(frozen=True, slots=True)
class Touch:
    """A fraud-side contact the lead sources may pick up later."""

    kind: str  # PHONE | HANDLE | URL | APP | SMS
    asset: Asset
    ts: int
    event_id: str
    seconds: int = 0


@dataclass
class Trip:
    fraud_type: FraudType
    campaign: Campaign
    victim: Victim
    rng: random.Random
    t: int
    next_id: Callable[[], str]
    window: tuple[int, int]
    transcripts: float = 0.5
    lenders: tuple[str, ...] = ()
    records: list[dict[str, Any]] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    rebates: list[Payment] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    touches: list[Touch] = field(default_factory=list)
    spent: int = 0
    account_turn: int = 0
    started: int = 0
    sticky: dict[str, Asset] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.started = self.t

    # time
    def later(self, lo: float, hi: float) -> None:
        """Move on `lo`..`hi` minutes."""
        self.t += int(self.rng.uniform(lo, hi) * 60)

    def next_day(self, days: int = 1) -> None:
        """Jump to a waking hour `days` days later."""
        local = self.t + 8 * 3600
        self.t = local - local % DAY + days * DAY - 8 * 3600 + self.rng.randint(8 * 3600, 22 * 3600)

    def asset(self, kind: str) -> Asset:
        """The campaign's asset of `kind` for this victim: the same one until it is burned."""
        held = self.sticky.get(kind)
        # A persona keeps talking to its victims after it stops recruiting; collection accounts rotate.
        burned = kind == "level1" and (held is None or held.active_to <= self.t or self.rng.random() < 0.3)
        if held is None or burned:
            held = self.sticky[kind] = getattr(self.campaign, kind).at(self.t, self.rng)
        return held

    # contacts
    def call(self, stage: Stage, minutes: tuple[float, float], direction: str = "IN") -> None:
        number = self.asset("numbers")
        seconds = int(self.rng.uniform(*minutes) * 60)
        transcript = (
            fraud_text(self.fraud_type, stage, Channel.CALL, self.rng)
            if self.rng.random() < self.transcripts
            else None
        )
        rec = self._emit(
            "call",
            phone=self.victim.phone,
            counterpart=number.value,
            direction=direction,
            duration_s=seconds,
            transcript=transcript,
        )
        self.touches.append(Touch("PHONE", number, self.t, rec["event_id"], seconds))
        self.t += seconds

    def sms(self, stage: Stage, link: bool = False) -> None:
        number = self.asset("numbers")
        text = fraud_text(self.fraud_type, stage, Channel.SMS, self.rng)
        if link:
            text += " https://" + self.asset("hosts").value + "/" + self.rng.choice(("m", "h5", "a", "login"))
        rec = self._emit("sms", phone=self.victim.phone, counterpart=number.value, direction="IN", text=text)
        self.touches.append(Touch("SMS", number, self.t, rec["event_id"]))

    def chat(
        self,
        stage: Stage,
        *,
        platform: str = "wechat",
        new: bool = False,
        group: str | None = None,
        n: int = 1,
    ) -> None:
        handle = self.asset("handles")
        for i in range(n):
            inbound = i % 2 == 0 or self.rng.random() < 0.5
            text = (
                fraud_text(self.fraud_type, stage, Channel.CHAT, self.rng)
                if inbound
                else normal_text(Topic.FAMILY, Channel.CHAT, self.rng)
            )
            rec = self._emit(
                "chat", phone=self.victim.phone, counterpart=handle.value, platform=platform,
                direction="IN" if inbound else "OUT", group_id=group, new_contact=new and i == 0, text=text,
            )  # fmt: skip
            self.touches.append(Touch("HANDLE", handle, self.t, rec["event_id"]))
            self.later(0.5, 8)

    def visit(self, path: str) -> None:
        host = self.asset("hosts")
        rec = self._emit("url_visit", phone=self.victim.phone, url=f"https://{host.value}/{path}")
        self.touches.append(Touch("URL", host, self.t, rec["event_id"]))

    def install(self) -> None:
        if self.campaign.apps.assets[0].label is None:
            return
        app = self.asset("apps")
        rec = self._emit(
            "app_install",
            phone=self.victim.phone,
            app_name=app.label,
            package=app.value,
            app_hash=app.app_hash,
            category=app.category,
        )
        self.touches.append(Touch("APP", app, self.t, rec["event_id"]))

    # money
    def pay(self, amount_fen: int, *, switch_account: bool = False, channel: str = "mobile") -> bool:
        """Pay the collection account in use; False when the victim has nothing left (journey over)."""
        amount = min(amount_fen, self.victim.budget_fen - self.spent)
        if amount < 10_000 and self.payments:
            return False
        amount = max(amount, 100)
        if switch_account:
            self.account_turn += 1
        payer = self.victim.accounts[self.account_turn % len(self.victim.accounts)]
        payee = self.asset("level1")
        rec = self._emit(
            "transfer", payer_account=payer, payee_account=payee.value, amount_fen=amount, channel=channel
        )
        if self.window[0] <= self.t < self.window[1]:
            self.payments.append(Payment(rec["event_id"], _dt(self.t), amount, payer, payee.value))
        self.touches.append(Touch("ACCOUNT", payee, self.t, rec["event_id"]))
        self.spent += amount
        return amount == amount_fen

    def rebate(self, amount_fen: int) -> None:
        """The ring pays the victim back a little, to hook them deeper."""
        payer = self.sticky.get("level1") or self.asset("level1")
        rec = self._emit(
            "transfer",
            payer_account=payer.value,
            payee_account=self.victim.accounts[0],
            amount_fen=amount_fen,
            channel="online",
        )
        if self.window[0] <= self.t < self.window[1]:
            self.rebates.append(
                Payment(rec["event_id"], _dt(self.t), amount_fen, payer.value, self.victim.accounts[0])
            )

    def borrow(self, amount_fen: int) -> None:
        """Money from family or a licensed lender to keep paying: caused by the fraud, not fraud-side."""
        lender = (
            self.rng.choice(self.lenders)
            if self.lenders and self.rng.random() < 0.5
            else self.victim.family_account
        )
        rec = self._emit(
            "transfer",
            payer_account=lender,
            payee_account=self.victim.accounts[0],
            amount_fen=amount_fen,
            channel="online",
        )
        self.support.append(rec["event_id"])
        self.victim = _with_budget(self.victim, self.victim.budget_fen + amount_fen)

    def _emit(self, kind: str, **fields: Any) -> dict[str, Any]:
        record = {
            "ts": self.t,
            "kind": kind,
            "event_id": self.next_id(),
            **{k: v for k, v in fields.items() if v is not None},
        }
        self.records.append(record)
        return record

    def visible(self) -> list[dict[str, Any]]:
        return [r for r in self.records if self.window[0] <= r["ts"] < self.window[1]]

    def episode(self, episode_id: str) -> Episode:
        seen = {r["event_id"] for r in self.visible()} - set(self.support)
        support = frozenset(set(self.support) & {r["event_id"] for r in self.visible()})
        return Episode(
            episode_id,
            self.victim.person_id,
            self.fraud_type,
            _dt(self.started),
            tuple(self.payments),
            frozenset(seen),
            self.campaign.campaign_id,
            rebates=tuple(self.rebates),
            support_event_ids=support,
        )


def _with_budget(v: Victim, budget: int) -> Victim:
    return Victim(v.index, v.person_id, v.phone, v.accounts, v.handle, v.family_account, budget)


def _dt(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, CST)
