"""Load reference data (units, persons, phones, accounts, indicator lists) from JSONL files."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from fanzha.event.entities import Account, Indicator, Person, Phone, Unit

KINDS: dict[str, type[BaseModel]] = {
    "units": Unit,
    "persons": Person,
    "phones": Phone,
    "accounts": Account,
    "indicators": Indicator,
}


@dataclass
class ReferenceData:
    """Validated reference records by kind, and the errors of the records that were not."""

    records: dict[str, list[Any]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def read_reference_dir(directory: Path) -> ReferenceData:
    """Read `<kind>.jsonl` for each kind present in `directory`."""
    data = ReferenceData()
    for kind, model in KINDS.items():
        path = directory / f"{kind}.jsonl"
        if not path.exists():
            continue
        rows: list[Any] = []
        with path.open(encoding="utf-8") as fh:
            for line_no, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    rows.append(model.model_validate(json.loads(line)))
                except (json.JSONDecodeError, ValidationError) as exc:
                    data.errors.append(f"{path.name}:{line_no}: {_short(exc)}")
        data.records[kind] = rows
    return data


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'record'}: {e['msg']}"
            for e in exc.errors(include_url=False, include_input=False)[:3]
        )
    return f"not valid JSON ({exc})"
