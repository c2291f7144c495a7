"""The simulated world end to end: events parse, every fraud type leaves its signature, money is laundered
in order, lists and leads come late, and the same seed gives the same world."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from fanzha.event.codes import FraudType, LeadSource
from fanzha.event.model import Transfer
from fanzha.event.parse import Rejection, parse_line, parse_mapping
from fanzha.sim.chunks import DEFAULT_START
from fanzha.sim.numbers import CASH
from fanzha.sim.truth import Episode
from fanzha.sim.world import World, generate
from fanzha.sim.writer import generate_to
from fanzha.stream.sources import files_in, read_records

DAYS = 12
END = DEFAULT_START + timedelta(days=DAYS)


@pytest.fixture(scope="module")
def world() -> World:
    return generate(3000, DAYS, 11, victim_rate=0.04)


@pytest.fixture(scope="module")
def by_id(world: World) -> dict[str, dict[str, Any]]:
    return {e["event_id"]: e for e in world.events}


def journey(episode: Episode, by_id: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted((by_id[i] for i in episode.event_ids), key=lambda e: (e["occurred_at"], e["event_id"]))


def at(event: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(event["occurred_at"])


def test_events_parse_in_time_order_with_unique_ids(world: World) -> None:
    fraud = set().union(*(e.event_ids for e in world.episodes))
    # Every fraud-side event and lead, and a sample of normal life (the writer test parses all of a city).
    sample = [
        e for i, e in enumerate(world.events) if i % 7 == 0 or e["event_id"] in fraud or e["kind"] == "lead"
    ]
    parsed = [parse_mapping(e, e["event_id"]) for e in sample]
    assert not [p for p in parsed if isinstance(p, Rejection)]
    assert len({e["event_id"] for e in world.events}) == len(world.events)
    times = [at(e) for e in world.events]
    assert times == sorted(times)
    assert times[0] >= DEFAULT_START
    assert times[-1] < END
    kinds = Counter(e["kind"] for e in world.events)
    assert set(kinds) == {"transfer", "call", "sms", "chat", "app_install", "url_visit", "lead"}
    assert len(fraud) < 0.05 * len(world.events)  # most of life is normal


def test_every_type_occurs_with_losses_and_without(world: World) -> None:
    types = Counter(e.fraud_type for e in world.episodes)
    assert set(types) == set(FraudType) - {FraudType.UNKNOWN}
    paid = {e.fraud_type for e in world.episodes if e.payments}
    assert len(paid) >= 9
    assert any(not e.payments and e.event_ids for e in world.episodes)  # contact without loss
    assert any(len({p.payer_account for p in e.payments}) > 1 for e in world.episodes)  # several accounts


def test_payments_are_the_victims_transfers_to_the_fraud(
    world: World, by_id: dict[str, dict[str, Any]]
) -> None:
    accounts = defaultdict(set)
    for a in world.accounts:
        accounts[a.person_id].add(a.account)
    for episode in world.episodes:
        assert episode.loss_fen == sum(p.amount_fen for p in episode.payments)
        for payment in episode.payments:
            event = by_id[payment.event_id]
            assert payment.event_id in episode.event_ids
            assert (event["payer_account"], event["payee_account"], event["amount_fen"]) == (
                payment.payer_account,
                payment.payee_account,
                payment.amount_fen,
            )
            assert at(event) == payment.at
            assert payment.payer_account in accounts[episode.person_id]


SIGNATURES = {
    FraudType.FAKE_AUTHORITY: "call",
    FraudType.FAKE_CREDIT_REPAIR: "call",
    FraudType.PIG_BUTCHERING: "chat",
    FraudType.ROMANCE: "chat",
    FraudType.FAKE_BOSS_ACQ: "chat",
    FraudType.GAME_TRADE: "chat",
    FraudType.FLIGHT_CHANGE: "sms",
}


def test_each_journey_has_its_types_signature(world: World, by_id: dict[str, dict[str, Any]]) -> None:
    checked = Counter()
    for episode in world.episodes:
        if episode.started_at < DEFAULT_START:
            continue  # a long con begun before the window: its hook is not in the stream
        steps = journey(episode, by_id)
        kinds = [e["kind"] for e in steps]
        _check_hook(episode.fraud_type, steps, kinds)
        if not episode.payments:
            continue
        _check_before_payment(episode, steps[: kinds.index("transfer")], by_id)
        checked[episode.fraud_type] += 1
    assert len(checked) >= 8


def _check_hook(ftype: FraudType, steps: list[dict[str, Any]], kinds: list[str]) -> None:
    """How each type's journey opens."""
    if ftype in SIGNATURES:
        assert kinds[0] == SIGNATURES[ftype], (ftype, kinds)
    if ftype in (FraudType.PIG_BUTCHERING, FraudType.ROMANCE, FraudType.FAKE_BOSS_ACQ):
        assert steps[0]["new_contact"] is True
    if ftype is FraudType.FLIGHT_CHANGE and "transfer" in kinds:
        assert any(e["kind"] == "call" and e["direction"] == "OUT" for e in steps)  # the victim calls back


