"""Unit scope: a principal sees their own unit and every unit below it (市局 → 分局 → 派出所 → 社区)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

CITY_LEVEL = "CITY"


def descendants(unit_id: str, parents: Mapping[str, str | None]) -> frozenset[str]:
    """`unit_id` and every unit below it, given each unit's parent; cycles are tolerated."""
    children: dict[str, list[str]] = {}
    for child, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    seen = {unit_id}
    stack = [unit_id]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return frozenset(seen)


def unit_scope(unit_id: str | None, units: Iterable[tuple[str, str, str | None]]) -> frozenset[str] | None:
    """The units a principal of `unit_id` may see, from (unit_id, level, parent_id) rows.

    A principal of the CITY unit sees everything (None), including warnings no unit owns yet.
    An unknown unit sees only itself, so a mistyped unit grants nothing beyond its own id.
    """
    rows = list(units)
    levels = {uid: level for uid, level, _ in rows}
    if unit_id is None:
        return frozenset()
    if levels.get(unit_id) == CITY_LEVEL:
        return None
    return descendants(unit_id, {uid: parent for uid, _, parent in rows})
