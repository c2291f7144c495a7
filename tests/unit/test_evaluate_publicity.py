"""Publicity in the simulated city: awareness, the strategies' campaigns, the gate, the figures."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from fanzha.evaluate.model import RunRecord
from fanzha.evaluate.publicity import (
    AwarenessConfig,
    PublicityConfig,
    PublicityGate,
    Tip,
    plan_flood,
    plan_targeted,
)
from fanzha.evaluate.publicity_metrics import STRATEGIES, PublicityReport, Spent, figures, outcome
from fanzha.event.codes import FraudType, PersonGroup
from fanzha.prevention.model import Channel, Resident
from fanzha.risk.model import Assessment, Reason
from fanzha.sim.truth import Episode, Payment

T0 = datetime(2026, 10, 1, 2, 0, tzinfo=UTC)
CONFIG = PublicityConfig()


def episode(person: str = "P1", fraud_type: FraudType = FraudType.FAKE_AUTHORITY, n: int = 3) -> Episode:
    payments = tuple(
        Payment(f"{person}-pay{i}", T0 + timedelta(days=1 + i), 100_000 * (i + 1), "A", "B") for i in range(n)
    )
    return Episode(f"ep-{person}", person, fraud_type, T0, payments, frozenset(p.event_id for p in payments))


def gate(
    tips: list[Tip], *, seed: str = "s", config: PublicityConfig = CONFIG, **kw: object
) -> PublicityGate:
    return PublicityGate([episode()], tips, config, seed, **kw)  # type: ignore[arg-type]


def test_awareness_fades_and_combines() -> None:
    sms = Tip("P1", "FAKE_AUTHORITY", T0, Channel.SMS)
    g = gate([sms])
    assert g.awareness("P1", FraudType.FAKE_AUTHORITY, T0 - timedelta(seconds=1)) == 0  # not yet sent
    assert g.awareness("P1", FraudType.FAKE_AUTHORITY, T0) == pytest.approx(0.3)
    assert g.awareness("P1", FraudType.FAKE_AUTHORITY, T0 + timedelta(days=15)) == pytest.approx(0.15)
    assert g.awareness("P1", FraudType.FAKE_AUTHORITY, T0 + timedelta(days=30)) == 0
    assert g.awareness("P1", FraudType.LOAN, T0) == 0  # another type's tip teaches nothing of this one
    assert g.awareness("P2", FraudType.FAKE_AUTHORITY, T0) == 0
    both = gate([sms, Tip("P1", "FAKE_AUTHORITY", T0, Channel.VISIT)])
    assert both.awareness("P1", FraudType.FAKE_AUTHORITY, T0) == pytest.approx(1 - 0.7 * 0.4)
    general = gate([Tip("P1", "GENERAL", T0, Channel.SMS)])
    assert general.awareness("P1", FraudType.LOAN, T0) == pytest.approx(0.3 * 0.3)


def test_a_victim_who_stops_makes_no_later_payment_and_luck_is_shared() -> None:
    certain = replace(CONFIG, awareness=AwarenessConfig(sms_boost=1.0, start_factor=1.0, keep_factor=0.0))
    g = gate([Tip("P1", "FAKE_AUTHORITY", T0, Channel.SMS)], config=certain)
    assert g.withhold("P1-pay0", T0 + timedelta(days=1), set()) == ["P1-pay0", "P1-pay1", "P1-pay2"]
    assert g.withhold("unrelated-event", T0, set()) == []
    # Once the first payment was made, only keep_factor (0 here) can stop the rest.
    assert g.withhold("P1-pay1", T0 + timedelta(days=2), {"P1-pay0"}) == []
    assert gate([]).withhold("P1-pay0", T0 + timedelta(days=1), set()) == []  # no tip, no effect
    half = [gate([Tip("P1", "FAKE_AUTHORITY", T0, Channel.SMS)], seed=f"s{i}") for i in range(200)]
    stopped = [bool(h.withhold("P1-pay0", T0 + timedelta(days=1), set())) for h in half]
    assert 30 < sum(stopped) < 80  # about 0.3 × (1 − 1/30) of 200
    again = [bool(h.withhold("P1-pay0", T0 + timedelta(days=1), set())) for h in half]
    assert again == stopped  # the draw is the payment's, not the call's


def residents() -> list[Resident]:
    elderly = frozenset({PersonGroup.ELDERLY})
    students = [
        Resident(f"S{i}", "S1", 2006, "F", "学生", frozenset({PersonGroup.STUDENT})) for i in range(30)
    ]
    old = [Resident(f"E{i}", "S1", 1950, "M", "退休", elderly) for i in range(30)]
    others = [Resident(f"O{i}", "S1", 1985, "M", "程序员", frozenset()) for i in range(40)]
    return students + old + others


def test_targeted_tips_go_to_each_topics_audience_within_the_budget() -> None:
    tips = plan_targeted(residents(), 20, CONFIG, T0, "seed")
    assert len(tips) <= 20
    assert len({t.person_id for t in tips}) == len(tips)  # one tip a person
    targeting = CONFIG.targeting
    people = {p.person_id: p for p in residents()}
    assert all(targeting.topic(t.topic).matches(people[t.person_id], T0.year) for t in tips)
    assert tips == plan_targeted(residents(), 20, CONFIG, T0, "seed")  # deterministic
    flood = plan_flood(residents(), {"BRUSHING": 5, "LOAN": 3}, T0, "seed")
    assert len(flood) == 8
    assert len({t.person_id for t in flood}) == 8


def test_special_groups_get_light_contacts_in_the_targeted_run_only() -> None:
    reason = Reason("FRAUD_NUMBER_CONTACT", "s", 10, FraudType.FAKE_AUTHORITY, T0, "e1", {})
    quiet = Assessment(
        "person:P1", "P1", "e1", 10, None, FraudType.FAKE_AUTHORITY, (reason,), "v", T0, False, False
    )
    elderly = {"P1": frozenset({PersonGroup.ELDERLY})}
    targeted = gate([], groups=elderly)
    targeted.assessed(quiet, None)
    targeted.assessed(quiet, None)  # within the cooldown: once
    assert (targeted.visits, targeted.special, targeted.messages) == (1, 1, 0)
    assert targeted.awareness("P1", FraudType.FAKE_AUTHORITY, T0 + timedelta(days=1)) == pytest.approx(0.6)
    assert targeted.officer_minutes(campaigns=2) == 2 * 60 + 30
    warned = gate([], groups=elderly)
    warned.assessed(quiet, 7)
    assert warned.special == 0
    flood = gate([])
    flood.assessed(quiet, None)
    assert flood.special == 0


def test_outcome_and_figures() -> None:
    episodes = [episode("P1"), episode("P2", n=1)]
    none = RunRecord("none", (), withheld=frozenset())
    some = RunRecord("t", (), withheld=frozenset({"P2-pay0", "P1-pay2"}))
    base, got = outcome(none, episodes), outcome(some, episodes)
    assert (base.victims, base.loss_fen) == (2, 700_000)
    assert (got.victims, got.loss_fen) == (1, 300_000)
    f = figures(got, base, Spent(messages=500, officer_minutes=120, visits=2, special_contacts=3))
    assert f.victims_avoided_per_1000_messages == 2.0
    assert f.victims_avoided_per_officer_hour == 0.5
    assert f.loss_avoided_per_1000_messages_fen == 800_000
    zero = figures(base, base, Spent())
    assert zero.victims_avoided_per_1000_messages is None
    report = PublicityReport({"targeted": f, "flood": zero, "none": zero}, {})
    data = report.to_json()
    assert list(data) == list(STRATEGIES)
    for name in STRATEGIES:
        assert {
            "messages",
            "officer_hours",
            "victims",
            "loss_fen",
            "victims_avoided_per_1000_messages",
        } <= set(data[name])
