"""The unit tree from CSV: `unit_id,name,level,parent_id,area_codes` (area codes separated by `;`).

`level` is CITY, BRANCH, STATION or COMMUNITY (or 市局/分局/派出所/社区). The file is checked as a
whole: exactly one CITY, every parent known, no cycles; errors name the line and field, never values.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from fanzha.event.codes import UnitLevel

if TYPE_CHECKING:  # the CLI reads COLUMNS for its help at start-up; the models load when a file is read
    from fanzha.event.entities import Unit

COLUMNS = ("unit_id", "name", "level", "parent_id", "area_codes")
LEVEL_NAMES = {"市局": "CITY", "分局": "BRANCH", "派出所": "STATION", "社区": "COMMUNITY"}


def read_units_csv(path: Path) -> tuple[list[Unit], list[str]]:
    """Units read from `path`, and the problems found (empty when the tree may be imported)."""
    from pydantic import ValidationError

    from fanzha.event.entities import Unit

    units: list[Unit] = []
    errors: list[str] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS[:3] if c not in (reader.fieldnames or [])]
        if missing:
            return [], [f"missing columns: {', '.join(missing)} (expected {', '.join(COLUMNS)})"]
        for line, row in enumerate(reader, start=2):
            level = (row.get("level") or "").strip()
            data = {
                "unit_id": (row.get("unit_id") or "").strip(),
                "name": (row.get("name") or "").strip(),
                "level": LEVEL_NAMES.get(level, level.upper()),
                "parent_id": (row.get("parent_id") or "").strip() or None,
                "area_codes": tuple(c.strip() for c in (row.get("area_codes") or "").split(";") if c.strip()),
            }
            try:
                units.append(Unit.model_validate(data))
            except ValidationError as exc:
                fields = sorted({".".join(str(p) for p in e["loc"]) or "row" for e in exc.errors()})
                errors.append(f"line {line}: invalid {', '.join(fields)}")
    return units, errors + check_tree(units)


def check_tree(units: list[Unit]) -> list[str]:
    """Problems with the tree as a whole."""
    errors = []
    ids = [u.unit_id for u in units]
    if len(set(ids)) != len(ids):
        errors.append("duplicate unit_id")
    if sum(u.level is UnitLevel.CITY for u in units) != 1:
        errors.append("exactly one CITY unit is needed")
    known = set(ids)
    parents = {u.unit_id: u.parent_id for u in units}
    for unit in units:
        if unit.parent_id is not None and unit.parent_id not in known:
            errors.append(f"unit {unit.unit_id}: parent not in the file")
        seen = {unit.unit_id}
        current = unit.parent_id
        while current is not None and current in parents:
            if current in seen:
                errors.append(f"unit {unit.unit_id}: parent chain loops")
                break
            seen.add(current)
            current = parents[current]
    return errors
