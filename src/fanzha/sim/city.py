"""The city's police units: 市局 → 分局 → 派出所 → 社区, the same for every seed and size.

A city of a million has a few dozen stations; a small demo city keeps the same map with fewer people.
Each station's share of the population is fixed too (busy downtown stations, quiet outer ones).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fanzha.event.codes import UnitLevel
from fanzha.event.entities import Unit

CITY_ID = "C01"
BRANCHES = (
    ("东湖", ("湖滨", "东门", "文昌", "桃源", "青年路")),
    ("西山", ("山前", "金桥", "新村", "枫林")),
    ("南江", ("江岸", "港口", "城南", "沙洲", "码头")),
    ("北城", ("北门", "工业园", "翠屏", "柳营")),
    ("高新", ("科技城", "软件园", "大学城")),
    ("开发区", ("临港", "保税区", "新港")),
    ("古镇", ("老街", "石桥", "庙前", "双河")),
    ("湖东县", ("城关", "青山镇", "白沙镇", "马岭乡", "清水乡")),
)
COMMUNITIES = ("幸福", "和平", "建设", "光明", "团结", "新华", "振兴", "春晖")


@dataclass(frozen=True, slots=True)
class CityMap:
    """Units, and for each station (by index) its unit id, communities and population weight."""

    units: list[Unit]
    station_ids: list[str]
    station_names: list[str]
    community_names: list[list[str]]
    weights: np.ndarray


def build_city() -> CityMap:
    units = [Unit(unit_id=CITY_ID, name="示范市公安局反诈中心", level=UnitLevel.CITY, area_codes=("9900",))]
    station_ids: list[str] = []
    station_names: list[str] = []
    communities: list[list[str]] = []
    for b, (branch, stations) in enumerate(BRANCHES, start=1):
        branch_id = f"B{b:02d}"
        units.append(Unit(unit_id=branch_id, name=f"{branch}分局", level=UnitLevel.BRANCH, parent_id=CITY_ID))
        for s, station in enumerate(stations, start=1):
            station_id = f"{branch_id}S{s:02d}"
            units.append(
                Unit(
                    unit_id=station_id,
                    name=f"{station}派出所",
                    level=UnitLevel.STATION,
                    parent_id=branch_id,
                    area_codes=(f"99{b:02d}{s:02d}",),
                )
            )
            names = [COMMUNITIES[(b + s + c) % len(COMMUNITIES)] + "社区" for c in range(3 + (b * s) % 3)]
            for c, community in enumerate(names, start=1):
                units.append(
                    Unit(
                        unit_id=f"{station_id}C{c:02d}",
                        name=f"{station}{community}",
                        level=UnitLevel.COMMUNITY,
                        parent_id=station_id,
                    )
                )
            station_ids.append(station_id)
            station_names.append(station)
            communities.append(names)
    # Downtown branches are denser than the county: a fixed, seed-independent skew.
    weights = np.array(
        [1.0 / (1 + 0.12 * i) * (0.5 if sid.startswith("B08") else 1.0) for i, sid in enumerate(station_ids)]
    )
    return CityMap(units, station_ids, station_names, communities, weights / weights.sum())
