"""Keyed detector state behind a small interface, so the same detectors run in-memory or on a
distributed engine's keyed state.

Values must be immutable (frozen dataclasses, tuples): detectors replace them, never mutate them.
That lets `OverlayState` stage a batch's writes and drop them on rollback.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

_DELETED = object()


class KeyedState(Protocol):
    """Get and put immutable values by string key."""

    def get(self, key: str) -> object | None: ...

    def put(self, key: str, value: object) -> None: ...

    def delete(self, key: str) -> None: ...


class InMemoryState:
    """A dict-backed state that can be snapshotted and restored."""

    def __init__(self) -> None:
        self._data: dict[str, object] = {}

    def get(self, key: str) -> object | None:
        return self._data.get(key)

    def put(self, key: str, value: object) -> None:
        self._data[key] = value

    def delete(self, key: str) -> None:
        self._data.pop(key, None)

    def __len__(self) -> int:
        return len(self._data)

    def items(self) -> Iterator[tuple[str, object]]:
        return iter(self._data.items())

    def snapshot(self) -> dict[str, object]:
        """A shallow copy; safe because values are immutable."""
        return dict(self._data)

    def restore(self, snapshot: dict[str, object]) -> None:
        self._data = dict(snapshot)


class OverlayState:
    """Writes go to an overlay over a base state until `commit` (apply) or `discard`."""

    def __init__(self, base: InMemoryState) -> None:
        self._base = base
        self._staged: dict[str, object] = {}

    def get(self, key: str) -> object | None:
        if key in self._staged:
            value = self._staged[key]
            return None if value is _DELETED else value
        return self._base.get(key)

    def put(self, key: str, value: object) -> None:
        self._staged[key] = value

    def delete(self, key: str) -> None:
        self._staged[key] = _DELETED

    def commit(self) -> None:
        """Apply the staged writes to the base state."""
        for key, value in self._staged.items():
            if value is _DELETED:
                self._base.delete(key)
            else:
                self._base.put(key, value)
        self._staged.clear()

    def discard(self) -> None:
        """Forget the staged writes."""
        self._staged.clear()
