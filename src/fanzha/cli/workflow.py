"""Workflow commands: import the unit tree, run the workflow worker, run the fake SMS gateway."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from fanzha.cli.common import console, err_console, open_store
from fanzha.stream.units_csv import COLUMNS  # the help text names the columns

units = typer.Typer(help="the unit tree: 市局 → 分局 → 派出所 → 社区", no_args_is_help=True)


@units.command("import")
def units_import(
    path: Annotated[
        Path, typer.Argument(help=f"CSV with columns {','.join(COLUMNS)} (area codes split by ';')")
    ],
) -> None:
    """Replace the unit tree with the units in a CSV file (nothing is changed if any line is wrong)."""
    from fanzha.settings import Settings
    from fanzha.store.directory import replace_reference_data
    from fanzha.store.engine import session_factory
    from fanzha.stream.units_csv import read_units_csv
    from fanzha.uow import UnitOfWork

    if not path.is_file():
        err_console.print(f"[red]error:[/red] no such file: {path}")
        raise typer.Exit(2)
    found, errors = read_units_csv(path)
    if errors:
        for error in errors[:20]:
            err_console.print(f"[red]error:[/red] {path.name}: {error}")
        raise typer.Exit(2)
    engine = open_store(Settings())
    with UnitOfWork(session_factory(engine)) as uow:
        replace_reference_data(uow.session, units=found)
        uow.commit()
    counts = {
        level: sum(u.level.value == level for u in found)
        for level in ("CITY", "BRANCH", "STATION", "COMMUNITY")
    }
    console.print(f"imported {len(found)} units: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


def worker(
    max_sleep: Annotated[
        float, typer.Option(min=0.05, max=60, help="longest sleep between checks, seconds")
    ] = 1.0,
) -> None:
    """Run the workflow worker: route new warnings, fire due deadlines (escalate), send warning SMS."""
    from fanzha.jobs.worker import worker_from_settings
    from fanzha.settings import Settings

    settings = Settings()
    job = worker_from_settings(settings, open_store(settings))
    job.max_sleep = max_sleep
    console.print("workflow worker running (Ctrl+C to stop)")
    try:
        job.run()
    except KeyboardInterrupt:
        job.stop()


def sms_gateway(
    port: Annotated[int, typer.Option(help="port on 127.0.0.1 (0: any free port)")] = 8025,
    fail_next: Annotated[int, typer.Option(min=0, help="answer the first N sends with HTTP 503")] = 0,
) -> None:
    """Run a fake SMS gateway on 127.0.0.1 for demos and tests (POST /sms, GET /messages)."""
    from fanzha.jobs.sms.fake_gateway import FakeSmsGateway

    gateway = FakeSmsGateway(port=port)
    gateway.fail_next(fail_next)
    console.print(f"fake SMS gateway on {gateway.url}  (FANZHA_SMS_GATEWAY_URL={gateway.url})")
    gateway.start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        gateway.stop()


def register(app: typer.Typer) -> None:
    app.add_typer(units, name="units")
    app.command("worker")(worker)
    app.command("sms-gateway")(sms_gateway)
