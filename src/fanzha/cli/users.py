"""`fanzha users …` and `fanzha tokens …`: accounts and machine-client tokens, from the command line.

Passwords and tokens are generated, printed once, and stored only as hashes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from fanzha.audit.model import Action
from fanzha.auth.model import Role
from fanzha.cli.common import audit_cli, console, err_console, open_store

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from fanzha.settings import Settings


users = typer.Typer(help="console accounts (passwords are Argon2id-hashed)", no_args_is_help=True)
tokens = typer.Typer(help="API tokens for machine clients (banks, upstream feeds)", no_args_is_help=True)

ROLE_HELP = "one of: " + ", ".join(f"{r.value} ({r.label})" for r in Role)


def city_unit(engine: Engine) -> str | None:
    from fanzha.store.engine import session_factory
    from fanzha.warning import workflow_queries

    with session_factory(engine)() as session:
        return workflow_queries.unit_tree(session).city()


def add_account(
    engine: Engine, settings: Settings, *, username: str, role: str, unit_id: str, password: str | None = None
) -> str:
    """Create the account (audited) and return its password; raises AccountError when refused."""
    from fanzha.auth.config import auth_config
    from fanzha.auth.passwords import generate_password
    from fanzha.auth.service import create_user
    from fanzha.store.engine import session_factory
    from fanzha.uow import UnitOfWork

    password = password or generate_password(username)
    now = datetime.now(UTC)
    with UnitOfWork(session_factory(engine)) as uow:
        create_user(
            uow.session,
            auth_config(settings).passwords,
            username=username,
            password=password,
            role=role,
            unit_id=unit_id,
            now=now,
        )
        audit_cli(
            uow,
            Action.USER_CREATED,
            at=now,
            object_type="user",
            object_id=username,
            object_unit_id=unit_id,
            fields=(role,),
        )
        uow.commit()
    return password


def _print_once(label: str, secret: str) -> None:
    console.print(f"{label}: [bold]{secret}[/bold]")
    console.print("[yellow]它只显示这一次 (shown only once); only its hash is stored.[/yellow]")


@users.command("create-admin")
def create_admin(
    username: Annotated[str, typer.Option(help="login name")] = "admin",
    unit: Annotated[
        str | None, typer.Option(help="the CITY unit (default: the one in the reference data)")
    ] = None,
) -> None:
    """Create a city administrator (the first account) with a generated password."""
    from fanzha.settings import Settings

    settings = Settings()
    engine = open_store(settings)
    unit_id = unit or city_unit(engine)
    if unit_id is None:
        err_console.print(
            "[red]error:[/red] no CITY unit; run `fanzha reference load DIR` first or pass --unit"
        )
        raise typer.Exit(2)
    _add(engine, settings, username, Role.CITY_ADMIN.value, unit_id)


@users.command("add")
def add(
    username: Annotated[str, typer.Argument(help="login name")],
    role: Annotated[str, typer.Option(help=ROLE_HELP)],
    unit: Annotated[str, typer.Option(help="unit id; the account sees this unit and the units below it")],
) -> None:
    """Create an account with a generated password."""
    from fanzha.settings import Settings

    settings = Settings()
    _add(open_store(settings), settings, username, role, unit)


def _add(engine: Engine, settings: Settings, username: str, role: str, unit_id: str) -> None:
    from fanzha.auth.service import AccountError

    try:
        password = add_account(engine, settings, username=username, role=role, unit_id=unit_id)
    except AccountError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    console.print(f"created {username} ({Role(role).label}, unit {unit_id})")
    _print_once("password", password)


@tokens.command("create")
def create(
    name: Annotated[str, typer.Argument(help="a name for the client, e.g. bank-icbc-feed")],
    role: Annotated[str, typer.Option(help=ROLE_HELP)],
    unit: Annotated[str, typer.Option(help="unit id the token is scoped to")],
    days: Annotated[
        int | None, typer.Option(min=1, help="valid for this many days (default: until revoked)")
    ] = None,
) -> None:
    """Create an API token; clients send it as `Authorization: Bearer <token>`."""
    from fanzha.auth.service import AccountError, create_token
    from fanzha.settings import Settings
    from fanzha.store.engine import session_factory
    from fanzha.uow import UnitOfWork

    engine = open_store(Settings())
    now = datetime.now(UTC)
    try:
        with UnitOfWork(session_factory(engine)) as uow:
            token = create_token(uow.session, name=name, role=role, unit_id=unit, now=now, valid_days=days)
            audit_cli(
                uow,
                Action.TOKEN_CREATED,
                at=now,
                object_type="api_token",
                object_id=name,
                object_unit_id=unit,
                fields=(role,),
            )
            uow.commit()
    except AccountError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    _print_once("token", token)


@tokens.command("revoke")
def revoke(name: Annotated[str, typer.Argument(help="the token's name")]) -> None:
    """Revoke an API token at once."""
    from fanzha.settings import Settings
    from fanzha.store.engine import session_factory
    from fanzha.uow import UnitOfWork

    engine = open_store(Settings())
    with UnitOfWork(session_factory(engine)) as uow:
        done = uow.auth.revoke_token(name)
        uow.commit()
    if not done:
        err_console.print(f"[red]error:[/red] no active token named {name}")
        raise typer.Exit(2)
    console.print(f"revoked {name}")


def busiest_station(engine: Engine) -> str | None:
    """The station with the most open warnings (the demo's officer works there)."""
    from fanzha.store.engine import session_factory
    from fanzha.warning import workflow_queries

    with session_factory(engine)() as session:
        return workflow_queries.busiest_station(session)


def parent_unit(engine: Engine, unit_id: str | None) -> str | None:
    from fanzha.store.engine import session_factory
    from fanzha.warning import workflow_queries

    if unit_id is None:
        return None
    with session_factory(engine)() as session:
        return workflow_queries.unit_tree(session).parent(unit_id)


def create_demo_accounts(engine: Engine, settings: Settings) -> None:
    """One demo account per role a demo walks through, with generated passwords printed once.

    The officer works at the station with the most open warnings and the dispatcher at its branch,
    so the station queue, sign-off, re-assignment, fund tracing and the audit log can all be shown.
    """
    city = city_unit(engine)
    station = busiest_station(engine)
    table = Table(title="演示账号 (demo accounts; passwords shown only once)")
    for column in ("username", "role", "unit", "password"):
        table.add_column(column)
    for username, role, unit_id in (
        ("demo-admin", Role.CITY_ADMIN, city),
        ("demo-officer", Role.STATION_OFFICER, station),
        ("demo-dispatcher", Role.BRANCH_DISPATCHER, parent_unit(engine, station)),
        ("demo-analyst", Role.ANALYST, city),
        ("demo-funds", Role.STOP_PAYMENT_OFFICER, city),
        ("demo-inspector", Role.INSPECTOR, city),
    ):
        if unit_id is None:
            continue
        password = add_account(engine, settings, username=username, role=role.value, unit_id=unit_id)
        table.add_row(username, role.label, unit_id, password)
    console.print(table)
