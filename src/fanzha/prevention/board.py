"""无诈社区 / 无诈校园: does a community or school meet the configured criteria (pure)?

A place meets the standard when, on the day of the board, all three hold:
- no case (发案) at the place in the last `months_without_case` months;
- NAFC App registrations / population at least `min_registration_rate` (latest figure);
- at least `min_events` publicity events held at the place in the last `events_months` months.
A criterion without data (no registration figure) is not met: a place is not certified blind.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from fanzha.prevention.config import BoardCriteria
from fanzha.prevention.model import Place, PlaceCase, PlaceKind, Registration


class Standing(StrEnum):
    MET = "MET"  # 达标
    NOT_MET = "NOT_MET"  # 未达标
    NO_DATA = "NO_DATA"  # 数据不全: a criterion has no data, none fails


@dataclass(frozen=True, slots=True)
class PlaceStatus:
    place_id: str
    kind: PlaceKind
    name: str
    unit_id: str
    cases: int
    last_case_on: date | None
    registration_rate: float | None
    events: int
    no_case: bool
    registration_ok: bool | None
    events_ok: bool
    standing: Standing


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def place_status(
    place: Place,
    *,
    cases: Iterable[PlaceCase],
    event_days: Iterable[date],
    registration: Registration | None,
    criteria: BoardCriteria,
    today: date,
) -> PlaceStatus:
    """One place's standing on `today`."""
    since_case = months_before(today, criteria.months_without_case)
    since_events = months_before(today, criteria.events_months)
    mine = [c for c in cases if c.place_id == place.place_id and c.occurred_on <= today]
    recent = [c for c in mine if c.occurred_on > since_case]
    events = sum(since_events < d <= today for d in event_days)
    rate = (
        registration.registered / registration.population
        if registration and registration.population
        else None
    )
    registration_ok = None if rate is None else rate >= criteria.min_registration_rate
    no_case, events_ok = not recent, events >= criteria.min_events
    if not no_case or not events_ok or registration_ok is False:
        standing = Standing.NOT_MET
    else:
        standing = Standing.MET if registration_ok else Standing.NO_DATA
    return PlaceStatus(
        place_id=place.place_id,
        kind=place.kind,
        name=place.name,
        unit_id=place.unit_id,
        cases=len(recent),
        last_case_on=max((c.occurred_on for c in mine), default=None),
        registration_rate=rate,
        events=events,
        no_case=no_case,
        registration_ok=registration_ok,
        events_ok=events_ok,
        standing=standing,
    )


def board(
    places: Iterable[Place],
    *,
    cases: Iterable[PlaceCase],
    event_days: Mapping[str, list[date]],
    registrations: Mapping[str, Registration],
    criteria: BoardCriteria,
    today: date,
) -> list[PlaceStatus]:
    """Every place's standing, communities first, then schools, by name."""
    by_place: dict[str, list[PlaceCase]] = {}
    for case in cases:
        by_place.setdefault(case.place_id, []).append(case)
    rows = [
        place_status(
            p,
            cases=by_place.get(p.place_id, ()),
            event_days=event_days.get(p.place_id, ()),
            registration=registrations.get(p.place_id),
            criteria=criteria,
            today=today,
        )
        for p in places
    ]
    return sorted(rows, key=lambda r: (r.kind is not PlaceKind.COMMUNITY, r.unit_id, r.name))
