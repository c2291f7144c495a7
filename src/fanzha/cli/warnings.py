"""`fanzha warnings`: look at warnings from the terminal (personal data masked)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from fanzha.cli.common import console, open_store
from fanzha.masking import mask_name, mask_subject
from fanzha.settings import Settings
from fanzha.store.db import session_factory
from fanzha.store.repositories import WarningRepository
from fanzha.store.tables import PersonRow
from fanzha.warning.model import Warning

app = typer.Typer(help="预警指令 warnings", no_args_is_help=True)

LEVEL_STYLE = {4: "bold white on red", 3: "bold red", 2: "yellow", 1: "blue"}


@app.command("list")
def list_warnings(
    all_: Annotated[bool, typer.Option("--all", help="include closed warnings")] = False,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
) -> None:
    """Open warnings, most urgent first: level, person (masked), fraud type and reasons."""
    engine = open_store(Settings())
    with session_factory(engine)() as session:
        warnings = WarningRepository(session).list(open_only=not all_, limit=limit)
        names = {
            row.person_id: row.name
            for row in session.query(PersonRow).filter(
                PersonRow.person_id.in_([w.person_id for w in warnings if w.person_id])
            )
        }
    if not warnings:
        console.print("没有预警 (no warnings).")
        return
    table = Table(title=f"预警指令 warnings ({len(warnings)})")
    for column in ("编号", "等级", "分值", "预警对象", "诈骗类型", "主要原因", "责任单位", "时间"):
        table.add_column(column)
    for w in warnings:
        table.add_row(
            str(w.warning_id),
            f"[{LEVEL_STYLE[int(w.level)]}]{w.level.label}[/]",
            str(w.score),
            person_label(w, names),
            w.fraud_type.label,
            "；".join(dict.fromkeys(r.summary for r in w.reasons[:3])),
            w.unit_id or "未指派",
            w.created_at.strftime("%Y-%m-%d %H:%M"),
        )
    console.print(table)


def person_label(warning: Warning, names: dict[str, str]) -> str:
    if warning.person_id and warning.person_id in names:
        return f"{mask_name(names[warning.person_id])} ({warning.person_id})"
    return mask_subject(warning.subject_key)
