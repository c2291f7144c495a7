"""宣防 console pages: figures by unit with a chart, the 无诈 board, the citizen reports' review queue."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from fanzha.audit.model import Action
from fanzha.event.codes import FraudType
from fanzha.present import DISPLAY_TZ
from fanzha.prevention import public, queries, service
from fanzha.prevention.labels import FIGURE_LABELS, PLACE_KIND_LABELS, STANDING_LABELS, VERDICT_LABELS
from fanzha.prevention.model import ReportStatus
from fanzha.warning.workflow_queries import unit_choices
from fanzha.web.deps import DbSession, FormFields, StatsViewer, audit, new_uow
from fanzha.web.prevention_deps import Reviewer, prevention_setup
from fanzha.web.render import render, render_not_found

router = APIRouter(include_in_schema=False)
COUNTS = ("publicity_events", "publicity_reach", "publicity_sms", "publicity_posts", "publicity_reads")


def _day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


@router.get("/prevention/figures", response_class=HTMLResponse)
def figures(
    request: Request,
    session: DbSession,
    principal: StatsViewer,
    *,
    unit_id: str | None = None,
    start: Annotated[str | None, Query()] = None,
    end: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    """宣防工作统计: a unit and its sub-units over a period, with a chart by unit."""
    today = datetime.now(DISPLAY_TZ).date()
    last = _day(end, today)
    first = min(_day(start, last - timedelta(days=29)), last)
    config = prevention_setup(request).config
    view = queries.figures(session, principal, unit_id or None, first=first, last=last, config=config)
    if view is None:
        return render_not_found(request, "未找到该单位。")
    checks = queries.check_stats(session, first)
    chart = [
        {"name": r.name, **{k: r.counts[k] for k in COUNTS}, "rate": r.app_registration_rate}
        for r in view.rows
    ]
    context = {
        "view": view,
        "rows": [view.total, *view.rows],
        "counts": COUNTS,
        "labels": FIGURE_LABELS,
        "chart_rows": chart,
        "units": unit_choices(session, principal),
        "unit_id": unit_id or "",
        "start": first.isoformat(),
        "end": last.isoformat(),
        "checks": {VERDICT_LABELS[v]: n for v in VERDICT_LABELS if (n := checks.totals.get(v.value))},
    }
    return render(request, "prevention/figures.html", context)


@router.get("/prevention/board", response_class=HTMLResponse)
def board(request: Request, session: DbSession, principal: StatsViewer) -> HTMLResponse:
    """无诈社区 / 无诈校园 创建: each place against the configured criteria."""
    config = prevention_setup(request).config
    rows = queries.board_rows(session, principal, datetime.now(DISPLAY_TZ).date(), config)
    context = {
        "rows": rows,
        "criteria": config.board,
        "kind_labels": PLACE_KIND_LABELS,
        "standing_labels": STANDING_LABELS,
        "met": sum(r.standing.value == "MET" for r in rows),
    }
    return render(request, "prevention/board.html", context)


@router.get("/prevention/reports", response_class=HTMLResponse)
def reports(
    request: Request, session: DbSession, principal: Reviewer, status: str | None = "NEW"
) -> HTMLResponse:
    """群众举报: the review queue (or every report), values masked."""
    chosen = ReportStatus(status) if status is not None and status in ReportStatus.__members__ else None
    items = queries.reports(session, chosen)
    return render(
        request, "prevention/reports.html", {"items": items, "status": chosen.value if chosen else ""}
    )


def _report_page(
    request: Request, session: DbSession, report_id: int, error: str | None = None
) -> HTMLResponse:
    found = queries.report(session, report_id)
    if found is None:
        return render_not_found(request, f"未找到编号为 {report_id} 的举报。")
    context = {"r": found, "types": [(t.value, t.label) for t in FraudType], "error": error}
    return render(request, "prevention/report.html", context, status_code=409 if error else 200)


@router.get("/prevention/reports/{report_id}", response_class=HTMLResponse)
def report(request: Request, report_id: int, session: DbSession, principal: Reviewer) -> HTMLResponse:
    """One report, the reported value in full (audited), with the review form."""
    page = _report_page(request, session, report_id)
    if page.status_code == 200:
        audit(
            request,
            principal,
            Action.PREVENTION_VIEW,
            object_type="citizen_report",
            object_id=report_id,
            fields=("value",),
        )
    return page


@router.post("/prevention/reports/{report_id}/review", response_class=HTMLResponse)
def review(
    request: Request, report_id: int, form: FormFields, session: DbSession, principal: Reviewer
) -> Response:
    try:
        decision = public.Decision(form.get("decision", ""))
        fraud_type = FraudType(form.get("fraud_type") or "UNKNOWN")
    except ValueError:
        return _report_page(request, session, report_id, "请选择审核结论。")
    with new_uow(request) as uow:
        try:
            public.review_report(
                uow,
                report_id,
                decision,
                fraud_type=fraud_type,
                reviewer=principal.user_id,
                note=form.get("note", "")[:500],
                now=datetime.now(UTC),
            )
        except service.NotFoundError:
            return render_not_found(request, f"未找到编号为 {report_id} 的举报。")
        except service.PreventionError as exc:
            return _report_page(request, session, report_id, str(exc))
        uow.commit()
    audit(
        request,
        principal,
        Action.CHANGE,
        object_type="citizen_report",
        object_id=report_id,
        purpose=decision.value,
    )
    return RedirectResponse("/prevention/reports", status_code=303)
