"""Simulated officers and victims: delays, capacity, priority, the ladder, and p(stop)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from fanzha.evaluate.model import Channel, Outcome, draw
from fanzha.evaluate.officers import Attempt, OfficerConfig, Officers, WarningNotice
from fanzha.evaluate.victims import VictimConfig, Victims, p_stop
from fanzha.event.codes import FraudType, RiskLevel
from fanzha.sim.truth import Episode, Payment

T0 = datetime(2026, 10, 1, 12, tzinfo=UTC)
SURE = OfficerConfig(p_reach=dict.fromkeys(Channel, 1.0))


def minutes(m: float) -> datetime:
    return T0 + timedelta(minutes=m)


def notice(wid: int, level: RiskLevel, unit: str = "S1") -> WarningNotice:
    return WarningNotice(wid, f"P{wid}", unit, level)


def drain(officers: Officers, until: datetime) -> list[Attempt]:
    attempts = []
    while (a := officers.next_attempt(until)) is not None:
        attempts.append(a)
    return attempts


def test_sign_off_delay_and_first_rung_by_level() -> None:
    officers = Officers(SURE, "s")
    officers.on_warning(notice(1, RiskLevel.MEDIUM), T0)
    assert officers.next_attempt(minutes(31)) is None  # 30 min sign-off + 2 min to get through
    attempt = officers.next_attempt(minutes(32))
    assert attempt is not None
    assert (attempt.channel, attempt.at, attempt.reached) == (Channel.CALL, minutes(32), True)


def test_one_officer_works_one_attempt_at_a_time() -> None:
    officers = Officers(replace(SURE, officers_per_unit=1), "s")
    officers.on_warning(notice(1, RiskLevel.HIGH), T0)
    officers.on_warning(notice(2, RiskLevel.HIGH), T0)
    # HIGH: ready at 5 min; a call reaches after 2 min and takes the officer 10 min.
    assert [a.at for a in drain(officers, minutes(60))] == [minutes(7), minutes(17)]


def test_two_units_work_in_parallel() -> None:
    officers = Officers(replace(SURE, officers_per_unit=1), "s")
    officers.on_warning(notice(1, RiskLevel.HIGH, "S1"), T0)
    officers.on_warning(notice(2, RiskLevel.HIGH, "S2"), T0)
    assert [a.at for a in drain(officers, minutes(60))] == [minutes(7), minutes(7)]


def test_the_most_urgent_ready_warning_goes_first() -> None:
    config = replace(SURE, officers_per_unit=1, sign_off=dict.fromkeys(RiskLevel, timedelta(0)))
    officers = Officers(config, "s")
    officers.on_warning(notice(1, RiskLevel.MEDIUM), T0)  # starts at once, busy until 10 min
    officers.on_warning(notice(2, RiskLevel.LOW), minutes(1))
    officers.on_warning(notice(3, RiskLevel.CRITICAL), minutes(2))
    # The officer frees up at 10 min: the CRITICAL call (10-20), then its visit (20-110), then the SMS.
    attempts = [(a.warning_id, a.channel, a.at) for a in drain(officers, minutes(200))]
    assert attempts == [
        (1, Channel.CALL, minutes(2)),
        (3, Channel.CALL, minutes(12)),
        (3, Channel.VISIT, minutes(60)),
        (2, Channel.SMS, minutes(111)),
    ]


def test_nobody_on_duty_means_no_contact() -> None:
    officers = Officers(replace(SURE, officers_per_unit=0), "s")
    officers.on_warning(notice(1, RiskLevel.CRITICAL), T0)
    assert drain(officers, minutes(10_000)) == []


def test_an_unreached_call_escalates_to_a_visit() -> None:
    config = replace(SURE, p_reach={Channel.CALL: 0.0, Channel.VISIT: 1.0, Channel.SMS: 1.0})
    officers = Officers(config, "s")
    officers.on_warning(notice(1, RiskLevel.HIGH), T0)
    call = officers.next_attempt(minutes(60))
    assert call is not None
    assert (call.channel, call.reached) == (Channel.CALL, False)
    assert officers.on_outcome(call, Outcome.UNREACHABLE) is False
    # Retry 15 min after the failed call (7 min), then 40 min to get there.
    visit = officers.next_attempt(minutes(200))
    assert visit is not None
    assert (visit.channel, visit.at) == (Channel.VISIT, minutes(7 + 15 + 40))
    assert officers.on_outcome(visit, Outcome.REFUSED) is True  # ladder used up: settled


def test_success_settles_and_new_evidence_reopens_the_case() -> None:
    officers = Officers(SURE, "s")
    officers.on_warning(notice(1, RiskLevel.MEDIUM), T0)
    attempt = officers.next_attempt(minutes(60))
    assert attempt is not None
    assert officers.on_outcome(attempt, Outcome.NOT_FRAUD) is True
    assert drain(officers, minutes(600)) == []
    officers.on_warning(notice(1, RiskLevel.MEDIUM), minutes(100))  # same level: nothing new
    assert drain(officers, minutes(600)) == []
    officers.on_warning(notice(1, RiskLevel.HIGH), minutes(100))
    assert [a.channel for a in drain(officers, minutes(600))] == [Channel.CALL]


def test_draw_is_fixed_by_its_keys() -> None:
    values = [draw("7", "stop", "e1", n) for n in range(200)]
    assert values == [draw("7", "stop", "e1", n) for n in range(200)]
    assert all(0 <= v < 1 for v in values)
    assert len(set(values)) == 200
    assert draw("8", "stop", "e1", 0) != values[0]


def test_p_stop_depends_on_channel_and_timing() -> None:
    config = VictimConfig()
    far = timedelta(hours=5)
    assert p_stop(config, Channel.VISIT, far, already_paid=False) == 0.85
    assert p_stop(config, Channel.SMS, far, already_paid=False) == 0.15
    assert p_stop(config, Channel.CALL, timedelta(minutes=5), already_paid=False) == pytest.approx(0.275)
    assert p_stop(config, Channel.CALL, far, already_paid=True) == pytest.approx(0.385)


def pay(event_id: str, minute: float) -> Payment:
    return Payment(event_id, minutes(minute), 10_000, "6222000000000001", "6200999900000009")


EPISODE = Episode("e1", "P1", FraudType.LOAN, T0, (pay("a", 60), pay("b", 120)), frozenset({"a", "b"}))


def test_a_victim_who_stops_makes_no_further_payment() -> None:
    victims = Victims([EPISODE], VictimConfig.certain(), "s")
    assert victims.respond("P9", Channel.CALL, minutes(30)) is Outcome.NOT_FRAUD
    assert victims.respond("P1", Channel.CALL, minutes(90)) is Outcome.SUCCESS_PARTIAL
    assert victims.withheld == {"b"}
    assert victims.respond("P1", Channel.CALL, minutes(150)) is Outcome.DEFRAUDED


def test_a_contact_at_the_moment_of_a_payment_still_comes_first() -> None:
    victims = Victims([EPISODE], VictimConfig.certain(), "s")
    assert victims.respond("P1", Channel.VISIT, minutes(60)) is Outcome.SUCCESS_NO_LOSS
    assert victims.withheld == {"a", "b"}


def test_a_victim_who_never_stops_refuses() -> None:
    victims = Victims([EPISODE], VictimConfig(p_stop=dict.fromkeys(Channel, 0.0)), "s")
    assert victims.respond("P1", Channel.VISIT, minutes(10)) is Outcome.REFUSED
    assert victims.withheld == set()


def test_a_payment_already_delivered_at_the_moment_of_contact_is_made() -> None:
    victims = Victims([EPISODE], VictimConfig.certain(), "s")
    outcome = victims.respond("P1", Channel.VISIT, minutes(60), delivered={"a"})
    assert outcome is Outcome.SUCCESS_PARTIAL
    assert victims.withheld == {"b"}


def test_an_extra_earlier_contact_does_not_change_a_later_contacts_luck() -> None:
    # The same later call, with and without an earlier call that the victim refused: common random
    # numbers keyed by the contact itself (episode, channel, next payment, hour), not by its rank.
    compared, later_outcomes = 0, set()
    for n in range(200):
        alone = Victims([EPISODE], VictimConfig(), f"s{n}")
        later = alone.respond("P1", Channel.CALL, minutes(90))
        later_outcomes.add(later)
        extra = Victims([EPISODE], VictimConfig(), f"s{n}")
        if extra.respond("P1", Channel.CALL, minutes(10)) is not Outcome.REFUSED:
            continue  # the earlier call stopped the victim: a real effect, not luck
        compared += 1
        assert extra.respond("P1", Channel.CALL, minutes(90)) is later
    assert compared > 50
    assert later_outcomes == {Outcome.SUCCESS_PARTIAL, Outcome.REFUSED}


def test_the_same_contact_in_the_same_hour_meets_the_same_resolve() -> None:
    victims = Victims([EPISODE], VictimConfig(), "s")
    payment = EPISODE.payments[1]
    assert victims.luck(EPISODE, Channel.CALL, payment, minutes(65)) == victims.luck(
        EPISODE, Channel.CALL, payment, minutes(110)
    )
    values = {victims.luck(EPISODE, Channel.CALL, payment, minutes(60 * h)) for h in range(2, 40)}
    assert len(values) == 38  # a later hour draws afresh
    assert victims.luck(EPISODE, Channel.VISIT, payment, minutes(65)) != victims.luck(
        EPISODE, Channel.CALL, payment, minutes(65)
    )


def _first_reach(officers: Officers, wid: int, at: datetime) -> bool:
    officers.on_warning(WarningNotice(wid, "P1", "S1", RiskLevel.HIGH), at)
    attempt = officers.next_attempt(at + timedelta(hours=1))
    assert attempt is not None
    assert attempt.warning_id == wid
    return attempt.reached


def test_an_extra_earlier_attempt_does_not_change_a_later_attempts_reach() -> None:
    config = replace(OfficerConfig(), p_reach=dict.fromkeys(Channel, 0.5))
    reached = []
    for n in range(100):
        later = _first_reach(Officers(config, f"s{n}"), 2, minutes(300))
        busy = Officers(config, f"s{n}")
        busy.on_warning(WarningNotice(1, "P1", "S1", RiskLevel.HIGH), minutes(0))
        while (attempt := busy.next_attempt(minutes(200))) is not None:  # a call, then a visit
            busy.on_outcome(attempt, Outcome.REFUSED if attempt.reached else Outcome.UNREACHABLE)
        assert _first_reach(busy, 2, minutes(300)) is later
        reached.append(later)
    assert 20 < sum(reached) < 80
