"""Publicity records from CSV, checked strictly and as a whole (pure: text in, records or errors out).

Kinds and columns (`[x]` optional); counts are whole numbers written as digits (not `1.0`, not
`true`), dates `YYYY-MM-DD`:
- `events`:  unit_id,kind,held_on,place,audience,headcount[,place_id,app_installs]
             kind COMMUNITY|SCHOOL|ENTERPRISE|GOVERNMENT|FAMILY or 进社区|进校园|进企业|进机关|进家庭
- `posts`:   unit_id,kind,platform,external_id,title,published_on[,reads,plays,likes,shares]
             kind ARTICLE|VIDEO or 推文|视频; a post already imported is updated (same platform and id)
- `sms`:     unit_id,sent_on,messages,batch_ref    (SMS sent outside fanzha, e.g. an operator's broadcast)
- `registrations`: place_id,as_of,registered,population   (NAFC App registrations of a place)
- `places`:  place_id,kind,name,unit_id             (kind COMMUNITY|SCHOOL or 社区|校园)
- `cases`:   place_id,occurred_on,case_ref[,loss_fen]   (发案 of a place, from the case system)
An unknown or missing column, a bad field or a key given twice fails the whole file: errors name the
line and the field, never the value, and nothing is imported unless the file is clean.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from fanzha.prevention.model import (
    EventKind,
    Place,
    PlaceCase,
    PlaceKind,
    Post,
    PostKind,
    PublicityEvent,
    Registration,
    SmsBatch,
)

MAX_ROWS = 200_000
_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_COUNT = re.compile(r"\d{1,12}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
EVENT_ALIASES = {"进社区": "COMMUNITY", "进校园": "SCHOOL", "进企业": "ENTERPRISE", "进机关": "GOVERNMENT"}
EVENT_ALIASES |= {"进家庭": "FAMILY"}
POST_ALIASES = {"推文": "ARTICLE", "文章": "ARTICLE", "视频": "VIDEO"}
PLACE_ALIASES = {"社区": "COMMUNITY", "校园": "SCHOOL", "学校": "SCHOOL"}


class FieldError(ValueError):
    pass


def _ident(value: str) -> str:
    if not _ID.fullmatch(value):
        raise FieldError
    return value


def _count(value: str) -> int:
    if not _COUNT.fullmatch(value):
        raise FieldError
    return int(value)


def _day(value: str) -> date:
    if not _DAY.fullmatch(value):
        raise FieldError
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FieldError from None


def _text(limit: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if not value or len(value) > limit:
            raise FieldError
        return value

    return parse


def _enum(kind: type[Any], aliases: dict[str, str]) -> Callable[[str], Any]:
    def parse(value: str) -> Any:
        try:
            return kind(aliases.get(value, value.upper()))
        except ValueError:
            raise FieldError from None

    return parse


@dataclass(frozen=True, slots=True)
class Spec:
    """One CSV kind: required and optional columns with their parsers, the row's key, the record."""

    required: dict[str, Callable[[str], Any]]
    optional: dict[str, Callable[[str], Any]]
    key: tuple[str, ...]
    build: Callable[[dict[str, Any]], Any]

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.required, *self.optional)


def _event(f: dict[str, Any]) -> PublicityEvent:
    return PublicityEvent(
        0,
        f["unit_id"],
        f["kind"],
        f["held_on"],
        f["place"],
        f["audience"],
        f["headcount"],
        f.get("place_id"),
        f.get("app_installs", 0),
    )


def _post(f: dict[str, Any]) -> Post:
    counts = {k: f.get(k, 0) for k in ("reads", "plays", "likes", "shares")}
    return Post(
        f["unit_id"], f["kind"], f["platform"], f["external_id"], f["title"], f["published_on"], **counts
    )


