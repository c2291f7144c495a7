"""Jurisdiction: which unit a warning belongs to, from where the person lives (pure).

The fallback chain, first match wins:
1. the person's registered station or community, when it is a known unit of that level;
2. the residence address: a station whose name stem (湖滨派出所 → 湖滨) appears in the address;
3. an area code: the unit whose code is the longest prefix of the residence area code
   (or of the identity number's region code, where the household is registered);
4. the fallback unit (by default the city centre), which re-assigns by hand.
A transfer (非本辖区) goes up: the parent of the unit that gave the warning back.

The owner of a new warning is decided here, once, at intake (`intake_assignment`): the pipeline opens
warnings without an owner, and the workflow's intake (`warning.service.route_received`) and the
evaluation's simulated intake (`evaluate/casework.py`) both give them to the unit this chooses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fanzha.event.codes import UnitLevel
from fanzha.warning.commands import Assign

FRONT_LINE = frozenset({UnitLevel.STATION, UnitLevel.COMMUNITY})
UNIT_SUFFIXES = ("派出所", "社区警务室", "社区", "分局", "公安局", "警务室")


@dataclass(frozen=True, slots=True)
class UnitNode:
    unit_id: str
    name: str
    level: UnitLevel
    parent_id: str | None
    area_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Residence:
    """What is known of where a person lives; any field may be missing."""

    unit_id: str | None = None
    address: str | None = None
    area_code: str | None = None
    id_no: str | None = None


@dataclass(frozen=True, slots=True)
class Route:
    """The resolved unit, the rule that found it, and the path from the city down to it."""

    unit_id: str
    rule: str
    path: tuple[str, ...]


class UnitTree:
    """The units of one city, indexed for routing."""

    def __init__(self, units: Iterable[UnitNode]) -> None:
        self.units = {u.unit_id: u for u in units}

    def parent(self, unit_id: str) -> str | None:
        unit = self.units.get(unit_id)
        return unit.parent_id if unit is not None else None

    def path(self, unit_id: str) -> tuple[str, ...]:
        """Ids from the top unit down to `unit_id` (cycles in bad data are cut)."""
        chain: list[str] = []
        current: str | None = unit_id
        while current is not None and current not in chain:
            chain.append(current)
            current = self.parent(current)
        return tuple(reversed(chain))

    def subtree(self, unit_id: str) -> frozenset[str]:
        """`unit_id` and every unit below it."""
        return frozenset(u for u in self.units if unit_id in self.path(u))

    def city(self) -> str | None:
        return next((u.unit_id for u in self.units.values() if u.level is UnitLevel.CITY), None)

    def front_line(self) -> list[UnitNode]:
        return [u for u in self.units.values() if u.level in FRONT_LINE]


def name_stem(name: str) -> str:
    for suffix in UNIT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _by_registration(tree: UnitTree, residence: Residence, exclude: frozenset[str]) -> str | None:
    unit = tree.units.get(residence.unit_id or "")
    if unit is not None and unit.level in FRONT_LINE and unit.unit_id not in exclude:
        return unit.unit_id
    return None


def _by_address(tree: UnitTree, residence: Residence, exclude: frozenset[str]) -> str | None:
    if not residence.address:
        return None
    hits = [
        u
        for u in tree.front_line()
        if u.unit_id not in exclude and len(name_stem(u.name)) >= 2 and name_stem(u.name) in residence.address
    ]
    # The most specific (longest) stem wins; ties go to the lower level (community before station).
    hits.sort(key=lambda u: (-len(name_stem(u.name)), u.level is UnitLevel.STATION, u.unit_id))
    return hits[0].unit_id if hits else None


def _by_code(tree: UnitTree, code: str | None, exclude: frozenset[str]) -> str | None:
    if not code:
        return None
    best: tuple[int, str] | None = None
    for unit in tree.units.values():
        if unit.unit_id in exclude:
            continue
        for prefix in unit.area_codes:
            if prefix and code.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), unit.unit_id)
    return best[1] if best is not None else None


def resolve(
    tree: UnitTree, residence: Residence, *, fallback: str | None = None, exclude: Iterable[str] = ()
) -> Route | None:
    """The unit responsible for a person living at `residence`, or None if there is no unit at all."""
    skip = frozenset(exclude)
    found = (
        ("registration", _by_registration(tree, residence, skip)),
        ("address", _by_address(tree, residence, skip)),
        ("area_code", _by_code(tree, residence.area_code, skip)),
        ("id_region", _by_code(tree, (residence.id_no or "")[:6] or None, skip)),
        ("fallback", fallback if fallback in tree.units else None),
        ("city", tree.city()),
    )
    for rule, unit_id in found:
        if unit_id is not None:
            return Route(unit_id, rule, tree.path(unit_id))
    return None


def route_up(tree: UnitTree, unit_id: str | None) -> str | None:
    """Where a warning goes when `unit_id` gives it back as 非本辖区: the level above (or the city)."""
    parent = tree.parent(unit_id) if unit_id else None
    return parent or tree.city()


ROUTE_RULES = {
    "registration": "按登记辖区",
    "address": "按居住地址",
    "area_code": "按区域代码",
    "id_region": "按户籍地代码",
    "fallback": "兜底单位",
    "city": "市局兜底",
}


def intake_assignment(tree: UnitTree, residence: Residence, *, fallback: str | None = None) -> Assign | None:
    """The owner of a new warning, as the `Assign` that gives it to them (the route in its note);
    None when there is no unit at all."""
    route = resolve(tree, residence, fallback=fallback)
    if route is None:
        return None
    names = [tree.units[u].name for u in route.path]
    return Assign(
        route.unit_id, f"自动研判下发（{ROUTE_RULES.get(route.rule, route.rule)}）：{' → '.join(names)}"
    )
