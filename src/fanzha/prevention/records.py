"""Publicity records in: one event from a form, or a whole CSV file, checked against the units and
places it names. Nothing is stored unless every row is valid. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from fanzha.prevention.model import Place, PlaceCase, Post, PublicityEvent, Registration, SmsBatch
from fanzha.prevention.records_csv import read_records
from fanzha.prevention.service import Store


class RecordsRejectedError(ValueError):
    """The records were refused; `errors` name the line (or field) and what is wrong."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__(f"{len(errors)} error(s); nothing imported")
        self.errors = list(errors)


def _references(records: Sequence[Any], units: set[str], places: set[str]) -> list[str]:
    errors = []
    for line, record in enumerate(records, start=2):
        unit = getattr(record, "unit_id", None)
        if unit is not None and unit not in units:
            errors.append(f"line {line}: unknown unit_id")
        place = getattr(record, "place_id", None)
        if place is not None and not isinstance(record, Place) and place not in places:
            errors.append(f"line {line}: unknown place_id")
    return errors


def import_csv(uow: Store, kind: str, text: str, *, actor: str, now: datetime) -> int:
    """Import a CSV file of `kind` (see `records_csv`); returns the rows stored."""
    records, errors = read_records(kind, text)
    if errors:
        raise RecordsRejectedError(errors)
    return store_records(uow, records, actor=actor, now=now)


def store_records(uow: Store, records: Sequence[Any], *, actor: str, now: datetime) -> int:
    """Store parsed records after checking the units and places they name (all or nothing)."""
    units, places = uow.publicity.known_ids()
    places |= {r.place_id for r in records if isinstance(r, Place)}
    errors = _references(records, units, places)
    if errors:
        raise RecordsRejectedError(errors)
    repo = uow.publicity
    if all(isinstance(r, PublicityEvent) for r in records):
        return repo.add_events(records, actor=actor, now=now)
    if all(isinstance(r, Post) for r in records):
        return repo.upsert_posts(records, now)
    if all(isinstance(r, SmsBatch) for r in records):
        return repo.upsert_sms_batches(records, now)
    if all(isinstance(r, Registration) for r in records):
        return repo.upsert_registrations(records, now)
    if all(isinstance(r, Place) for r in records):
        return repo.upsert_places(records)
    if all(isinstance(r, PlaceCase) for r in records):
        return repo.upsert_cases(records)
    raise RecordsRejectedError(["records of several kinds in one import"])