def _check_before_payment(
    episode: Any, before: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]
) -> None:
    """What each type's victim goes through before the first payment (and brushing's small rebates)."""
    ftype = episode.fraud_type
    first_paid = episode.payments[0].at
    if ftype is FraudType.PIG_BUTCHERING:
        assert first_paid - episode.started_at >= timedelta(days=7)  # weeks of grooming
        assert {"url_visit", "app_install"} <= {e["kind"] for e in before}
    if ftype is FraudType.FAKE_AUTHORITY:
        assert any(e["kind"] == "call" and e["duration_s"] >= 20 * 60 for e in before)
    if ftype in (FraudType.FAKE_CS_REFUND, FraudType.FAKE_AUTHORITY):
        assert any(e.get("category") == "SCREEN_SHARE" for e in before)
    if ftype is FraudType.LOAN:
        assert any(e.get("category") == "LOAN" for e in before)
    if ftype is FraudType.BRUSHING and len(episode.payments) > 1:
        rebate = episode.rebates[0]
        assert episode.payments[0].at < rebate.at < episode.payments[1].at  # small tasks really pay
        assert rebate.amount_fen > episode.payments[0].amount_fen
        assert rebate.event_id in episode.event_ids
        assert by_id[rebate.event_id]["payee_account"] == rebate.payee_account


def test_money_is_laundered_in_time_and_never_grows(world: World) -> None:
    payments = {p.event_id: (p.at, p.amount_fen, p.payee_account) for e in world.episodes for p in e.payments}
    flows = {f["event_id"]: f for f in world.truth["flows"]}
    arrived = {k: (t, amount, to, 1) for k, (t, amount, to) in payments.items()}
    arrived |= {
        k: (datetime.fromisoformat(f["at"]), f["amount_fen"], f["to_account"], f["to_level"])
        for k, f in flows.items()
    }
    sent: dict[str, int] = defaultdict(int)
    levels = Counter()
    for flow in flows.values():
        parent_at, _parent_amount, parent_to, parent_level = arrived[flow["parent_event_id"]]
        assert datetime.fromisoformat(flow["at"]) > parent_at  # it moves only after it arrived
        assert flow["from_account"] == parent_to
        assert flow["from_level"] == parent_level
        sent[flow["parent_event_id"]] += flow["amount_fen"]
        levels[(flow["from_level"], flow["to_level"])] += 1
    assert all(sent[k] <= arrived[k][1] for k in sent)  # amounts conserve or shrink
    assert {(1, 2), (2, 3), (3, 0)} <= set(levels)
    cash = [f for f in flows.values() if f["to_account"] == CASH]
    assert all(f["from_level"] == 3 for f in cash)
    fan_in = Counter(f["to_account"] for f in flows.values() if f["to_level"] == 2)
    assert max(fan_in.values()) > 1  # level-2 accounts collect from several level-1 accounts


def test_lists_learn_late_and_not_everything(world: World) -> None:
    assets = [
        a for c in world.truth["campaigns"] for key in ("numbers", "level1_accounts", "urls") for a in c[key]
    ]
    listed = {i.value: i.listed_at for i in world.indicators}
    for asset in assets:
        if asset["value"] in listed and "listed_at" in asset:
            assert listed[asset["value"]] > datetime.fromisoformat(asset["active_from"])
    assert any("listed_at" not in a for a in assets)  # some are never listed
    payees = [(p.at, p.payee_account) for e in world.episodes for p in e.payments]
    unknown_then = [a for t, a in payees if a not in listed or listed[a] > t]
    assert unknown_then
    assert len(unknown_then) < len(payees)


