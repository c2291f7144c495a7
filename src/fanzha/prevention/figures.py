"""Publicity figures per unit and period, each unit counting the units below it (pure).

The report card's prevention metrics (keys in `CARD_KEYS`), from facts the queries gather:
- 宣防场次 `publicity_events`: events held in the period;
- 覆盖人数 `publicity_reach`: event attendees + people reached one by one (SMS delivered, visits done)
  + members of WeChat groups posted to + messages of SMS batches sent outside fanzha (one a person);
- 短信条数 `publicity_sms`: publicity SMS delivered by fanzha (campaigns and light contacts) + batches;
- 推文 `publicity_posts` and 阅读量 `publicity_reads`: posts and videos published in the period, and
  their reads plus plays as last imported;
- App 注册率 `app_registration_rate`: NAFC App registrations / population of the places with data,
  each place at its latest figure on or before the period's last day.
Also 特殊群体 light contacts (`special_contacts`) and the officer time prevention cost (`officer_hours`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from fanzha.prevention.model import Registration

CARD_KEYS = (
    "publicity_events",
    "publicity_reach",
    "publicity_sms",
    "publicity_posts",
    "publicity_reads",
    "app_registration_rate",
)
COUNT_KEYS = (
    "publicity_events",
    "publicity_reach",
    "publicity_sms",
    "publicity_posts",
    "publicity_reads",
    "special_contacts",
    "officer_minutes",
)


@dataclass(frozen=True, slots=True)
class Fact:
    """`amount` of one count key at one unit within the period."""

    unit_id: str
    key: str
    amount: int


@dataclass(frozen=True, slots=True)
class UnitFigures:
    unit_id: str
    name: str
    counts: dict[str, int]
    app_registered: int
    app_population: int
    places_with_data: int = 0
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def app_registration_rate(self) -> float | None:
        return self.app_registered / self.app_population if self.app_population else None

    @property
    def officer_hours(self) -> float:
        return self.counts.get("officer_minutes", 0) / 60

    def card(self) -> dict[str, float | int | None]:
        """The report card's values under their proposed keys."""
        values: dict[str, float | int | None] = {k: self.counts.get(k, 0) for k in CARD_KEYS[:-1]}
        values["app_registration_rate"] = self.app_registration_rate
        return values


def latest_registrations(registrations: Iterable[Registration], end: date) -> dict[str, Registration]:
    """Each place's latest registration figure dated on or before `end`."""
    latest: dict[str, Registration] = {}
    for r in registrations:
        if r.as_of <= end and (r.place_id not in latest or r.as_of > latest[r.place_id].as_of):
            latest[r.place_id] = r
    return latest


def unit_figures(
    units: Sequence[tuple[str, str]],
    paths: Mapping[str, Sequence[str]],
    facts: Iterable[Fact],
    registrations: Mapping[str, Registration],
    place_units: Mapping[str, str],
) -> list[UnitFigures]:
    """Figures of each of `units` ((id, name) pairs), counting every unit below it.

    `paths[u]` is the chain of unit ids from the top down to `u` (a fact at `u` counts for each);
    `registrations` are the latest figure per place, `place_units` the unit responsible for each place.
    """
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for fact in facts:
        for unit_id in paths.get(fact.unit_id, (fact.unit_id,)):
            totals[unit_id][fact.key] += fact.amount
    registered: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for place_id, r in registrations.items():
        unit = place_units.get(place_id)
        if unit is None:
            continue
        for unit_id in paths.get(unit, (unit,)):
            registered[unit_id][0] += r.registered
            registered[unit_id][1] += r.population
            registered[unit_id][2] += 1
    out = []
    for unit_id, name in units:
        counts = {k: totals[unit_id].get(k, 0) for k in COUNT_KEYS}
        reg, pop, places = registered.get(unit_id, [0, 0, 0])
        out.append(UnitFigures(unit_id, name, counts, reg, pop, places))
    return out
