"""`fanzha bench`: how fast the pipeline runs and how much memory its state and lists take.

Every figure is printed next to a baseline measured in the same process on the same data, so the
numbers mean something on any machine."""

from __future__ import annotations

import json
import random
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from fanzha.cli import funds, text, twocards_bench
from fanzha.cli.common import console

if TYPE_CHECKING:
    from fanzha.cli.measure import Rate
    from fanzha.event.model import Event
    from fanzha.sim.world import World


app = typer.Typer(
    help="Benchmarks: each prints its numbers and the ratio against a baseline run in the same process.",
    no_args_is_help=True,
)


@app.command("pipeline")
def pipeline(
    population: Annotated[int, typer.Option(min=100, help="residents of the simulated city")] = 5000,
    days: Annotated[int, typer.Option(min=1, max=60)] = 7,
    seed: Annotated[int, typer.Option()] = 11,
    full: Annotated[bool, typer.Option("--full/--no-full", help="also run the SQLite full path")] = True,
    batch_size: Annotated[int, typer.Option(min=1, help="events per transaction on the full path")] = 500,
) -> None:
    """Events/s and p50/p99 latency, evaluate-only and full path (SQLite), against a plain loop."""
    from fanzha.cli.measure import context_for, evaluate_only, parse_all, plain_loop, rss_mb
    from fanzha.sim.world import generate

    with console.status("生成模拟城市 (generating events)…"):
        world = generate(population, days, seed)
        events = parse_all(world.events)
    ctx, clock = context_for(world)
    baseline = plain_loop(events)
    rate, keys = evaluate_only(events, ctx, clock)
    table = Table(title=f"pipeline benchmark: {len(events):,} events, {population:,} residents, {days} days")
    for column in ("path", "events/s", "p50 µs", "p99 µs", "vs plain loop"):
        table.add_column(column, justify="right")
    table.add_row("plain per-event loop (baseline)", f"{baseline.per_second:,.0f}", *_lat(baseline), "1")
    table.add_row(
        "evaluate only (pure, 1 core)", f"{rate.per_second:,.0f}", *_lat(rate), _ratio(rate, baseline)
    )
    if full:
        full_rate = _full_path(world, batch_size)
        table.add_row(
            f"full path: JSONL → SQLite, batch {batch_size}",
            f"{full_rate.per_second:,.0f}",
            *_lat(full_rate),
            _ratio(full_rate, baseline),
        )
    console.print(table)
    console.print(f"state keys after the run: {keys:,}; RSS {rss_mb():,.0f} MB")
    console.print("targets: evaluate only ≥ 50,000 events/s; full path with SQLite ≥ 10,000 events/s")


def _lat(rate: Rate) -> tuple[str, str]:
    return f"{rate.p50_us:,.1f}", f"{rate.p99_us:,.1f}"


def _ratio(rate: Rate, baseline: Rate) -> str:
    base = baseline.per_second
    return f"{rate.per_second / base:.3f}" if base else "-"


def _full_path(world: World, batch_size: int) -> Rate:
    from fanzha.cli.measure import Rate, percentiles
    from fanzha.store.directory import replace_reference_data
    from fanzha.store.engine import make_engine, migrate, session_factory
    from fanzha.stream.runner import Runner
    from fanzha.stream.sources import RawRecord
    from fanzha.uow import UnitOfWork

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        migrate(engine)
        with UnitOfWork(session_factory(engine)) as uow:
            replace_reference_data(
                uow.session,
                units=world.units,
                persons=world.persons,
                phones=world.phones,
                accounts=world.accounts,
                indicators=world.indicators,
            )
            uow.commit()
        runner = Runner(engine, event_time=True, batch_size=batch_size)
        runner.resume()
        # JSON lines, as `fanzha ingest` reads them (serialised before the clock starts).
        lines = [json.dumps(r, ensure_ascii=False) for r in world.events]
        records = [RawRecord(f"bench:{i}", line) for i, line in enumerate(lines)]
        marks: list[int] = []
        last = [time.perf_counter_ns()]

        def batch_done(n: int) -> None:
            now = time.perf_counter_ns()
            marks.append(now - last[0])
            last[0] = now

        summary = runner.run(records, source="bench", progress=batch_done)
        engine.dispose()
    p50, p99 = percentiles(marks)
    return Rate(summary.read, summary.seconds, p50, p99)


