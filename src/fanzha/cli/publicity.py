"""`fanzha prevention import|figures|board|check|reports|review`: publicity records and their sums."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from fanzha.cli.common import audit_cli, console, err_console, open_uow

KINDS = ("events", "posts", "sms", "registrations", "places", "cases")


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {message}")
    return typer.Exit(2)


def import_records(
    kind: Annotated[str, typer.Argument(help=f"one of {', '.join(KINDS)} (columns: README, 宣防)")],
    path: Annotated[Path, typer.Argument(help="a UTF-8 CSV file with a header")],
) -> None:
    """Import publicity records from CSV: checked as a whole, nothing is imported if a line is wrong."""
    from fanzha.prevention.records import RecordsRejectedError, import_csv

    if kind not in KINDS:
        raise _fail(f"kind is one of {', '.join(KINDS)}")
    if not path.is_file():
        raise _fail(f"no such file: {path}")
    now = datetime.now(UTC)
    with open_uow() as uow:
        try:
            stored = import_csv(uow, kind, path.read_text(encoding="utf-8"), actor="cli", now=now)
        except RecordsRejectedError as exc:
            for error in exc.errors[:20]:
                err_console.print(f"[red]error:[/red] {path.name}: {error}")
            if len(exc.errors) > 20:
                err_console.print(f"… {len(exc.errors) - 20} more")
            raise _fail("nothing imported") from None
        except UnicodeDecodeError:
            raise _fail(f"{path.name}: not UTF-8 text") from None
        audit_cli(uow, "change", at=now, object_type=f"publicity_{kind}", object_id=path.name)
        uow.commit()
    console.print(f"{path.name}: {stored:,} {kind} stored")


def _day(value: str | None, default: date, name: str) -> date:
    if value is None:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("a date as YYYY-MM-DD", param_hint=name) from None


def figures(
    unit: Annotated[
        str | None, typer.Option(help="unit (default: the city); its sub-units are listed")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="first day, YYYY-MM-DD (default: 30 days ago)")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="last day, YYYY-MM-DD (default: today)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON with the report card's keys")] = False,
) -> None:
    """宣防场次, 覆盖人数, 短信条数, 推文/阅读量, App 注册率 of a unit and its sub-units over a period."""
    from fanzha.auth.model import SYSTEM
    from fanzha.cli.prevention import setup
    from fanzha.present import DISPLAY_TZ
    from fanzha.prevention import queries
    from fanzha.prevention.labels import FIGURE_LABELS

    today = datetime.now(DISPLAY_TZ).date()
    last = _day(end, today, "--to")
    first = _day(start, last - timedelta(days=29), "--from")
    with open_uow() as uow:
        view = queries.figures(uow.session, SYSTEM, unit, first=first, last=last, config=setup().config)
    if view is None:
        raise _fail("unknown unit (or no unit tree: fanzha units import / reference load)")
    rows = [view.total, *view.rows]
    if as_json:
        data = [
            {"unit_id": r.unit_id, "name": r.name, **r.card(), "officer_hours": r.officer_hours} for r in rows
        ]
        console.print_json(
            json.dumps({"from": str(first), "to": str(last), "units": data}, ensure_ascii=False)
        )
        return
    table = Table(title=f"宣防工作 {first} – {last}")
    table.add_column("单位 unit")
    keys = ("publicity_events", "publicity_reach", "publicity_sms", "publicity_posts", "publicity_reads")
    for key in (*keys, "app_registration_rate", "special_contacts", "officer_hours"):
        table.add_column(FIGURE_LABELS[key], justify="right")
    for r in rows:
        rate = r.app_registration_rate
        table.add_row(
            r.name,
            *(f"{r.counts[k]:,}" for k in keys),
            "—" if rate is None else f"{100 * rate:.1f}%",
            f"{r.counts['special_contacts']:,}",
            f"{r.officer_hours:,.1f}",
        )
    console.print(table)


def board(as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table")] = False) -> None:
    """无诈社区 / 无诈校园: each place against the configured criteria."""
    from fanzha.auth.model import SYSTEM
    from fanzha.cli.common import to_json
    from fanzha.cli.prevention import setup
    from fanzha.present import DISPLAY_TZ
    from fanzha.prevention import queries
    from fanzha.prevention.labels import PLACE_KIND_LABELS, STANDING_LABELS

    config = setup().config
    with open_uow() as uow:
        rows = queries.board_rows(uow.session, SYSTEM, datetime.now(DISPLAY_TZ).date(), config)
    if as_json:
        console.print_json(json.dumps([to_json(r) for r in rows], ensure_ascii=False))
        return
    c = config.board
    criteria = (
        f"{c.months_without_case} 个月无发案 · App 注册率 ≥ {c.min_registration_rate:.0%} · "
        f"{c.events_months} 个月内宣防 ≥ {c.min_events} 场"
    )
    table = Table(title=f"无诈社区/校园: {criteria}")
    for column in ("类型", "名称", "发案", "注册率", "宣防场次", "结论"):
        table.add_column(column)
    for r in rows:
        rate = "—" if r.registration_rate is None else f"{100 * r.registration_rate:.1f}%"
        table.add_row(
            PLACE_KIND_LABELS[r.kind], r.name, str(r.cases), rate, str(r.events), STANDING_LABELS[r.standing]
        )
    console.print(table)


def check(
    kind: Annotated[str, typer.Argument(help="PHONE, ACCOUNT, URL or APP")],
    value: Annotated[str, typer.Argument(help="the exact value (no wildcards)")],
) -> None:
    """The citizen self-check from the command line (counted like the public page's)."""
    from fanzha.cli.prevention import setup
    from fanzha.prevention import public
    from fanzha.prevention.model import LookupKind

    try:
        chosen = LookupKind(kind.upper())
    except ValueError:
        raise _fail("kind is PHONE, ACCOUNT, URL or APP") from None
    with open_uow() as uow:
        result = public.check(uow, chosen, value, now=datetime.now(UTC), targeting=setup().targeting)
        uow.commit()
    console.print(f"{result.verdict.value}: {result.message}")
    if result.tip:
        console.print(f"提示: {result.tip}")


def reports(
    status: Annotated[
        str | None, typer.Option(help="NEW, ACCEPTED, REJECTED or DUPLICATE (default: all)")
    ] = None,
) -> None:
    """Citizen reports (举报) in the review queue, values masked."""
    from fanzha.prevention import queries
    from fanzha.prevention.model import ReportStatus

    try:
        chosen = ReportStatus(status.upper()) if status else None
    except ValueError:
        raise _fail("status is NEW, ACCEPTED, REJECTED or DUPLICATE") from None
    with open_uow() as uow:
        items = queries.reports(uow.session, chosen)
    table = Table(title="群众举报 citizen reports")
    for column in ("id", "类型", "内容", "诈骗类型", "状态", "时间"):
        table.add_column(column)
    for r in items:
        table.add_row(
            str(r.report_id), r.kind_label, r.value, r.fraud_type_label, r.status_label, str(r.received_at)
        )
    console.print(table)


def review(
    report_id: int,
    decision: Annotated[str, typer.Argument(help="accept, reject or duplicate")],
    fraud_type: Annotated[
        str, typer.Option("--type", help="the fraud type (accept: listed with it)")
    ] = "UNKNOWN",
    note: Annotated[str, typer.Option(help="the reviewer's note")] = "",
) -> None:
    """Settle a report; accepting a number, account, URL or app puts it on the local indicator list."""
    from fanzha.event.codes import FraudType
    from fanzha.prevention import public, service

    try:
        chosen, kind = public.Decision(decision.lower()), FraudType(fraud_type.upper())
    except ValueError:
        raise _fail("decision is accept, reject or duplicate; --type a fraud type code") from None
    now = datetime.now(UTC)
    with open_uow() as uow:
        try:
            settled = public.review_report(
                uow, report_id, chosen, fraud_type=kind, reviewer="cli", note=note, now=now
            )
        except service.NotFoundError:
            raise _fail(f"no report {report_id}") from None
        except service.PreventionError as exc:
            raise _fail(str(exc)) from None
        audit_cli(uow, "change", at=now, object_type="citizen_report", object_id=str(report_id))
        uow.commit()
    console.print(f"report {report_id}: {settled.status.value}")


def register(app: typer.Typer) -> None:
    app.command("import")(import_records)
    app.command("figures")(figures)
    app.command("board")(board)
    app.command("check")(check)
    app.command("reports")(reports)
    app.command("review")(review)
