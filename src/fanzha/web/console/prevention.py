"""宣防 console pages: campaigns (plan, approve, cancel), visit lists, opt-outs, publicity records.

Figures, the 无诈 board and the citizen reports' review queue: `console/prevention_stats.py`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from fanzha.audit.model import Action
from fanzha.auth.model import Permission
from fanzha.prevention import queries, service
from fanzha.prevention.labels import CHANNEL_LABELS, EVENT_KIND_LABELS, POST_KIND_LABELS
from fanzha.prevention.lifecycle import CampaignCommand, CampaignTransitionError
from fanzha.prevention.model import Channel
from fanzha.prevention.records import RecordsRejectedError, import_csv
from fanzha.prevention.records_csv import SPECS
from fanzha.warning.workflow_queries import unit_choices
from fanzha.web.deps import CurrentPrincipal, DbSession, FormFields, Principal, audit, new_uow
from fanzha.web.prevention_deps import MultiForm, PreventionActor, campaign_units, prevention_setup
from fanzha.web.render import render, render_not_found

router = APIRouter(include_in_schema=False)


@router.get("/prevention", response_class=HTMLResponse)
def landing(principal: CurrentPrincipal) -> Response:
    """宣防: the first page the caller's role may open."""
    if principal.may(Permission.PREVENTION_ACT):
        return RedirectResponse("/prevention/campaigns", status_code=303)
    if principal.may(Permission.STATS_VIEW):
        return RedirectResponse("/prevention/figures", status_code=303)
    return RedirectResponse("/prevention/reports", status_code=303)