def _synthetic(i: int) -> Iterator[Event]:
    """A resident's ordinary week, compressed: two payments and a call from a virtual number."""
    from fanzha.event.model import Call, Transfer

    rng = random.Random(i)
    at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=i)
    account = f"62{i:014d}"
    for k in range(2):
        yield Transfer(
            event_id=f"b{i}-{k}",
            occurred_at=at + timedelta(minutes=k),
            payer_account=account,
            payee_account=f"99{rng.randrange(10**12):012d}",
            amount_fen=rng.randrange(100, 50_000),
        )
    yield Call(
        event_id=f"b{i}-c",
        occurred_at=at,
        phone=f"138{i:08d}",
        counterpart="17012345678",
        direction="IN",
        duration_s=120,
    )


@app.command("state")
def state(
    people: Annotated[int, typer.Option(min=1000, max=5_000_000, help="distinct people active")] = 100_000,
) -> None:
    """Detector-state memory per key as the number of people grows, and after the timers fire."""
    from fanzha.cli.measure import context_for, state_memory
    from fanzha.sim.world import generate

    ctx, _ = context_for(generate(100, 1, 1))
    table = Table(title="detector state memory (tracemalloc)")
    for column in ("people", "keys", "MB", "bytes/key", "keys after expiry", "MB after expiry"):
        table.add_column(column, justify="right")
    for n in sorted({max(1000, people // 10), people}):
        m = state_memory(n, _synthetic, ctx)
        table.add_row(
            f"{n:,}",
            f"{m.keys:,}",
            f"{m.traced_mb:,.1f}",
            f"{m.bytes_per_key:,.0f}",
            f"{m.keys_after_expiry:,}",
            f"{m.traced_after_expiry_mb:,.1f}",
        )
    console.print(table)


@app.command("lists")
def lists(
    entries: Annotated[int, typer.Option(min=1000, max=50_000_000, help="list entries to build")] = 1_000_000,
    csv_rows: Annotated[int, typer.Option(min=1000, help="rows for the CSV-parsing rate")] = 200_000,
    lookups: Annotated[int, typer.Option(min=1000)] = 200_000,
) -> None:
    """Build time, memory and lookups/s of the compact lists, against a plain dict of the same entries."""
    from fanzha.cli.measure import list_benchmark, rss_mb

    result = list_benchmark(entries, csv_rows, lookups)
    table = Table(title=f"indicator lists: {entries:,} account entries; {lookups:,} lookups, 1 in 10 a hit")
    for column in ("", "build s", "MB", "bytes/entry", "lookups/s", "vs dict"):
        table.add_column(column, justify="right")
    for row in result.rows():
        table.add_row(*row)
    console.print(table)
    console.print(
        f"CSV import (parse + validate): {result.csv_rows_per_s:,.0f} rows/s; RSS {rss_mb():,.0f} MB"
    )


app.command("text")(text.bench_text)
app.command("trace")(funds.bench_trace)


@app.command("startup")
def startup(runs: Annotated[int, typer.Option(min=1, max=50, help="best of this many runs")] = 5) -> None:
    """CPU time to start `fanzha --help` and a one-line `fanzha text score`, against `python -c pass`."""
    from fanzha.cli.measure import startup_times

    with tempfile.TemporaryDirectory() as tmp:
        found = startup_times(Path(tmp), runs)
    baseline = found[0]
    table = Table(title=f"start-up: best of {runs} runs, each in a new process")
    for column in ("command", "CPU s (user+sys)", "wall s", "imports (CPU − baseline)", "× baseline"):
        table.add_column(column, justify="right")
    for t in found:
        ratio = t.cpu / baseline.cpu if baseline.cpu > 0 else float("inf")
        table.add_row(
            t.label, f"{t.cpu:.3f}", f"{t.wall:.3f}", f"{t.cpu - baseline.cpu:.3f}", f"{ratio:,.1f}"
        )
    console.print(table)
    console.print("target: `fanzha --help` and a one-line `fanzha text score` under 1 s of CPU")


app.command("twocards")(twocards_bench.bench_twocards)
