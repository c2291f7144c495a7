"""Data commands: database migrations, reference data, dead letters and the simulated city."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from fanzha.cli.common import console, err_console, open_store, progress_bar

db = typer.Typer(help="database schema", no_args_is_help=True)
reference = typer.Typer(
    help="reference data: units, persons, phones, accounts, indicator lists", no_args_is_help=True
)
dead_letters = typer.Typer(help="rejected records, kept with their raw text", no_args_is_help=True)
sim = typer.Typer(help="the simulated city", no_args_is_help=True)


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema of the configured store (DATABASE_URL) to the latest version."""
    from fanzha.settings import Settings

    settings = Settings()
    open_store(settings)
    console.print(f"schema up to date: {settings.database_url.split('@')[-1]}")


@reference.command("load")
def reference_load(
    directory: Annotated[
        Path, typer.Argument(help="directory with units/persons/phones/accounts/indicators.jsonl")
    ],
) -> None:
    """Replace reference data with the JSONL files found in DIRECTORY (a kind without a file is kept)."""
    from fanzha.settings import Settings
    from fanzha.store.directory import replace_reference_data
    from fanzha.store.engine import session_factory
    from fanzha.stream.reference import read_reference_dir
    from fanzha.uow import UnitOfWork

    if not directory.is_dir():
        err_console.print(f"[red]error:[/red] {directory}: not a directory")
        raise typer.Exit(2)
    data = read_reference_dir(directory)
    if data.errors:
        for error in data.errors[:20]:
            err_console.print(f"[red]rejected[/red] {error}")
        err_console.print(f"{len(data.errors)} invalid records; nothing loaded. Fix them and load again.")
        raise typer.Exit(1)
    engine = open_store(Settings())
    with UnitOfWork(session_factory(engine)) as uow:
        replace_reference_data(uow.session, **data.records)
        uow.commit()
    for kind, rows in data.records.items():
        console.print(f"{kind}: {len(rows)}")


@dead_letters.command("list")
def dead_letters_list(limit: Annotated[int, typer.Option(min=1, max=10_000)] = 20) -> None:
    """The most recent rejected records: where they were, and what was wrong (raw text not shown)."""
    from fanzha.settings import Settings
    from fanzha.store.engine import session_factory
    from fanzha.uow import UnitOfWork

    engine = open_store(Settings())
    with UnitOfWork(session_factory(engine)) as uow:
        rows = uow.dead_letters.list(limit)
        total = uow.dead_letters.count()
    table = Table(title=f"死信 dead letters ({total})")
    for column in ("id", "where", "error", "at"):
        table.add_column(column)
    for row in rows:
        table.add_row(str(row.id), row.ref, row.error, row.created_at.strftime("%Y-%m-%d %H:%M:%S"))
    console.print(table)


@sim.command("generate")
def sim_generate(
    out: Annotated[Path, typer.Option(help="output directory")],
    population: Annotated[int, typer.Option(min=10, help="number of residents")] = 2000,
    days: Annotated[int, typer.Option(min=1, max=366)] = 7,
    seed: Annotated[int, typer.Option()] = 7,
    victim_rate: Annotated[
        float, typer.Option(min=0.0, max=0.5, help="share of residents drawn into a fraud episode")
    ] = 0.01,
    fmt: Annotated[
        str, typer.Option("--format", help="parquet | jsonl | both | auto (JSONL only for small cities)")
    ] = "auto",
) -> None:
    """Write a simulated city: events (Parquet parts, JSONL), reference data and the ground truth."""
    from fanzha.sim.config import SimConfig
    from fanzha.sim.writer import generate_to

    if fmt not in ("parquet", "jsonl", "both", "auto"):
        err_console.print("[red]error:[/red] --format must be parquet, jsonl, both or auto")
        raise typer.Exit(2)
    with progress_bar() as bar:
        task = bar.add_task("生成模拟城市 (days)", total=days)
        stats = generate_to(
            out,
            population=population,
            days=days,
            seed=seed,
            fmt=fmt,  # type: ignore[arg-type]
            config=SimConfig(victim_rate=victim_rate),
            progress=lambda _day, _n: bar.advance(task),
        )
    console.print(
        f"{stats.events:,} events, {stats.episodes:,} fraud episodes → {out}\n"
        f"耗时 {stats.seconds:.1f} s (CPU {stats.cpu_seconds:.1f} s), "
        f"{stats.events_per_second:,.0f} events/s, "
        f"peak RSS {stats.peak_rss_mb:,.0f} MB"
    )
    for name, path in stats.files.items():
        console.print(f"  {name}: {path}")
