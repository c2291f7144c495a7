"""Collects simulated events as plain dicts (the JSONL wire format) and orders them in time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Emitter:
    """Events are kept as (time, record) pairs and sorted by time at the end.

    Ids are given at emission, so the truth can name an event before the stream is ordered.
    """

    prefix: str
    items: list[tuple[datetime, dict[str, Any]]] = field(default_factory=list)

    def emit(self, kind: str, at: datetime, **fields: Any) -> dict[str, Any]:
        record: dict[str, Any] = {
            "kind": kind,
            "event_id": f"{self.prefix}{len(self.items) + 1:09d}",
            "occurred_at": at.isoformat(timespec="seconds"),
        }
        record.update({k: v for k, v in fields.items() if v is not None})
        self.items.append((at, record))
        return record

    def finish(self) -> list[dict[str, Any]]:
        self.items.sort(key=lambda item: item[0])
        return [record for _, record in self.items]