def test_leads_arrive_late_from_their_sources(world: World, by_id: dict[str, dict[str, Any]]) -> None:
    episodes = {e.episode_id: e for e in world.episodes}
    sources = Counter()
    for lead in world.truth["leads"]:
        event = by_id[lead["event_id"]]
        episode = episodes[lead["episode_id"]]
        assert at(event) > episode.started_at
        if episode.started_at >= DEFAULT_START:  # a long con's early steps lie before the stream
            assert at(event) > min(at(by_id[i]) for i in episode.event_ids)
        sources[event["source"]] += 1
        if event["source"] == LeadSource.NAFC_FUND and episode.started_at >= DEFAULT_START:
            assert at(event) > episode.payments[0].at
            assert at(event).hour in (2, 8, 14, 20)  # the national centre pushes in batches
        if event["source"] == LeadSource.CALL_110:
            assert at(event) > episode.payments[-1].at
    assert {"NAFC_FUND", "CALL_110"} <= set(sources)
    reached = {lead["episode_id"] for lead in world.truth["leads"]}
    assert any(e.payments and e.episode_id not in reached for e in world.episodes)  # some never come


def test_hard_cases_for_detectors_are_in_normal_life(world: World, by_id: dict[str, dict[str, Any]]) -> None:
    fraud = set().union(*(e.event_ids for e in world.episodes))
    normal = [e for e in world.events if e["event_id"] not in fraud and e["kind"] != "lead"]
    assert any(e.get("category") in ("REMOTE_CONTROL", "MEETING") for e in normal)
    assert any(
        e["kind"] == "transfer" and e["amount_fen"] >= 2_000_000 and e.get("payee_name") for e in normal
    )
    assert any(e["kind"] == "call" and e["counterpart"].startswith(("00", "+")) for e in normal)
    assert any(
        e["kind"] == "call" and e["counterpart"][:3] in ("170", "171", "162", "165", "167") for e in normal
    )
    assert any(e["kind"] == "chat" and e["new_contact"] for e in normal)
    cold = [e for e in world.events if e["event_id"].startswith("sim11-c")]
    assert cold  # fraud numbers reach many who never engage


def test_same_seed_same_world_and_a_new_seed_a_new_one() -> None:
    a, b, c = generate(400, 3, 5), generate(400, 3, 5), generate(400, 3, 6)
    assert a.events == b.events
    assert a.persons == b.persons
    assert a.indicators == b.indicators
    assert [e.to_json() for e in a.episodes] == [e.to_json() for e in b.episodes]
    assert a.truth == b.truth
    assert a.events != c.events


def test_the_writer_streams_the_same_events_as_the_in_memory_world(tmp_path: Path) -> None:
    world = generate(500, 3, 9)
    stats = generate_to(tmp_path, population=500, days=3, seed=9, fmt="both")
    expected = [parse_mapping(e, "memory") for e in world.events]
    parts = files_in(tmp_path / "events.parquet")
    assert len(parts) >= 3
    assert all(p.name.startswith("part-") for p in parts)
    from_parquet = [parse_mapping(r.data, r.ref) for p in parts for r in read_records(p)]
    assert [parse_line(r.data, r.ref) for r in read_records(tmp_path / "events.jsonl")] == expected
    assert from_parquet == expected
    assert stats.events == len(expected)
    assert isinstance(next(e for e in from_parquet if isinstance(e, Transfer)), Transfer)
    for name in ("units", "persons", "phones", "accounts", "indicators"):
        assert (tmp_path / f"{name}.jsonl").stat().st_size > 0
    assert stats.peak_rss_mb > 0
    assert stats.events_per_second > 0


def test_a_city_without_victims_still_hears_from_fraudsters() -> None:
    world = generate(300, 2, 3, victim_rate=0.0)
    assert world.episodes == []
    assert world.truth["flows"] == []
    assert any(e["event_id"].startswith("sim3-c") for e in world.events)  # cold calls and texts
