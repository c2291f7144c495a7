"""The journey of each fraud type, after the per-type signal sheet (domain brief §6.2).

Every script goes hook → grooming → apps → first payment → escalation, with the type's own channels,
money pattern and pace; some victims stop before paying (contact without loss). Amounts are fen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fanzha.corpus import Stage
from fanzha.event.codes import FraudType
from fanzha.sim.journey import Trip

Y = 100  # fen per yuan


def _yuan(t: Trip, lo: int, hi: int, step: int = 100) -> int:
    return t.rng.randrange(lo // step, hi // step + 1) * step * Y


def brushing(t: Trip) -> None:
    """刷单返利: a part-time offer, a task group with shills, small tasks that really pay, then 连单."""
    if t.rng.random() < 0.5:
        t.sms(Stage.HOOK, link=True)
    else:
        t.chat(Stage.HOOK, platform=t.rng.choice(("qq", "wechat")), new=True)
    t.later(10, 300)
    group = f"task-{t.campaign.campaign_id}-{t.rng.randrange(50)}"
    t.chat(Stage.GROOMING, platform="other", group=group, new=True, n=t.rng.randint(2, 5))
    if t.rng.random() < 0.25:
        return
    t.visit("task")
    if t.rng.random() < 0.8:
        t.install()
    for _ in range(t.rng.randint(1, 2)):  # the first tasks pay out, with commission
        t.later(5, 40)
        amount = _yuan(t, 100, 600, 10)
        if not t.pay(amount):
            return
        t.later(3, 25)
        t.rebate(int(amount * t.rng.uniform(1.1, 1.3)))
    amount = t.rng.choice((2_000, 3_000, 5_000)) * Y
    for _ in range(t.rng.randint(2, 5)):  # "连单": 2-8-16, every top-up "unlocks" a bigger one
        t.later(10, 90)
        t.chat(Stage.ESCALATION, platform="other", group=group)
        if not t.pay(amount, switch_account=t.rng.random() < 0.2):
            return
        amount = int(amount * t.rng.choice((2, 2.5, 3)))


def loan(t: Trip) -> None:
    """网络贷款: no-collateral loan ad, a loan app, then fees before a payout that never comes."""
    if t.rng.random() < 0.7:
        t.sms(Stage.HOOK, link=True)
    else:
        t.call(Stage.HOOK, (2, 8))
    t.later(5, 600)
    t.visit("apply")
    t.install()
    t.later(5, 60)
    t.chat(Stage.GROOMING, platform="other", new=True, n=t.rng.randint(1, 3))
    if t.rng.random() < 0.2:
        return
    fees = [(500, 2_000), (2_000, 8_000), (5_000, 20_000), (2_000, 6_000)]  # 手续费, 解冻费, 刷流水, 保险费
    for lo, hi in fees[: t.rng.randint(2, 4)]:
        t.later(20, 300)
        t.chat(Stage.ESCALATION, platform="other")
        if not t.pay(_yuan(t, lo, hi)):
            return


def fake_cs_refund(t: Trip) -> None:
    """冒充客服: a refund or "百万保障" call, QQ, a meeting app with screen sharing, 备用金 transfers."""
    if t.rng.random() < 0.3:
        t.sms(Stage.HOOK)
        t.later(1, 120)
    t.call(Stage.HOOK, (5, 25))
    t.chat(Stage.GROOMING, platform="qq", new=True, n=2)
    if t.rng.random() < 0.25:
        return
    t.install()
    t.later(2, 15)
    t.call(Stage.APP, (10, 60))
    amount = _yuan(t, 3_000, 30_000)
    for i in range(t.rng.randint(1, 3)):
        if i and t.rng.random() < 0.3:
            t.borrow(amount)
        if not t.pay(amount, switch_account=i > 0):
            return
        t.later(5, 40)
        amount = int(amount * t.rng.uniform(1.2, 2.0))


def pig_butchering(t: Trip) -> None:
    """杀猪盘: weeks of sweet talk, an "inside tip", a platform that pays out once, then deposits."""
    t.chat(Stage.HOOK, platform="wechat", new=True)
    for _ in range(t.rng.randint(7, 30)):
        t.next_day()
        if t.rng.random() < 0.85:
            t.chat(Stage.GROOMING, platform="wechat", n=t.rng.randint(1, 4))
    if t.rng.random() < 0.2:
        return
    t.visit("register")
    t.install()
    t.later(30, 600)
    if not t.pay(_yuan(t, 5_000, 20_000, 1_000)):
        return
    t.next_day(t.rng.randint(1, 3))
    t.rebate(_yuan(t, 500, 3_000))  # the first "withdrawal" works
    amount = _yuan(t, 30_000, 200_000, 1_000)
    for i in range(t.rng.randint(2, 5)):
        t.next_day(t.rng.randint(0, 3))
        t.chat(Stage.ESCALATION, platform="wechat", n=2)
        if i and t.rng.random() < 0.35:
            t.borrow(amount // 2)
        if not t.pay(
            amount, switch_account=t.rng.random() < 0.5, channel=t.rng.choice(("mobile", "online", "counter"))
        ):
            return
        amount = int(amount * t.rng.uniform(1.3, 2.5))
    t.next_day()
    t.chat(Stage.ESCALATION, platform="wechat")  # 无法提现: pay the "tax" first
    t.pay(int(t.spent * t.rng.uniform(0.1, 0.3)))


def romance(t: Trip) -> None:
    """网络婚恋交友: a dating contact, days of courtship, then emergencies and gifts."""
    t.chat(Stage.HOOK, platform=t.rng.choice(("wechat", "other")), new=True)
    t.later(30, 300)
    t.install()
    for _ in range(t.rng.randint(4, 20)):
        t.next_day()
        t.chat(Stage.GROOMING, platform="wechat", n=t.rng.randint(1, 3))
    if t.rng.random() < 0.25:
        return
    amount = _yuan(t, 1_000, 10_000)
    for _ in range(t.rng.randint(1, 4)):
        t.chat(Stage.PAYMENT, platform="wechat")
        if not t.pay(amount):
            return
        t.next_day(t.rng.randint(1, 4))
        amount = int(amount * t.rng.uniform(1.0, 2.0))


def fake_authority(t: Trip) -> None:
    """冒充公检法: "operator" then "police" on long calls, a warrant site, a safe account, isolation."""
    t.call(Stage.HOOK, (5, 20))
    t.later(1, 10)
    t.call(Stage.GROOMING, (20, 90))
    if t.rng.random() < 0.2:
        return
    t.sms(Stage.GROOMING, link=True)
    t.later(1, 10)
    t.visit("tongjiling")
    t.install()
    amount = _yuan(t, 20_000, 200_000, 1_000)
    for i in range(t.rng.randint(1, 4)):  # "资金清查": all savings, account after account
        t.later(10, 120)
        t.call(Stage.ESCALATION, (10, 60))
        if not t.pay(amount, switch_account=i > 0, channel=t.rng.choice(("mobile", "counter", "online"))):
            return
        if t.rng.random() < 0.4:
            t.next_day()  # report movements daily; the next transfer the day after
        amount = int(amount * t.rng.uniform(0.8, 2.0))


def fake_boss(t: Trip) -> None:
    """冒充领导熟人: a cloned boss in a new QQ or a fake work group; urgent transfer to a "partner"."""
    group = f"work-fake-{t.rng.randrange(10**6)}" if t.rng.random() < 0.5 else None
    t.chat(Stage.HOOK, platform=t.rng.choice(("qq", "wechat")), new=True, group=group)
    t.later(2, 30)
    t.chat(Stage.GROOMING, platform="qq", group=group, n=2)
    if t.rng.random() < 0.25:
        return
    t.chat(Stage.PAYMENT, platform="qq", group=group)
    if t.pay(_yuan(t, 30_000, 300_000, 1_000), channel="online") and t.rng.random() < 0.4:
        t.later(10, 60)
        t.chat(Stage.ESCALATION, platform="qq", group=group)
        t.pay(_yuan(t, 20_000, 200_000, 1_000), channel="online")


def flight_change(t: Trip) -> None:
    """航班退改签: "flight cancelled, claim ¥300"; the victim calls back, shares the screen, pays."""
    t.sms(Stage.HOOK)
    t.later(1, 60)
    t.call(Stage.GROOMING, (10, 40), direction="OUT")
    if t.rng.random() < 0.25:
        return
    t.install()
    t.visit("minhang")
    t.call(Stage.APP, (10, 40))
    for i in range(t.rng.randint(1, 2)):
        if not t.pay(_yuan(t, 3_000, 30_000), switch_account=i > 0):
            return
        t.later(5, 30)


def shopping(t: Trip) -> None:
    """虚假购物服务: a cheap offer in a group or a site, a private transfer "to save fees", then extras."""
    if t.rng.random() < 0.5:
        t.chat(Stage.HOOK, platform="wechat", group=f"deal-{t.rng.randrange(200)}")
    else:
        t.visit("shop")
    t.later(5, 300)
    t.chat(Stage.GROOMING, platform="wechat", new=True, n=2)
    if t.rng.random() < 0.3:
        return
    if not t.pay(_yuan(t, 200, 3_000, 10)):
        return
    for _ in range(t.rng.randint(0, 3)):  # customs, deposit, "tax"
        t.next_day(t.rng.randint(0, 2))
        t.chat(Stage.ESCALATION, platform="wechat")
        if not t.pay(_yuan(t, 500, 5_000, 10)):
            return


def credit_repair(t: Trip) -> None:
    """虚假征信: "cancel your student loan or your credit record suffers"; borrow to "verify", pay over."""
    t.call(Stage.HOOK, (5, 20))
    t.chat(Stage.GROOMING, platform="qq", new=True, n=2)
    if t.rng.random() < 0.25:
        return
    t.install()
    t.call(Stage.APP, (10, 50))
    for i in range(t.rng.randint(1, 3)):
        amount = _yuan(t, 5_000, 40_000)
        if t.rng.random() < 0.6:
            t.borrow(amount)
        t.later(5, 30)
        if not t.pay(amount, switch_account=i > 0):
            return


def game_trade(t: Trip) -> None:
    """网络游戏虚假交易: an in-game buyer or seller, a fake trading site, deposits to "unfreeze"."""
    t.chat(Stage.HOOK, platform=t.rng.choice(("qq", "other")), new=True)
    t.later(2, 60)
    t.visit("trade")
    if t.rng.random() < 0.3:
        return
    amount = _yuan(t, 100, 2_000, 10)
    for _ in range(t.rng.randint(1, 4)):
        t.chat(Stage.ESCALATION, platform="qq")
        if not t.pay(amount):
            return
        t.later(5, 60)
        amount *= 2


@dataclass(frozen=True, slots=True)
class Script:
    run: Callable[[Trip], None]
    budget_yuan: int  # median of what a victim of this type can lose
    lead_days: int = 0  # long cons may have begun before the window opened


SCRIPTS: dict[FraudType, Script] = {
    FraudType.BRUSHING: Script(brushing, 20_000),
    FraudType.LOAN: Script(loan, 8_000),
    FraudType.FAKE_CS_REFUND: Script(fake_cs_refund, 40_000),
    FraudType.PIG_BUTCHERING: Script(pig_butchering, 300_000, lead_days=20),
    FraudType.ROMANCE: Script(romance, 30_000, lead_days=10),
    FraudType.FAKE_AUTHORITY: Script(fake_authority, 300_000),
    FraudType.FAKE_BOSS_ACQ: Script(fake_boss, 200_000),
    FraudType.FLIGHT_CHANGE: Script(flight_change, 20_000),
    FraudType.SHOPPING: Script(shopping, 5_000),
    FraudType.FAKE_CREDIT_REPAIR: Script(credit_repair, 30_000),
    FraudType.GAME_TRADE: Script(game_trade, 3_000),
}
