"""`fanzha funds …`, `fanzha bench trace`, `fanzha bank-sim`: fund tracing, 止付/冻结, the simulated bank."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.table import Table
from rich.tree import Tree

from fanzha.cli import funds_holds, funds_returns
from fanzha.cli.common import console, err_console, open_store
from fanzha.clock import SystemClock
from fanzha.funds.model import AllocationRule, TransitionError
from fanzha.funds.stats import Period
from fanzha.masking import mask_account
from fanzha.present import DISPLAY_TZ, format_time, format_yuan

if TYPE_CHECKING:
    from fanzha.funds.trace import Trace
    from fanzha.jobs.bank import exchange


app = typer.Typer(help="资金 funds: trace the chain, stop payment, freeze, statistics", no_args_is_help=True)
app.add_typer(funds_holds.app, name="hold")
app.add_typer(funds_returns.app, name="returns")


def _new_uow() -> exchange.UnitOfWorkFactory:
    from fanzha.settings import Settings
    from fanzha.store.engine import session_factory
    from fanzha.uow import UnitOfWork

    factory = session_factory(open_store(Settings()))
    return lambda: UnitOfWork(factory)


def print_trace(tr: Trace) -> None:
    """The tree in the terminal, accounts masked, amount arrived and still there on each node."""
    kids = tr.by_parent()
    root = Tree(
        f"资金流向 traced {format_yuan(tr.traced_fen)}, still on accounts {format_yuan(tr.at_risk_fen)}"
    )

    def add(branch: Tree, node_id: int | None) -> None:
        for n in kids.get(node_id, []):
            label = (
                f"L{n.level} {mask_account(n.account)}  in {format_yuan(n.amount_fen)}"
                f"  left {format_yuan(n.at_risk_fen)}  {format_time(n.at)}"
            )
            add(branch.add(label), n.node_id)

    add(root, None)
    console.print(root)
    if tr.truncated:
        console.print("[yellow]depth limit reached: deeper levels not shown[/yellow]")


@app.command("trace")
def trace_command(
    event_id: Annotated[str | None, typer.Option(help="the victim's transfer event id")] = None,
    account: Annotated[str | None, typer.Option(help="or: trace from this account …")] = None,
    since: Annotated[
        datetime | None, typer.Option(help="… for what it received from this time (ISO)")
    ] = None,
    depth: Annotated[int | None, typer.Option(min=1, max=50, help="levels to follow (default: any)")] = None,
    rule: Annotated[AllocationRule, typer.Option(help="GREEDY or PROPORTIONAL")] = AllocationRule.GREEDY,
) -> None:
    """Follow a victim's money level by level through the stored transfers."""
    from fanzha.funds import service
    from fanzha.funds.trace import TraceSettings
    from fanzha.settings import Settings
    from fanzha.store.engine import session_factory

    settings = TraceSettings(rule=rule, max_depth=depth)
    engine = open_store(Settings())
    with session_factory(engine)() as session:
        if event_id:
            tr = service.trace_event(session, event_id, settings)
        elif account and since:
            when = since if since.tzinfo else since.replace(tzinfo=DISPLAY_TZ)
            tr = service.trace_account(session, account, when, settings)
        else:
            err_console.print("[red]error:[/red] give --event-id, or --account with --since")
            raise typer.Exit(2)
    if tr is None:
        err_console.print("[red]error:[/red] no such transfer in the store (try `fanzha funds backfill`)")
        raise typer.Exit(1)
    print_trace(tr)


@app.command("backfill")
def backfill_command() -> None:
    """Index transfers stored before the trace index existed."""
    new_uow = _new_uow()
    with new_uow() as uow:
        added = uow.funds.backfill_transfers()
        uow.commit()
    console.print(f"indexed {added} transfers")


def _fail(exc: Exception) -> NoReturn:
    err_console.print(f"[red]refused:[/red] {exc}")
    raise typer.Exit(1) from exc


@app.command("stop")
def stop_command(
    event_id: Annotated[str, typer.Option(help="the transfer whose payee is to be stopped")],
    bank_url: Annotated[str, typer.Option(help="the bank's fanzha-bank/1 endpoint")],
    unit: Annotated[str | None, typer.Option(help="the unit issuing the order")] = None,
    timeout: Annotated[float, typer.Option(help="seconds to wait for the bank")] = 5.0,
) -> None:
    """Issue a 紧急止付 on the payee of a transfer and send it to the bank."""
    from fanzha.funds import queries as fq
    from fanzha.funds import service
    from fanzha.funds.config import funds_settings
    from fanzha.jobs.bank import exchange
    from fanzha.jobs.bank.adapter import BankAdapter
    from fanzha.settings import Settings

    new_uow = _new_uow()
    with new_uow() as uow:
        edge = fq.transfer(uow.session, event_id)
        if edge is None:
            _fail(LookupError("no such transfer"))
        try:
            order = service.new_stop(
                uow.session,
                unit_id=unit,
                payee_account=edge.payee,
                amount_fen=edge.amount_fen,
                txn_time=edge.at,
                payer_account=edge.payer,
                settings=funds_settings(Settings()),
            )
        except TransitionError as exc:
            _fail(exc)
        uow.commit()
    with BankAdapter(bank_url, timeout_s=timeout) as bank:
        outcome = exchange.send(new_uow, bank, "STOP", order.order_id, SystemClock())
    console.print(f"order {order.order_id}: {', '.join(outcome) or 'sent, answer pending'}")


