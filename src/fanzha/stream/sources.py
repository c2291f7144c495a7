"""Raw records from files: JSONL (one event per line) and Parquet (one event per row)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

SUFFIXES = (".jsonl", ".ndjson", ".json", ".parquet")


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as read: where it came from (`ref`), and its text or decoded row."""

    ref: str
    data: str | dict[str, Any]


class SourceError(Exception):
    """A source that cannot be read at all (missing file, unknown format)."""


def files_in(path: Path) -> list[Path]:
    """The event files at `path`: the file itself, or the supported files of a directory, sorted."""
    if not path.exists():
        raise SourceError(f"{path}: no such file or directory")
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file())
        if not found:
            raise SourceError(f"{path}: no .jsonl or .parquet files in this directory")
        return found
    if path.suffix not in SUFFIXES:
        raise SourceError(f"{path}: unsupported format (use .jsonl or .parquet)")
    return [path]


def count_records(path: Path) -> int:
    """How many records `read_records` will yield for `path` (for progress bars)."""
    if path.suffix == ".parquet":
        return int(pl.scan_parquet(path).select(pl.len()).collect().item())
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def read_records(path: Path) -> Iterator[RawRecord]:
    """Records of one file; each carries `file:line` (or `file:row N`) for error messages."""
    if path.suffix == ".parquet":
        yield from _parquet(path)
    else:
        yield from _jsonl(path)


def _jsonl(path: Path) -> Iterator[RawRecord]:
    with path.open("r", encoding="utf-8", errors="replace", newline="") as fh:
        for line_no, line in enumerate(fh, start=1):
            text = line.strip()
            if text:
                yield RawRecord(f"{path.name}:{line_no}", text)


def _parquet(path: Path, batch_rows: int = 10_000) -> Iterator[RawRecord]:
    try:
        frame = pl.read_parquet(path)
    except Exception as exc:  # polars raises several error types for unreadable files
        raise SourceError(f"{path}: not a readable Parquet file ({type(exc).__name__})") from exc
    row_no = 0
    for batch in frame.iter_slices(batch_rows):
        for row in batch.iter_rows(named=True):
            row_no += 1
            yield RawRecord(f"{path.name}:row {row_no}", row)
