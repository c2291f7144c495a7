"""Figures per unit (with the units below it) and the 无诈 board."""

from __future__ import annotations

from datetime import date

from fanzha.prevention.board import Standing, board, months_before, place_status
from fanzha.prevention.config import BoardCriteria
from fanzha.prevention.figures import CARD_KEYS, Fact, latest_registrations, unit_figures
from fanzha.prevention.model import Place, PlaceCase, PlaceKind, Registration

PATHS = {"C": ("C",), "B1": ("C", "B1"), "S1": ("C", "B1", "S1"), "S2": ("C", "B1", "S2"), "B2": ("C", "B2")}


def test_a_unit_counts_the_units_below_it() -> None:
    facts = [
        Fact("S1", "publicity_events", 2),
        Fact("S1", "publicity_reach", 300),
        Fact("S2", "publicity_reach", 50),
        Fact("B2", "publicity_sms", 1000),
        Fact("C", "publicity_posts", 1),
        Fact("S2", "officer_minutes", 90),
    ]
    regs = {
        "K1": Registration("K1", date(2026, 1, 1), 700, 1000),
        "K2": Registration("K2", date(2026, 1, 1), 50, 100),
    }
    rows = unit_figures(
        [("C", "市局"), ("B1", "一分局"), ("S1", "一所"), ("B2", "二分局")],
        PATHS,
        facts,
        regs,
        {"K1": "S1", "K2": "B2", "K3": "NOWHERE"},
    )
    city, b1, s1, b2 = rows
    assert city.counts["publicity_reach"] == 350
    assert city.counts["publicity_sms"] == 1000
    assert b1.counts["publicity_events"] == 2
    assert b1.counts["publicity_reach"] == 350
    assert s1.counts["publicity_reach"] == 300
    assert s1.counts["officer_minutes"] == 0
    assert b1.officer_hours == 1.5
    assert b2.counts["publicity_events"] == 0
    assert b2.counts["publicity_sms"] == 1000
    assert city.app_registration_rate == 750 / 1100
    assert s1.app_registration_rate == 0.7
    assert rows[1].places_with_data == 1
    card = city.card()
    assert list(card) == list(CARD_KEYS)
    assert card["publicity_posts"] == 1
    assert unit_figures([("S2", "二所")], PATHS, [], {}, {})[0].app_registration_rate is None


def test_the_latest_registration_on_or_before_the_day_counts() -> None:
    regs = [
        Registration("K1", date(2026, 1, 1), 10, 100),
        Registration("K1", date(2026, 2, 1), 20, 100),
        Registration("K1", date(2026, 3, 1), 30, 100),
    ]
    assert latest_registrations(regs, date(2026, 2, 15))["K1"].registered == 20
    assert latest_registrations(regs, date(2025, 12, 31)) == {}


def test_months_before_keeps_to_the_end_of_a_short_month() -> None:
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert months_before(date(2026, 1, 15), 6) == date(2025, 7, 15)
    assert months_before(date(2026, 1, 15), 24) == date(2024, 1, 15)


TODAY = date(2026, 6, 30)
PLACE = Place("K1", PlaceKind.COMMUNITY, "湖滨社区", "S1")


def status(*, cases: list[PlaceCase] = [], days: list[date] = [], reg: Registration | None = None):  # noqa: B006
    return place_status(
        PLACE, cases=cases, event_days=days, registration=reg, criteria=BoardCriteria(), today=TODAY
    )


def test_a_place_meets_the_standard_only_when_every_criterion_holds() -> None:
    good_reg = Registration("K1", date(2026, 6, 1), 700, 1000)
    two_events = [date(2026, 3, 1), date(2025, 7, 1)]
    assert status(days=two_events, reg=good_reg).standing is Standing.MET
    old_case = PlaceCase("K1", date(2025, 12, 30), "A1")  # six months and a day ago
    assert status(cases=[old_case], days=two_events, reg=good_reg).standing is Standing.MET
    recent = status(cases=[PlaceCase("K1", date(2026, 1, 1), "A2")], days=two_events, reg=good_reg)
    assert recent.standing is Standing.NOT_MET
    assert recent.cases == 1
    assert not recent.no_case
    low = status(days=two_events, reg=Registration("K1", date(2026, 6, 1), 699, 1000))
    assert low.standing is Standing.NOT_MET
    assert low.registration_ok is False
    stale_events = status(days=[date(2026, 3, 1), date(2025, 6, 30)], reg=good_reg)
    assert stale_events.standing is Standing.NOT_MET
    assert stale_events.events == 1
    blind = status(days=two_events)
    assert blind.standing is Standing.NO_DATA
    assert blind.registration_ok is None
    other_place = status(cases=[PlaceCase("K2", date(2026, 6, 1), "A3")], days=two_events, reg=good_reg)
    assert other_place.standing is Standing.MET


def test_the_board_lists_communities_before_schools() -> None:
    school = Place("X1", PlaceKind.SCHOOL, "一中", "S1")
    rows = board(
        [school, PLACE], cases=[], event_days={}, registrations={}, criteria=BoardCriteria(), today=TODAY
    )
    assert [r.place_id for r in rows] == ["K1", "X1"]
