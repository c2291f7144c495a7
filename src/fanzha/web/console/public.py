"""The public self-check and report pages (公众查询, 举报): no sign-in, no script, limited per address."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from fanzha.event.codes import FraudType
from fanzha.prevention import public
from fanzha.prevention.labels import LOOKUP_KIND_LABELS, REPORT_KIND_LABELS
from fanzha.prevention.lookup import InvalidValueError
from fanzha.prevention.model import LookupKind, ReportKind
from fanzha.web.deps import FormFields, new_uow
from fanzha.web.prevention_deps import prevention_setup, throttled
from fanzha.web.render import render

router = APIRouter(include_in_schema=False)
TYPES = [(t.value, t.label) for t in FraudType]


def _check_page(request: Request, **context: object) -> HTMLResponse:
    base = {"kinds": list(LOOKUP_KIND_LABELS.items()), "kind": "PHONE", "result": None, "error": None}
    status = int(str(context.pop("status_code", 200)))
    return render(request, "public/check.html", base | context, status_code=status)


def _report_page(request: Request, **context: object) -> HTMLResponse:
    base = {"kinds": list(REPORT_KIND_LABELS.items()), "types": TYPES, "done": False, "error": None}
    status = int(str(context.pop("status_code", 200)))
    return render(request, "public/report.html", base | context, status_code=status)


@router.get("/check", response_class=HTMLResponse)
def check_form(request: Request) -> HTMLResponse:
    return _check_page(request)


@router.post("/check", response_class=HTMLResponse)
def check(request: Request, form: FormFields) -> HTMLResponse:
    wait = throttled(request, "check")
    if wait is not None:
        return _check_page(request, error=f"查询过于频繁，请 {wait} 秒后再试。", status_code=429)
    try:
        kind = LookupKind(form.get("kind", ""))
    except ValueError:
        return _check_page(request, error="请选择查询类型。", status_code=422)
    with new_uow(request) as uow:
        result = public.check(
            uow,
            kind,
            form.get("value", ""),
            now=datetime.now(UTC),
            targeting=prevention_setup(request).targeting,
        )
        uow.commit()
    return _check_page(request, kind=kind.value, result=result)


@router.get("/report", response_class=HTMLResponse)
def report_form(request: Request) -> HTMLResponse:
    return _report_page(request)


@router.post("/report", response_class=HTMLResponse)
def report(request: Request, form: FormFields) -> HTMLResponse:
    wait = throttled(request, "report")
    if wait is not None:
        return _report_page(request, error=f"提交过于频繁，请 {wait} 秒后再试。", status_code=429)
    try:
        kind, fraud_type = ReportKind(form.get("kind", "")), FraudType(form.get("fraud_type") or "UNKNOWN")
    except ValueError:
        return _report_page(request, error="请选择举报类型。", status_code=422)
    with new_uow(request) as uow:
        try:
            public.submit_report(
                uow,
                kind,
                form.get("value", ""),
                fraud_type=fraud_type,
                description=form.get("description", ""),
                now=datetime.now(UTC),
            )
        except InvalidValueError as exc:
            return _report_page(request, error=str(exc), status_code=422)
        uow.commit()
    return _report_page(request, done=True)
