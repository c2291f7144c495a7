"""`fanzha lists`: import indicator lists (fraud accounts, numbers, URLs, apps) from CSV; show counts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from fanzha.cli.common import console, err_console, open_store
from fanzha.stream.lists_csv import CSV_COLUMNS  # the help text names the columns

if TYPE_CHECKING:
    from fanzha.event.entities import Indicator


app = typer.Typer(help="indicator lists: fraud accounts, phone numbers, URLs, apps", no_args_is_help=True)


@app.command("import")
def import_csv(
    path: Annotated[Path, typer.Argument(help=f"CSV with a header: {','.join(CSV_COLUMNS)}")],
    source: Annotated[str | None, typer.Option(help="source for every row (overrides the column)")] = None,
) -> None:
    """Add or replace list entries from a CSV file; invalid rows are reported by line and skipped."""
    from fanzha.event.entities import Indicator
    from fanzha.settings import Settings
    from fanzha.store.engine import session_factory
    from fanzha.stream.lists_csv import read_list_csv
    from fanzha.uow import UnitOfWork

    if not path.is_file():
        err_console.print(f"[red]error:[/red] {path}: no such file")
        raise typer.Exit(2)
    engine = open_store(Settings())
    read = rejected = 0
    errors: list[str] = []

    def valid() -> Iterator[Indicator]:
        nonlocal read, rejected
        for _, item in read_list_csv(path, source=source):
            read += 1
            if isinstance(item, Indicator):
                yield item
            else:
                rejected += 1
                if len(errors) < 20:
                    errors.append(item)

    with UnitOfWork(session_factory(engine)) as uow:
        stored = uow.lists.upsert(valid())
        uow.lists.record_import(
            file_name=path.name, source=source, read=read, stored=stored, rejected=rejected
        )
        uow.commit()
    for error in errors:
        err_console.print(f"[yellow]rejected[/yellow] {error}")
    console.print(f"{path.name}: {read:,} rows read, {stored:,} stored, {rejected:,} rejected")


@app.command("stats")
def stats() -> None:
    """Entries per kind in the store."""
    from fanzha.settings import Settings
    from fanzha.store.engine import session_factory
    from fanzha.uow import UnitOfWork

    engine = open_store(Settings())
    with UnitOfWork(session_factory(engine)) as uow:
        counts = uow.lists.count_by_kind()
    table = Table(title="名单 indicator lists")
    table.add_column("kind")
    table.add_column("entries", justify="right")
    for kind, n in sorted(counts.items()):
        table.add_row(kind, f"{n:,}")
    console.print(table)
