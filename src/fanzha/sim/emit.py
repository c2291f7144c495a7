"""Collects simulated events as plain dicts (the JSONL wire format) and orders them in time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Emitter:
    """Events are kept as (time, record) pairs; ids are given after sorting, so they follow time."""

    prefix: str
    items: list[tuple[datetime, dict[str, Any]]] = field(default_factory=list)

    def emit(self, kind: str, at: datetime, **fields: Any) -> dict[str, Any]:
        record: dict[str, Any] = {"kind": kind, "occurred_at": at.isoformat(timespec="seconds")}
        record.update({k: v for k, v in fields.items() if v is not None})
        self.items.append((at, record))
        return record

    def finish(self) -> list[dict[str, Any]]:
        self.items.sort(key=lambda item: item[0])
        records = []
        for n, (_, record) in enumerate(self.items, start=1):
            record["event_id"] = f"{self.prefix}{n:09d}"
            records.append(record)
        return records
