"""Who a campaign reaches: one tip per person, opt-outs and the frequency cap recorded, a size limit."""

from __future__ import annotations

import pytest

from fanzha.event.codes import PersonGroup
from fanzha.prevention.audience import AudienceTooLargeError, plan_audience, split_budget
from fanzha.prevention.config import CampaignLimits
from fanzha.prevention.model import Channel, ReachStatus, Resident
from fanzha.prevention.targets import TargetingError, default_targeting

STUDENT = frozenset({PersonGroup.STUDENT})
ELDERLY = frozenset({PersonGroup.ELDERLY})


def residents() -> list[Resident]:
    return [
        Resident("P1", "S1", 2006, "F", "学生", STUDENT),
        Resident("P2", "S1", 1950, "M", "退休", ELDERLY),
        Resident("P3", "S2", 1990, "M", "程序员", frozenset()),
        Resident("P4", "S2", 2005, "M", "学生", STUDENT),
        Resident("P5", "S2", 2004, "F", "学生", STUDENT),
    ]


def plan(
    channel: Channel = Channel.SMS, topics: tuple[str, ...] = ("FAKE_AUTHORITY", "BRUSHING"), **kw: object
):
    return list(
        plan_audience(
            residents(),
            topics=topics,
            targeting=default_targeting(),
            year=2026,
            channel=channel,
            limits=kw.pop("limits", CampaignLimits()),  # type: ignore[arg-type]
            **kw,  # type: ignore[arg-type]
        )
    )


def test_one_tip_per_person_the_first_matching_topic_of_the_campaign() -> None:
    planned = {p.person_id: p for p in plan()}
    assert set(planned) == {"P1", "P2", "P4", "P5"}  # the programmer is in neither audience
    assert planned["P1"].topic == "FAKE_AUTHORITY"  # students: both topics; the campaign's first wins
    assert planned["P2"].topic == "FAKE_AUTHORITY"
    assert {p.topic for p in plan(topics=("BRUSHING", "FAKE_AUTHORITY")) if p.person_id == "P1"} == {
        "BRUSHING"
    }
    assert all(p.status is ReachStatus.PENDING for p in planned.values())


def test_opted_out_and_capped_people_are_recorded_not_sent() -> None:
    planned = {p.person_id: p.status for p in plan(opted_out={"P1"}, recent_sms={"P4": 2, "P5": 1})}
    assert planned == {
        "P1": ReachStatus.OPTED_OUT,
        "P2": ReachStatus.PENDING,
        "P4": ReachStatus.CAPPED,
        "P5": ReachStatus.PENDING,
    }


def test_a_visit_list_ignores_the_sms_opt_out_and_cap() -> None:
    planned = plan(Channel.VISIT, opted_out={"P1"}, recent_sms={"P4": 9})
    assert {p.status for p in planned} == {ReachStatus.PENDING}


def test_an_audience_above_the_limit_is_refused() -> None:
    with pytest.raises(AudienceTooLargeError, match="split the campaign by unit"):
        plan(limits=CampaignLimits(max_audience=3))
    assert len(plan(limits=CampaignLimits(max_audience=4))) == 4


def test_an_unknown_topic_fails_before_anyone_is_planned() -> None:
    with pytest.raises(TargetingError):
        plan(topics=("NO_SUCH_TOPIC",))


def test_a_budget_is_split_by_weight_and_adds_up() -> None:
    shares = split_budget({"A": 24, "B": 12, "C": 0, "D": 5}, 1000)
    assert sum(shares.values()) == 1000
    assert shares["C"] == 0
    assert shares["A"] > shares["B"] > shares["D"] > 0
    assert abs(shares["A"] - 1000 * 24 / 41) < 1
    assert split_budget({"A": 1}, 0) == {"A": 0}
    assert split_budget({"A": 0}, 10) == {"A": 0}
