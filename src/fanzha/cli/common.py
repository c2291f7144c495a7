"""Shared pieces of the commands: the store, progress bars, summaries, the CLI's audit rows.

Imported by every command module at start-up, so it imports nothing heavy at module level.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from fanzha.audit.model import AuditEntry

if TYPE_CHECKING:
    from rich.progress import Progress
    from sqlalchemy import Engine

    from fanzha.settings import Settings
    from fanzha.stream.runner import Runner, Summary
    from fanzha.uow import UnitOfWork

# Engines the running command opened; `dispose_engines` closes their pools when the command ends.
_ENGINES: list[Engine] = []
console = Console()
err_console = Console(stderr=True)


def open_store(settings: Settings) -> Engine:
    """An engine on the configured store, migrated to the latest schema; disposed when the command ends."""
    from fanzha.store.engine import make_engine, migrate

    engine = make_engine(settings.database_url)
    _ENGINES.append(engine)
    migrate(engine)
    return engine


def dispose_engines() -> None:
    """Close every connection the command's engines hold (the CLI's root callback runs this at the end)."""
    while _ENGINES:
        _ENGINES.pop().dispose()


def open_uow() -> UnitOfWork:
    """A unit of work on the configured store (migrated first); the command commits it."""
    from fanzha.settings import Settings
    from fanzha.store.engine import session_factory
    from fanzha.uow import UnitOfWork

    return UnitOfWork(session_factory(open_store(Settings())))


@contextmanager
def progress_bar() -> Iterator[Progress]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    ) as progress:
        yield progress


def ingest_path(runner: Runner, path: Path) -> Summary:
    """Warm the runner's state, then stream every file at `path` through it with a progress bar."""
    from fanzha.stream.runner import Summary
    from fanzha.stream.sources import SourceError, count_records, files_in, read_records

    try:
        files = files_in(path)
    except SourceError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    total = Summary()
    with progress_bar() as progress:
        replay = progress.add_task("恢复检测状态 (replay)", total=None)
        _, total.replayed = runner.resume(lambda n: progress.advance(replay, n))
        progress.update(replay, total=total.replayed, completed=total.replayed)
        for file in files:
            task = progress.add_task(f"处理 {file.name}", total=count_records(file))

            def advance(n: int, task_id: Any = task) -> None:
                progress.advance(task_id, n)

            try:
                part = runner.run(read_records(file), source=str(file), progress=advance)
            except SourceError as exc:
                err_console.print(f"[red]error:[/red] {exc}")
                raise typer.Exit(2) from exc
            total.add(part)
    return total


def print_summary(summary: Summary) -> None:
    table = Table(title="处理汇总 (summary)", show_header=False)
    rows = (
        ("读取记录 records read", summary.read),
        ("接收事件 events accepted", summary.accepted),
        ("重复跳过 duplicates skipped", summary.duplicates),
        ("拒收(死信) rejected to dead letters", summary.rejected),
        ("风险研判 assessments", summary.assessments),
        ("新建预警 warnings opened", summary.warnings_opened),
        ("预警补充 warnings enriched", summary.warnings_updated),
        ("状态回放 events replayed into state", summary.replayed),
        ("耗时 seconds", f"{summary.seconds:.1f}"),
        ("吞吐 events/s", f"{summary.events_per_second:,.0f}"),
    )
    for label, value in rows:
        table.add_row(label, str(value))
    console.print(table)
    for ref, error in summary.rejections[:10]:
        console.print(f"  [yellow]rejected[/yellow] {ref}: {error}")
    if summary.rejected > len(summary.rejections[:10]):
        console.print(
            f"  … {summary.rejected - len(summary.rejections[:10])} more; see `fanzha dead-letters list`"
        )


def audit_cli(
    uow: UnitOfWork,
    action: str,
    *,
    at: datetime,
    object_type: str,
    object_id: str | None = None,
    object_unit_id: str | None = None,
    fields: Iterable[str] = (),
    purpose: str | None = None,
) -> None:
    """Append the audit row of an action taken at the command line (actor `cli`, no role or unit)."""
    uow.audit.append(
        AuditEntry(
            at=at,
            actor="cli",
            role="-",
            unit_id=None,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_unit_id=object_unit_id,
            fields=tuple(fields),
            purpose=purpose,
        )
    )


def to_json(value: object) -> Any:
    """A read model (frozen dataclass) as JSON-ready data, the way the API serialises it."""
    from pydantic import TypeAdapter

    return TypeAdapter(type(value)).dump_python(value, mode="json")
