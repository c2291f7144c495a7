"""`fanzha retention …`: purge or anonymise records past their period; legal holds on active cases."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from fanzha.audit.model import Action
from fanzha.cli.common import audit_cli, console, err_console, open_store

if TYPE_CHECKING:
    from fanzha.auth.retention import RetentionPolicy
    from fanzha.jobs.retention import PurgeReport


app = typer.Typer(help="retention periods, purge and legal holds (PIPL art 19/47)", no_args_is_help=True)


def load_policy(path: str | None) -> RetentionPolicy:
    """Defaults, overridden by a YAML mapping `record type: days` when a file is given."""
    import yaml

    from fanzha.auth.retention import RetentionError, retention_policy

    if not path:
        return retention_policy()
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise RetentionError("the retention file must map record types to days")
    return retention_policy({str(k): v for k, v in data.items()})


def _show(report: PurgeReport, policy: RetentionPolicy, dry_run: bool) -> None:
    table = Table(title="到期清理 (retention)" + ("：试运行，未修改 (dry run)" if dry_run else ""))
    for column in ("record type", "keep (days)", "deleted", "anonymised"):
        table.add_column(column)
    for record, days in policy.days.items():
        table.add_row(
            record.value,
            str(days),
            str(report.deleted.get(record, "-")),
            str(report.anonymised.get(record, "-")),
        )
    console.print(table)
    console.print(f"legal holds respected: {report.held_warnings} warnings")
    console.print(
        f"audit rows past their period (append-only; archive in the database): {report.audit_past_period}"
    )


@app.command("purge")
def purge_command(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="count what would change, change nothing")
    ] = False,
    config: Annotated[
        Path | None, typer.Option(help="YAML file of periods (default FANZHA_RETENTION_FILE)")
    ] = None,
) -> None:
    """Delete raw records and anonymise closed warnings past their period; held warnings are kept."""
    import yaml

    from fanzha.auth.retention import RetentionError
    from fanzha.jobs.retention import purge
    from fanzha.settings import Settings
    from fanzha.store.engine import session_factory
    from fanzha.uow import UnitOfWork

    settings = Settings()
    try:
        policy = load_policy(str(config) if config else settings.retention_file)
    except (RetentionError, OSError, yaml.YAMLError) as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    now = datetime.now(UTC)
    engine = open_store(settings)
    with UnitOfWork(session_factory(engine)) as uow:
        report = purge(uow.session, policy, now)
        if not dry_run:
            changed = [f"{k}={v}" for k, v in {**report.deleted, **report.anonymised}.items() if v]
            audit_cli(
                uow,
                Action.RETENTION_PURGE,
                at=now,
                object_type="retention",
                fields=tuple(changed),
            )
            uow.commit()
    _show(report, policy, dry_run)


@app.command("hold")
def hold(
    warning_id: Annotated[int, typer.Argument(help="the warning of an active case")],
    reason: Annotated[str, typer.Option(help="why, e.g. the case number")],
) -> None:
    """Place a legal hold: retention will neither purge nor anonymise this warning and its records."""
    from fanzha.jobs.retention import place_hold
    from fanzha.settings import Settings
    from fanzha.store.engine import session_factory
    from fanzha.uow import UnitOfWork

    now = datetime.now(UTC)
    with UnitOfWork(session_factory(open_store(Settings()))) as uow:
        if not place_hold(uow.session, warning_id=warning_id, reason=reason, placed_by="cli", now=now):
            err_console.print(f"[red]error:[/red] no warning {warning_id}")
            raise typer.Exit(2)
        audit_cli(
            uow,
            Action.LEGAL_HOLD,
            at=now,
            object_type="warning",
            object_id=str(warning_id),
            purpose=reason,
        )
        uow.commit()
    console.print(f"legal hold placed on warning {warning_id}")


@app.command("release")
def release(warning_id: Annotated[int, typer.Argument(help="the warning whose holds end")]) -> None:
    """Release the legal holds on a warning."""
    from fanzha.jobs.retention import release_hold
    from fanzha.settings import Settings
    from fanzha.store.engine import session_factory
    from fanzha.uow import UnitOfWork

    now = datetime.now(UTC)
    with UnitOfWork(session_factory(open_store(Settings()))) as uow:
        released = release_hold(uow.session, warning_id=warning_id, now=now)
        if released:
            audit_cli(
                uow,
                Action.LEGAL_HOLD_RELEASED,
                at=now,
                object_type="warning",
                object_id=str(warning_id),
            )
        uow.commit()
    console.print(f"released {released} hold(s) on warning {warning_id}")
