"""Writing a city of any size to a directory, one day at a time, in bounded memory.

Layout of DIR:
- units/persons/phones/accounts/indicators.jsonl: reference data (`fanzha reference load DIR`);
- events.parquet/: a directory of Parquet parts `part-DDD-PPP.parquet`, each sorted by time, in time order
  by name (`fanzha ingest DIR/events.parquet` reads them in that order);
- events.jsonl: the same events, one JSON object per line (optional at scale);
- truth.json: episodes, campaigns and their assets, mule accounts by level, money flows, leads.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Literal

import polars as pl

from fanzha.sim.chunks import DEFAULT_START, Setup, day_frames, plan
from fanzha.sim.config import SimConfig
from fanzha.sim.fraud import indicators
from fanzha.sim.wire import for_output
from fanzha.sim.world import reference_frames, truth_json, write_models, write_truth

Format = Literal["parquet", "jsonl", "both", "auto"]
AUTO_JSONL_LIMIT = 300_000  # person-days up to which "auto" also writes JSONL


@dataclass(frozen=True, slots=True)
class Stats:
    events: int
    episodes: int
    seconds: float
    cpu_seconds: float  # user + system time of this process (polars uses several threads)
    peak_rss_mb: float
    files: dict[str, Path]

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def generate_to(
    out: Path,
    *,
    population: int,
    days: int,
    seed: int,
    start: datetime = DEFAULT_START,
    fmt: Format = "auto",
    config: SimConfig | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Stats:
    """Generate and write the city under `out`; `progress(day, events so far)` after each day."""
    started, cpu_started = time.perf_counter(), cpu_seconds()
    cfg = config or SimConfig()
    jsonl = fmt in ("jsonl", "both") or (fmt == "auto" and population * days <= AUTO_JSONL_LIMIT)
    out.mkdir(parents=True, exist_ok=True)
    setup = plan(population, days, seed, start=start, cfg=cfg)
    files = _write_reference(setup, out)
    if fmt != "jsonl":
        files["events_parquet"] = out / "events.parquet"
        files["events_parquet"].mkdir(exist_ok=True)
        for old in files["events_parquet"].glob("part-*.parquet"):
            old.unlink()
    if jsonl:
        files["events"] = out / "events.jsonl"
        files["events"].write_bytes(b"")
    total = _write_events(setup, files.get("events_parquet"), files.get("events"), progress)
    files["truth"] = write_truth(out / "truth.json", seed, setup.fraud.episodes, truth_json(setup))
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    return Stats(total, len(setup.fraud.episodes), seconds, cpu, peak_rss_mb(), files)


def _write_events(
    setup: Setup, parts: Path | None, jsonl: Path | None, progress: Callable[[int, int], None] | None
) -> int:
    """Each day's slices as Parquet parts named in time order, and/or appended to the JSONL file."""
    total, part, last_day = 0, 0, 0
    for day, frame in day_frames(setup):
        if day != last_day:
            part, last_day = 0, day
            if progress:
                progress(day - 1, total)
        written = for_output(frame)
        if parts is not None:
            written.write_parquet(parts / f"part-{day:03d}-{part:03d}.parquet", statistics=False)
            part += 1
        if jsonl is not None:
            with jsonl.open("ab") as fh:
                write_json_lines(written, fh)
        total += written.height
    if progress:
        progress(setup.days - 1, total)
    return total


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _write_reference(setup: Setup, out: Path) -> dict[str, Path]:
    files = {"units": write_models(out / "units.jsonl", setup.city.units)}
    for name, frame in reference_frames(setup).items():
        files[name] = out / f"{name}.jsonl"
        frame.write_ndjson(files[name])
    files["indicators"] = write_models(out / "indicators.jsonl", indicators(setup.fraud, setup.window))
    return files


def write_json_lines(frame: pl.DataFrame, fh: BinaryIO) -> None:
    """The frame as JSON lines without null fields (as the wire format has them), built column-wise."""
    iso = frame.with_columns(pl.col("occurred_at").dt.strftime("%Y-%m-%dT%H:%M:%S%:z"))
    # Inside JSON strings quotes are escaped, so the pattern only ever matches a whole null field.
    lines = iso.select(pl.struct(pl.all()).struct.json_encode().str.replace_all(r',"[a-z_]+":null', ""))
    lines.write_csv(fh, include_header=False, quote_style="never")


def peak_rss_mb() -> float:
    """Peak resident memory of this process (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