def _registration(f: dict[str, Any]) -> Registration:
    if f["population"] == 0 or f["registered"] > f["population"]:
        raise FieldError("registered, population: registered must not exceed a population above 0")
    return Registration(f["place_id"], f["as_of"], f["registered"], f["population"])


SPECS: dict[str, Spec] = {
    "events": Spec(
        {
            "unit_id": _ident,
            "kind": _enum(EventKind, EVENT_ALIASES),
            "held_on": _day,
            "place": _text(200),
            "audience": _text(100),
            "headcount": _count,
        },
        {"place_id": _ident, "app_installs": _count},
        ("unit_id", "kind", "held_on", "place", "audience"),
        _event,
    ),
    "posts": Spec(
        {
            "unit_id": _ident,
            "kind": _enum(PostKind, POST_ALIASES),
            "platform": _text(40),
            "external_id": _text(100),
            "title": _text(200),
            "published_on": _day,
        },
        {"reads": _count, "plays": _count, "likes": _count, "shares": _count},
        ("platform", "external_id"),
        _post,
    ),
    "sms": Spec(
        {"unit_id": _ident, "sent_on": _day, "messages": _count, "batch_ref": _ident},
        {},
        ("batch_ref",),
        lambda f: SmsBatch(f["unit_id"], f["sent_on"], f["messages"], f["batch_ref"]),
    ),
    "registrations": Spec(
        {"place_id": _ident, "as_of": _day, "registered": _count, "population": _count},
        {},
        ("place_id", "as_of"),
        _registration,
    ),
    "places": Spec(
        {"place_id": _ident, "kind": _enum(PlaceKind, PLACE_ALIASES), "name": _text(100), "unit_id": _ident},
        {},
        ("place_id",),
        lambda f: Place(f["place_id"], f["kind"], f["name"], f["unit_id"]),
    ),
    "cases": Spec(
        {"place_id": _ident, "occurred_on": _day, "case_ref": _ident},
        {"loss_fen": _count},
        ("case_ref",),
        lambda f: PlaceCase(f["place_id"], f["occurred_on"], f["case_ref"], f.get("loss_fen", 0)),
    ),
}


def read_records(kind: str, text: str) -> tuple[list[Any], list[str]]:
    """The file's records and its errors; the records may be imported only when there are no errors."""
    spec = SPECS.get(kind)
    if spec is None:
        return [], [f"unknown kind {kind!r}: one of {', '.join(SPECS)}"]
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in spec.required if c not in header]
    unknown = [c for c in header if c not in spec.columns]
    if missing or unknown or len(set(header)) != len(header):
        return [], [
            f"columns: expected {','.join(spec.required)}[,{','.join(spec.optional)}]"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unknown {', '.join(unknown)}" if unknown else "")
        ]
    records: list[Any] = []
    errors: list[str] = []
    seen: dict[tuple[Any, ...], int] = {}
    for line, row in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            return [], [f"more than {MAX_ROWS:,} rows: split the file"]
        values = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if None in row:
            errors.append(f"line {line}: more fields than columns")
            continue
        record, problem = _row(spec, values)
        if problem:
            errors.append(f"line {line}: {problem}")
            continue
        key = tuple(getattr(record, k) for k in spec.key)
        if key in seen:
            errors.append(f"line {line}: the same {'/'.join(spec.key)} as line {seen[key]}")
            continue
        seen[key] = line
        records.append(record)
    return records, errors


def _row(spec: Spec, values: dict[str, str]) -> tuple[Any, str | None]:
    fields: dict[str, Any] = {}
    bad: list[str] = []
    for name, parse in [*spec.required.items(), *spec.optional.items()]:
        raw = values.get(name, "")
        if not raw and name in spec.optional:
            continue
        try:
            fields[name] = parse(raw)
        except FieldError:
            bad.append(name)
    if bad:
        return None, f"invalid {', '.join(bad)}"
    try:
        return spec.build(fields), None
    except FieldError as exc:
        return None, f"invalid {exc}"
