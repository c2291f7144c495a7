"""`fanzha warnings`: look at warnings from the terminal (personal data masked)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from fanzha.cli.common import console, open_store
from fanzha.present import format_time

app = typer.Typer(help="预警指令 warnings", no_args_is_help=True)

LEVEL_STYLE = {4: "bold white on red", 3: "bold red", 2: "yellow", 1: "blue"}


@app.command("list")
def list_command(
    all_: Annotated[bool, typer.Option("--all", help="include closed warnings")] = False,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
) -> None:
    """Open warnings, most urgent first: level, person (masked), fraud type and reasons."""
    from fanzha.settings import Settings
    from fanzha.store.engine import session_factory
    from fanzha.warning.queries import list_warnings

    engine = open_store(Settings())
    with session_factory(engine)() as session:
        # The same masked read side as the console and the API.
        warnings = list_warnings(session, open_only=not all_, limit=limit, offset=0)
    if not warnings:
        console.print("没有预警 (no warnings).")
        return
    table = Table(title=f"预警指令 warnings ({len(warnings)})")
    for column in ("编号", "等级", "分值", "预警对象", "诈骗类型", "主要原因", "责任单位", "时间"):
        table.add_column(column)
    for w in warnings:
        table.add_row(
            str(w.warning_id),
            f"[{LEVEL_STYLE[w.level]}]{w.level_label}[/]",
            str(w.score),
            w.subject,
            w.fraud_type_label,
            "；".join(w.top_reasons),
            w.unit_name,
            format_time(w.created_at),
        )
    console.print(table)
