"""Reading a watched directory of parts in chunks, resumable from a small cursor.

Parts are `.jsonl` / `.parquet` files (the suffixes `fanzha ingest` reads), taken in name order as they
appear: a writer drops a part under a temporary name and renames it when complete (the simulator's and
the intake API's parts are named so that name order is time order). The cursor (the part being read,
the byte offset and line number in a JSONL part, the row in a Parquet part) and the set of finished
parts are all a restart needs; Flink keeps them in the intake's keyed state. References are the embedded
runner's (`part.jsonl:12`, `part.parquet:row 7`), so a dead letter reads the same from either runner.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from fanzha.stream.sources import SUFFIXES, RawRecord, count_records


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where reading stands in one part."""

    name: str
    offset: int = 0  # bytes into a JSONL part, rows into a Parquet part
    line: int = 0  # JSONL lines read so far (blank lines count, as in `fanzha ingest`)


def parts(directory: Path) -> list[str]:
    """Names of the complete parts in `directory`, in name order."""
    if not directory.is_dir():
        return []
    return sorted(p.name for p in directory.iterdir() if p.suffix in SUFFIXES and p.is_file())


def next_part(directory: Path, done: Collection[str]) -> str | None:
    """The first part not yet finished, or None."""
    return next((name for name in parts(directory) if name not in done), None)


def read_chunk(directory: Path, cursor: Cursor, limit: int) -> tuple[list[RawRecord], Cursor, bool]:
    """Up to `limit` records from `cursor`; returns them, the new cursor and whether the part is done."""
    path = directory / cursor.name
    if path.suffix == ".parquet":
        return _parquet_chunk(path, cursor, limit)
    return _jsonl_chunk(path, cursor, limit)


def _jsonl_chunk(path: Path, cursor: Cursor, limit: int) -> tuple[list[RawRecord], Cursor, bool]:
    records: list[RawRecord] = []
    offset, line_no = cursor.offset, cursor.line
    with path.open("rb") as fh:
        fh.seek(offset)
        while len(records) < limit:
            raw = fh.readline()
            if not raw:
                return records, replace(cursor, offset=offset, line=line_no), True
            offset += len(raw)
            line_no += 1
            text = raw.decode("utf-8", errors="replace").strip()
            if text:
                records.append(RawRecord(f"{path.name}:{line_no}", text))
    return records, replace(cursor, offset=offset, line=line_no), False


def _parquet_chunk(path: Path, cursor: Cursor, limit: int) -> tuple[list[RawRecord], Cursor, bool]:
    frame = pl.scan_parquet(path).slice(cursor.offset, limit).collect()
    start = cursor.offset
    records = [
        RawRecord(f"{path.name}:row {start + i + 1}", row)
        for i, row in enumerate(frame.iter_rows(named=True))
    ]
    return records, replace(cursor, offset=start + len(records)), len(records) < limit


def chunks_needed(directory: Path, limit: int) -> int:
    """How many `read_chunk` calls read every part present now (a bounded run's tick count)."""
    return sum(count_records(directory / name) // limit + 1 for name in parts(directory))
