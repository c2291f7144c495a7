"""Indicator-list files: CSV rows in, `Indicator`s (or an error naming the line and the field) out.

Columns (header required; only `kind` and `value` are mandatory):

    kind,value,source,fraud_type,listed_at,expires_at

`kind` is ACCOUNT, PHONE, URL or APP (app package, name or hash); `listed_at`/`expires_at` are
ISO-8601 with an offset (empty: always / never).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI reads CSV_COLUMNS for its help at start-up; the models load when a file is read
    from fanzha.event.entities import Indicator

CSV_COLUMNS = ("kind", "value", "source", "fraud_type", "listed_at", "expires_at")


def read_list_csv(path: Path, *, source: str | None = None) -> Iterator[tuple[int, Indicator | str]]:
    """Each data row of a list CSV as an Indicator, or an error naming the line and the field."""
    from pydantic import ValidationError

    from fanzha.event.entities import Indicator

    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"kind", "value"} - set(reader.fieldnames or ())
        if missing:
            yield 1, f"{path.name}:1: header lacks {', '.join(sorted(missing))}"
            return
        for row in reader:
            line = reader.line_num
            data = {k: v for k, v in row.items() if k in CSV_COLUMNS and v not in (None, "")}
            if source:
                data["source"] = source
            if "kind" in data:
                data["kind"] = data["kind"].strip().upper()
            try:
                yield line, Indicator.model_validate(data)
            except ValidationError as exc:
                fields = ", ".join(sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]}))
                yield line, f"{path.name}:{line}: invalid {fields or 'row'}"