def _campaigns_page(
    request: Request,
    session: DbSession,
    principal: Principal,
    *,
    error: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    targeting = prevention_setup(request).targeting
    context = {
        "campaigns": queries.campaigns(session, principal, targeting),
        "topics": [
            (code, t.label, "、".join(r.label for r in t.targets)) for code, t in targeting.topics.items()
        ],
        "channels": list(CHANNEL_LABELS.items()),
        "units": unit_choices(session, principal),
        "targeting_version": targeting.version,
        "error": error,
        "notice": notice,
    }
    return render(request, "prevention/campaigns.html", context, status_code=status_code)


@router.get("/prevention/campaigns", response_class=HTMLResponse)
def campaigns(request: Request, session: DbSession, principal: PreventionActor) -> HTMLResponse:
    """精准宣传: the campaigns of the caller's units and the form to plan one."""
    return _campaigns_page(request, session, principal)


def _request(form: dict[str, str], topics: list[str]) -> service.CampaignRequest:
    members = form.get("wechat_members", "").strip()
    return service.CampaignRequest(
        unit_id=form.get("unit_id", ""),
        topics=tuple(topics),
        channel=Channel(form.get("channel", "")),
        title=form.get("title", ""),
        wechat_group=form.get("wechat_group") or None,
        wechat_members=int(members) if members.isdigit() else 0,
    )


@router.post("/prevention/campaigns", response_class=HTMLResponse)
def create_campaign(
    request: Request, form: MultiForm, session: DbSession, principal: PreventionActor
) -> Response:
    """Plan a campaign from the form (topics are checkboxes: several values of one field)."""
    fields = {k: v[-1] for k, v in form.items()}
    topics = form.get("topics", [])
    setup = prevention_setup(request)
    units = campaign_units(session, principal, fields.get("unit_id", ""))
    if units is None:
        return _campaigns_page(
            request, session, principal, error="请选择本人管辖范围内的单位。", status_code=422
        )
    try:
        wanted = _request(fields, topics)
        with new_uow(request) as uow:
            campaign_id = service.create_campaign(
                uow,
                wanted,
                units=units,
                actor=principal.user_id,
                now=datetime.now(UTC),
                targeting=setup.targeting,
                config=setup.config,
            )
            uow.commit()
    except ValueError as exc:
        return _campaigns_page(request, session, principal, error=str(exc) or "输入有误", status_code=422)
    audit(
        request,
        principal,
        Action.CHANGE,
        object_type="campaign",
        object_id=campaign_id,
        object_unit_id=wanted.unit_id,
    )
    return RedirectResponse(f"/prevention/campaigns/{campaign_id}", status_code=303)


def _campaign_page(
    request: Request, session: DbSession, principal: Principal, campaign_id: int, error: str | None = None
) -> HTMLResponse:
    found = queries.campaign(session, campaign_id, prevention_setup(request).targeting)
    if found is None or not found.visible_to(principal):
        return render_not_found(request, f"未找到编号为 {campaign_id} 的宣传活动。")
    return render(
        request, "prevention/campaign.html", {"c": found, "error": error}, status_code=409 if error else 200
    )


@router.get("/prevention/campaigns/{campaign_id}", response_class=HTMLResponse)
def campaign(
    request: Request, campaign_id: int, session: DbSession, principal: PreventionActor
) -> HTMLResponse:
    """One campaign: its texts, and its reach by status and topic."""
    return _campaign_page(request, session, principal, campaign_id)


@router.post("/prevention/campaigns/{campaign_id}/{command}", response_class=HTMLResponse)
def command_campaign(
    request: Request, campaign_id: int, command: str, session: DbSession, principal: PreventionActor
) -> Response:
    found = queries.campaign(session, campaign_id, prevention_setup(request).targeting)
    if found is None or not found.visible_to(principal) or command not in ("approve", "cancel"):
        return render_not_found(request, f"未找到编号为 {campaign_id} 的宣传活动。")
    with new_uow(request) as uow:
        try:
            service.command_campaign(uow, campaign_id, CampaignCommand(command), now=datetime.now(UTC))
        except CampaignTransitionError:
            return _campaign_page(request, session, principal, campaign_id, "该活动当前状态不允许此操作。")
        uow.commit()
    audit(
        request,
        principal,
        Action.CHANGE,
        object_type="campaign",
        object_id=campaign_id,
        object_unit_id=found.unit_id,
        purpose=command,
    )
    return RedirectResponse(f"/prevention/campaigns/{campaign_id}", status_code=303)


@router.post("/prevention/opt-outs", response_class=HTMLResponse)
def opt_out(request: Request, form: FormFields, session: DbSession, principal: PreventionActor) -> Response:
    """A citizen asked (at a counter, by the hotline) for no more publicity SMS."""
    with new_uow(request) as uow:
        try:
            added = service.opt_out(
                uow, form.get("phone", ""), via=form.get("via") or "console", now=datetime.now(UTC)
            )
        except service.PreventionError as exc:
            return _campaigns_page(request, session, principal, error=str(exc), status_code=422)
        uow.commit()
    audit(request, principal, Action.CHANGE, object_type="opt_out")
    return _campaigns_page(
        request, session, principal, notice="已登记退订。" if added else "该号码此前已退订。"
    )


@router.get("/prevention/visits", response_class=HTMLResponse)
def visits(request: Request, session: DbSession, principal: PreventionActor) -> HTMLResponse:
    """走访名单: who to visit (masked) and which tip to give; the view is audited."""
    items = queries.visits(session, principal, prevention_setup(request).targeting)
    audit(request, principal, Action.PREVENTION_VIEW, object_type="visit_list", fields=("masked",))
    return render(
        request,
        "prevention/visits.html",
        {"items": items, "minutes": prevention_setup(request).config.minutes("VISIT")},
    )


@router.post("/prevention/visits/{reach_id}/done", response_class=HTMLResponse)
def visit_done(
    request: Request, reach_id: int, form: FormFields, session: DbSession, principal: PreventionActor
) -> Response:
    text = form.get("minutes", "").strip()
    minutes = float(text) if text.replace(".", "", 1).isdigit() else None
    with new_uow(request) as uow:
        reach = uow.prevention.reach(reach_id)
        if reach is None or not principal.can_see(reach.unit_id):
            return render_not_found(request, f"未找到编号为 {reach_id} 的走访任务。")
        try:
            service.complete_visit(
                uow,
                reach_id,
                actor=principal.user_id,
                now=datetime.now(UTC),
                config=prevention_setup(request).config,
                minutes=minutes,
            )
        except (service.NotFoundError, service.PreventionError):
            return RedirectResponse("/prevention/visits", status_code=303)
        uow.commit()
    audit(
        request,
        principal,
        Action.CHANGE,
        object_type="visit",
        object_id=reach_id,
        object_unit_id=reach.unit_id,
    )
    return RedirectResponse("/prevention/visits", status_code=303)


def _records_page(
    request: Request,
    session: DbSession,
    principal: Principal,
    *,
    errors: list[str] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    from fanzha.prevention.records_repository import RecordsRepository

    repo = RecordsRepository(session)
    context = {
        "events": repo.events(principal.unit_scope),
        "posts": repo.posts(principal.unit_scope),
        "event_kinds": list(EVENT_KIND_LABELS.items()),
        "event_labels": EVENT_KIND_LABELS,
        "post_labels": POST_KIND_LABELS,
        "units": unit_choices(session, principal),
        "kinds": {kind: ",".join(spec.columns) for kind, spec in SPECS.items()},
        "errors": errors or [],
        "notice": notice,
        "today": date.today().isoformat(),
    }
    return render(request, "prevention/records.html", context, status_code=status_code)


@router.get("/prevention/records", response_class=HTMLResponse)
def records(request: Request, session: DbSession, principal: PreventionActor) -> HTMLResponse:
    """宣防记录: events and posts of the caller's units; record an event; import a CSV file."""
    return _records_page(request, session, principal)


@router.post("/prevention/records/event", response_class=HTMLResponse)
def record_event(
    request: Request, form: FormFields, session: DbSession, principal: PreventionActor
) -> Response:
    unit_id = form.get("unit_id", "")
    if not principal.can_see(unit_id):
        return _records_page(
            request, session, principal, errors=["请选择本人管辖范围内的单位。"], status_code=422
        )
    header = "unit_id,kind,held_on,place,audience,headcount"
    row = [
        unit_id,
        form.get("kind", ""),
        form.get("held_on", ""),
        form.get("place", ""),
        form.get("audience", ""),
        form.get("headcount", ""),
    ]
    text = header + "\n" + ",".join(_cell(v) for v in row) + "\n"
    return _import(request, session, principal, "events", text)


def _cell(value: str) -> str:
    return '"' + value.strip().replace('"', '""') + '"'


@router.post("/prevention/records/import", response_class=HTMLResponse)
def import_records(
    request: Request, form: FormFields, session: DbSession, principal: PreventionActor
) -> Response:
    kind = form.get("kind", "")
    if kind not in SPECS:
        return _records_page(request, session, principal, errors=["请选择导入类型。"], status_code=422)
    return _import(request, session, principal, kind, form.get("csv", ""))


def _import(request: Request, session: DbSession, principal: Principal, kind: str, text: str) -> Response:
    with new_uow(request) as uow:
        try:
            stored = import_csv(uow, kind, text, actor=principal.user_id, now=datetime.now(UTC))
        except RecordsRejectedError as exc:
            return _records_page(request, session, principal, errors=exc.errors[:50], status_code=422)
        uow.commit()
    audit(request, principal, Action.CHANGE, object_type=f"publicity_{kind}")
    return _records_page(request, session, principal, notice=f"已导入 {stored} 条记录。")
