"""Parsing raw records into events: one record in, an event or a rejection that says what is wrong.

Rejection messages name the field and the problem but never echo the value, so personal data
does not leak into summaries and logs; the raw text is kept only in the dead-letter store.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from fanzha.event.model import EVENT_KINDS, Event

_EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A record that could not become an event: where it was, what was wrong, and its raw text."""

    ref: str
    error: str
    raw: str


def parse_line(raw: str, ref: str) -> Event | Rejection:
    """Parse one JSON line; `ref` names its place (file and line) for the error message."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return Rejection(ref, f"not valid JSON: {exc.msg} at column {exc.colno}", raw)
    return parse_mapping(data, ref, raw)


def parse_mapping(data: Any, ref: str, raw: str | None = None) -> Event | Rejection:
    """Validate an already-decoded record; fields that are None are treated as absent."""
    raw_text = raw if raw is not None else _dump(data)
    if not isinstance(data, Mapping):
        return Rejection(ref, f"a record must be a JSON object, got {type(data).__name__}", raw_text)
    record = {k: v for k, v in data.items() if v is not None}
    kind = record.get("kind")
    if kind is None:
        return Rejection(ref, "missing field 'kind'", raw_text)
    if kind not in EVENT_KINDS:
        return Rejection(
            ref, f"unknown event kind {str(kind)[:40]!r} (expected one of {', '.join(EVENT_KINDS)})", raw_text
        )
    try:
        return _EVENT_ADAPTER.validate_python(record)
    except ValidationError as exc:
        return Rejection(ref, describe_errors(exc), raw_text)


def describe_errors(exc: ValidationError, limit: int = 3) -> str:
    """A short, value-free description of validation errors: `field: problem; ...`."""
    parts = []
    for err in exc.errors(include_url=False, include_input=False)[:limit]:
        # The first element of the location is the discriminator tag; drop it for readability.
        loc = [str(p) for p in err["loc"] if str(p) not in EVENT_KINDS]
        where = ".".join(loc) or "record"
        parts.append(f"{where}: {err['msg']}")
    more = exc.error_count() - limit
    if more > 0:
        parts.append(f"(+{more} more)")
    return "; ".join(parts)


def _dump(data: Any) -> str:
    try:
        return json.dumps(data, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(data)
