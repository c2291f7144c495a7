"""`fanzha funds returns plan|notice|decide`: 资金返还 from a freeze (trace-back first, pro rata after the
30-day notice). Applications come from a JSON file shaped like the API's body (`applications`, `prefix`)
or a bare list of 返还申请表; output is masked and in yuan, `--json` prints fen.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.table import Table

from fanzha.cli.common import console, err_console, open_store, to_json
from fanzha.clock import SystemClock
from fanzha.funds.model import TransitionError
from fanzha.funds.returns import ProRata, ReturnDecision, ReturnPlan
from fanzha.present import format_time, format_yuan

if TYPE_CHECKING:
    from fanzha.funds.returns_service import ReturnsIn
    from fanzha.uow import UnitOfWork


app = typer.Typer(
    help="资金返还 returns: plan, publish the 30-day notice, issue 返还决定书", no_args_is_help=True
)

Applications = Annotated[
    Path, typer.Option(help="JSON: {applications: [...], prefix} or a list of applications")
]
AsJson = Annotated[bool, typer.Option("--json", help="print JSON (amounts in fen)")]
PRO_RATA = {
    ProRata.NOT_NEEDED: "无需按比例返还",
    ProRata.AWAITING_NOTICE: "按比例部分待 30 日公告期满",
    ProRata.DUE: "按比例部分可返还",
}


def _uow() -> UnitOfWork:
    from fanzha.settings import Settings
    from fanzha.store.engine import session_factory
    from fanzha.uow import UnitOfWork

    return UnitOfWork(session_factory(open_store(Settings())))


def _refuse(exc: Exception) -> NoReturn:
    err_console.print(f"[red]refused:[/red] {exc}")
    raise typer.Exit(1) from exc


def _read(path: Path) -> ReturnsIn:
    from pydantic import ValidationError

    from fanzha.funds.returns_service import ReturnsIn

    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        _refuse(ValueError(f"cannot read {path.name}"))
    try:
        if text.lstrip().startswith("["):
            return ReturnsIn.model_validate_json(f'{{"applications": {text}}}')
        return ReturnsIn.model_validate_json(text)
    except ValidationError as exc:
        _refuse(ValueError(f"{path.name} is not a list of return applications ({exc.error_count()} errors)"))


def _show_plan(p: ReturnPlan) -> None:
    table = Table(title=f"返还方案  冻结金额 {format_yuan(p.frozen_fen)}")
    for column in ("受害人", "溯源返还", "按比例", "合计"):
        table.add_column(column)
    for s in p.shares:
        table.add_row(
            s.victim_id, format_yuan(s.traced_fen), format_yuan(s.pro_rata_fen), format_yuan(s.total_fen)
        )
    console.print(table)
    ends = f"，公告期满 {format_time(p.notice_ends_at)}" if p.notice_ends_at else ""
    console.print(
        f"{PRO_RATA[p.pro_rata]}{ends}；现可返还 {format_yuan(p.payable_fen)}，"
        f"留存 {format_yuan(p.remainder_fen)}"
    )


def _show_decisions(decisions: list[ReturnDecision]) -> None:
    from fanzha.funds.queries import decision_view

    for d in decisions:
        out = decision_view(d)
        console.print(
            f"{out.decision_no}  {out.victim_id}  {out.from_account} → {out.to_account}  "
            f"{format_yuan(out.amount_fen)}  {'溯源' if out.basis == 'TRACED' else '按比例'}"
        )


@app.command("plan")
def plan_command(freeze_id: str, applications: Applications, as_json: AsJson = False) -> None:
    """Who would get what now (nothing is stored)."""
    from fanzha.funds import returns_service as rs
    from fanzha.funds.queries import plan_view
    from fanzha.funds.returns_service import applicants_of

    body = _read(applications)
    now = SystemClock().now()
    with _uow() as uow:
        try:
            result = rs.plan(uow.session, freeze_id, applicants_of(uow.session, freeze_id, body, now), now)
        except (LookupError, ValueError) as exc:
            _refuse(exc)
    if as_json:
        console.print_json(data=to_json(plan_view(result)))
    else:
        _show_plan(result)


@app.command("notice")
def notice_command(freeze_id: str) -> None:
    """Publish the 30-day notice that must run before any pro-rata return (once per freeze)."""
    from fanzha.funds import returns_service as rs

    with _uow() as uow:
        try:
            frozen = rs.publish_notice(uow.session, freeze_id, SystemClock().now())
        except (LookupError, TransitionError) as exc:
            _refuse(exc)
        uow.commit()
    assert frozen.return_notice_at is not None
    console.print(f"freeze {freeze_id}: 返还公告 published {format_time(frozen.return_notice_at)}")


@app.command("decide")
def decide_command(freeze_id: str, applications: Applications, as_json: AsJson = False) -> None:
    """Issue and store the 返还决定书 now payable; pro-rata parts wait for the notice."""
    from fanzha.funds import returns_service as rs
    from fanzha.funds.queries import decided_view
    from fanzha.funds.returns_service import applicants_of

    body = _read(applications)
    now = SystemClock().now()
    with _uow() as uow:
        try:
            applicants = applicants_of(uow.session, freeze_id, body, now)
            done = rs.decide(uow.session, freeze_id, applicants, now=now, prefix=body.prefix)
        except (LookupError, ValueError) as exc:  # TransitionError included
            _refuse(exc)
        uow.commit()
    if as_json:
        console.print_json(data=to_json(decided_view(done.plan, done.decisions, done.pro_rata_refused)))
        return
    _show_plan(done.plan)
    _show_decisions(list(done.decisions))
    if done.pro_rata_refused:
        console.print("按比例返还部分未决定：须待 30 日公告期满")