@app.command("retry")
def retry_command(
    bank_url: Annotated[str, typer.Option(help="the bank's fanzha-bank/1 endpoint")],
    kind: Annotated[str | None, typer.Argument(help="STOP or FREEZE (none: every queued follow-up)")] = None,
    target_id: Annotated[str | None, typer.Argument(help="order or freeze id")] = None,
) -> None:
    """Re-send an instruction that got no usable answer (same idempotency key).

    Without arguments: send every queued or unanswered renewal, release and protective-hold instruction.
    """
    from fanzha.jobs.bank import exchange
    from fanzha.jobs.bank.adapter import BankAdapter

    new_uow = _new_uow()
    with BankAdapter(bank_url) as bank:
        if kind is None or target_id is None:
            sent = exchange.send_pending(new_uow, bank, SystemClock())
            for key, outcome in sent.items():
                console.print(f"{key}: {', '.join(outcome) or 'sent, answer pending'}")
            console.print(f"{len(sent)} follow-up instructions sent")
            return
        try:
            outcome = exchange.send(new_uow, bank, kind.upper(), target_id, SystemClock())
        except (TransitionError, LookupError, ValueError) as exc:
            _fail(exc)
    console.print(", ".join(outcome) or "sent, answer pending")


@app.command("freeze")
def freeze_command(
    account: Annotated[str, typer.Option(help="the account to freeze")],
    amount_fen: Annotated[int, typer.Option(min=1, help="amount in fen")],
    approved_by: Annotated[str, typer.Option(help="the approving county-level chief")],
    bank_url: Annotated[str, typer.Option(help="the bank's fanzha-bank/1 endpoint")],
    unit: Annotated[str | None, typer.Option()] = None,
    stop_order: Annotated[str | None, typer.Option(help="the stop order this freeze converts")] = None,
) -> None:
    """Request, approve and send a 快速冻结 (6 months; renew before expiry or it lapses)."""
    from fanzha.funds import freeze as fz
    from fanzha.funds import service
    from fanzha.jobs.bank import exchange
    from fanzha.jobs.bank.adapter import BankAdapter

    new_uow = _new_uow()
    now = SystemClock().now()
    with new_uow() as uow:
        f = service.new_freeze(
            uow.session,
            unit_id=unit,
            account=account,
            amount_fen=amount_fen,
            now=now,
            stop_order_id=stop_order,
        )
        service.command_freeze(uow.session, f.freeze_id, fz.Approve(approved_by, now))
        uow.commit()
    with BankAdapter(bank_url) as bank:
        outcome = exchange.send(new_uow, bank, "FREEZE", f.freeze_id, SystemClock())
    console.print(f"freeze {f.freeze_id}: {', '.join(outcome) or 'sent, answer pending'}")


@app.command("sweep")
def sweep_command() -> None:
    """Run due timers: alerts before stop/freeze expiry, stop expiry, freeze lapse, hold auto-release."""
    from fanzha.funds import service
    from fanzha.funds.config import funds_settings
    from fanzha.settings import Settings

    new_uow = _new_uow()
    with new_uow() as uow:
        effects = service.sweep(uow.session, SystemClock().now(), funds_settings(Settings()))
        uow.commit()
    for effect in effects:
        console.print(f"{effect.kind:<16} {effect.target}  {effect.detail}")
    console.print(f"{len(effects)} effects")


@app.command("stats")
def stats_command(period: Annotated[Period, typer.Option()] = Period.MONTH) -> None:
    """Amounts stopped, frozen and returned, by unit and period."""
    from fanzha.funds import service
    from fanzha.settings import Settings
    from fanzha.store.engine import session_factory

    engine = open_store(Settings())
    with session_factory(engine)() as session:
        rows = service.statistics(session, period, DISPLAY_TZ)
    table = Table(title="止付 / 冻结 / 返还")
    for column in ("单位", "期间", "止付金额", "止付账户", "冻结金额", "冻结账户", "返还金额", "返还人数"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            r.unit_id or "-",
            r.period,
            format_yuan(r.stopped_fen),
            str(r.stopped_accounts),
            format_yuan(r.frozen_fen),
            str(r.frozen_accounts),
            format_yuan(r.returned_fen),
            str(r.returned_people),
        )
    console.print(table)


def bench_trace(
    transfers: Annotated[int, typer.Option(min=10_000, max=20_000_000)] = 10_000_000,
    victims: Annotated[int, typer.Option(min=1, max=2_000)] = 200,
    depth: Annotated[int, typer.Option(min=1, max=20)] = 5,
    baseline_victims: Annotated[int, typer.Option(min=1, max=50, help="victims for the naive scan")] = 5,
) -> None:
    """Trace victims over a synthetic graph of N transfers; ms per victim vs a naive full scan."""
    from fanzha.cli.funds_bench import run_trace_bench

    run_trace_bench(transfers=transfers, victims=victims, depth=depth, baseline_victims=baseline_victims)


def bank_sim(
    port: Annotated[int, typer.Option(help="port on 127.0.0.1")] = 8600,
    mode: Annotated[str, typer.Option(help="normal | slow | silent | duplicate | garbage")] = "normal",
) -> None:
    """Run the simulated bank (fanzha-bank/1 over HTTP on 127.0.0.1) until Ctrl-C."""
    from fanzha.jobs.bank.sim_server import SimulatedBank

    sim = SimulatedBank(port=port)
    sim.state.mode = mode
    console.print(f"simulated bank on {sim.url} (mode {mode}); Ctrl-C to stop")
    try:
        sim.serve_forever()
    except KeyboardInterrupt:
        console.print("stopped")
