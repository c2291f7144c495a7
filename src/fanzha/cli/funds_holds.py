"""`fanzha funds hold create|confirm|release|list`: 保护性止付 on a potential victim's own accounts."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from fanzha.cli.common import console, err_console, open_store
from fanzha.clock import SystemClock
from fanzha.funds.model import Effect, ProtectiveHold, TransitionError
from fanzha.masking import mask_account
from fanzha.present import format_time

if TYPE_CHECKING:
    from fanzha.uow import UnitOfWork


app = typer.Typer(help="保护性止付 protective holds: propose, confirm, release", no_args_is_help=True)


def _uow() -> UnitOfWork:
    from fanzha.settings import Settings
    from fanzha.store.engine import session_factory
    from fanzha.uow import UnitOfWork

    return UnitOfWork(session_factory(open_store(Settings())))


def _refuse(exc: Exception) -> NoReturn:
    err_console.print(f"[red]refused:[/red] {exc}")
    raise typer.Exit(1) from exc


def _show(hold: ProtectiveHold, effects: list[Effect] | None = None) -> None:
    accounts = ", ".join(mask_account(a) for a in hold.accounts)
    end = format_time(hold.planned_end) if hold.planned_end else "-"
    console.print(f"hold {hold.hold_id}: {hold.status.value}  accounts {accounts}  until {end}")
    for effect in effects or []:
        console.print(f"  {effect.kind:<16} {effect.detail}")


@app.command("create")
def create_command(
    subject: Annotated[str, typer.Option(help="the potential victim's person id")],
    account: Annotated[list[str], typer.Option(help="an account in the subject's name (repeat)")],
    unit: Annotated[str | None, typer.Option(help="the unit proposing the hold")] = None,
    lead: Annotated[str | None, typer.Option(help="the warning or lead that triggered it")] = None,
    imposed_by: Annotated[str, typer.Option(help="police or bank")] = "police",
) -> None:
    """Propose a hold; it takes effect only when an officer confirms it."""
    from fanzha.funds import holds_service as hs

    with _uow() as uow:
        try:
            hold = hs.propose_hold(
                uow.session,
                unit_id=unit,
                subject_id=subject,
                accounts=account,
                now=SystemClock().now(),
                trigger_lead_id=lead,
                imposed_by=imposed_by,
            )
        except ValueError as exc:
            _refuse(exc)
        uow.commit()
    _show(hold)


@app.command("confirm")
def confirm_command(
    hold_id: Annotated[str, typer.Argument()],
    by: Annotated[str, typer.Option(help="the confirming officer (named, PIPL art 24)")],
    hours: Annotated[
        float | None, typer.Option(min=0.1, help="duration (default 72 h, at most 7 days)")
    ] = None,
) -> None:
    """Confirm a proposed hold: it takes effect now and releases itself after its duration."""
    from fanzha.funds import holds_service as hs
    from fanzha.funds.hold import HoldSettings

    duration = timedelta(hours=hours) if hours else None
    with _uow() as uow:
        try:
            hold, effects = hs.confirm_hold(
                uow.session,
                hold_id,
                by=by,
                at=SystemClock().now(),
                duration=duration,
                settings=HoldSettings(),
            )
        except (LookupError, TransitionError) as exc:
            _refuse(exc)
        uow.commit()
    _show(hold, effects)


@app.command("release")
def release_command(
    hold_id: Annotated[str, typer.Argument()],
    by: Annotated[str, typer.Option(help="the releasing officer")],
    reason: Annotated[str, typer.Option(help="why (e.g. met and verified); required")],
) -> None:
    """Release an active hold early, or withdraw a proposal."""
    from fanzha.funds import holds_service as hs

    with _uow() as uow:
        try:
            hold, effects = hs.release_hold(
                uow.session, hold_id, by=by, at=SystemClock().now(), reason=reason
            )
        except (LookupError, TransitionError) as exc:
            _refuse(exc)
        uow.commit()
    _show(hold, effects)


@app.command("list")
def list_command(unit: Annotated[list[str] | None, typer.Option(help="only these units")] = None) -> None:
    """Holds, newest first, accounts masked."""
    from fanzha.funds import holds_service as hs

    with _uow() as uow:
        holds = hs.list_holds(uow.session, unit or None)
    for hold in holds:
        _show(hold)
    console.print(f"{len(holds)} holds")
