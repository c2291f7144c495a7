"""Prevention in the JSON API: campaigns, visit lists, opt-outs, publicity records, figures, the 无诈
board, and the citizen reports' review queue. Masked like the rest; the self-check is `api/public.py`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from fanzha.audit.model import Action
from fanzha.event.codes import FraudType
from fanzha.present import DISPLAY_TZ
from fanzha.prevention import public, queries, service
from fanzha.prevention.board import PlaceStatus
from fanzha.prevention.lifecycle import CampaignCommand, CampaignTransitionError
from fanzha.prevention.model import Channel, ReportStatus
from fanzha.prevention.records import RecordsRejectedError, import_csv
from fanzha.prevention.records_csv import SPECS
from fanzha.web.deps import DbSession, StatsViewer, audit, new_uow
from fanzha.web.prevention_deps import PreventionActor, Reviewer, campaign_units, prevention_setup

router = APIRouter(prefix="/api/prevention", tags=["prevention"])


class CampaignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unit_id: StrictStr = Field(min_length=1, max_length=64)
    topics: list[StrictStr] = Field(min_length=1, max_length=20)
    channel: Channel
    title: StrictStr = Field(min_length=1, max_length=200)
    wechat_group: StrictStr | None = Field(default=None, max_length=100)
    wechat_members: StrictInt = Field(default=0, ge=0, le=100_000)

    def request(self) -> service.CampaignRequest:
        return service.CampaignRequest(
            self.unit_id, tuple(self.topics), self.channel, self.title, self.wechat_group, self.wechat_members
        )


class VisitDoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    minutes: float | None = Field(default=None, ge=0, le=600, strict=True)


class OptOutIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phone: StrictStr = Field(max_length=30)
    via: StrictStr = Field(default="console", max_length=32)


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: public.Decision
    fraud_type: FraudType = FraudType.UNKNOWN
    note: StrictStr = Field(default="", max_length=500)


def _units(request: Request, session: DbSession, principal: PreventionActor, unit_id: str) -> frozenset[str]:
    units = campaign_units(session, principal, unit_id)
    if units is None:
        raise HTTPException(404, "unit not found")
    return units


@router.get("/campaigns")
def campaigns(request: Request, session: DbSession, principal: PreventionActor) -> list[queries.CampaignView]:
    """Campaigns of the caller's units, newest first, with their reach counted by status."""
    return queries.campaigns(session, principal, prevention_setup(request).targeting)


@router.post("/campaigns/preview")
def preview(
    request: Request, body: CampaignIn, session: DbSession, principal: PreventionActor
) -> dict[str, dict[str, int]]:
    """How many people the campaign would reach, per topic and status; nothing is written."""
    setup = prevention_setup(request)
    units = _units(request, session, principal, body.unit_id)
    with new_uow(request) as uow:  # read only: never committed
        try:
            return service.preview(
                uow,
                body.request(),
                units=units,
                now=datetime.now(UTC),
                targeting=setup.targeting,
                config=setup.config,
            )
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None


@router.post("/campaigns", status_code=201)
def create_campaign(
    request: Request, body: CampaignIn, session: DbSession, principal: PreventionActor
) -> queries.CampaignView:
    """Plan a campaign: its audience is chosen now; SMS go out once it is approved (WeChat: recorded)."""
    setup = prevention_setup(request)
    units = _units(request, session, principal, body.unit_id)
    with new_uow(request) as uow:
        try:
            campaign_id = service.create_campaign(
                uow,
                body.request(),
                units=units,
                actor=principal.user_id,
                now=datetime.now(UTC),
                targeting=setup.targeting,
                config=setup.config,
            )
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        uow.commit()
    audit(
        request,
        principal,
        Action.CHANGE,
        object_type="campaign",
        object_id=campaign_id,
        object_unit_id=body.unit_id,
    )
    found = queries.campaign(session, campaign_id, setup.targeting)
    assert found is not None
    return found


def _visible_campaign(
    request: Request, session: DbSession, principal: PreventionActor, campaign_id: int
) -> queries.CampaignView:
    found = queries.campaign(session, campaign_id, prevention_setup(request).targeting)
    if found is None or not found.visible_to(principal):
        raise HTTPException(404, f"campaign {campaign_id} not found")
    return found


@router.get("/campaigns/{campaign_id}")
def campaign(
    request: Request, campaign_id: int, session: DbSession, principal: PreventionActor
) -> queries.CampaignView:
    """One campaign: its texts, and its reach by status and topic (never the list of recipients)."""
    return _visible_campaign(request, session, principal, campaign_id)


@router.post("/campaigns/{campaign_id}/{command}")
def command_campaign(
    request: Request, campaign_id: int, command: str, session: DbSession, principal: PreventionActor
) -> queries.CampaignView:
    """`approve` or `cancel`; 409 when the campaign's status does not allow it."""
    found = _visible_campaign(request, session, principal, campaign_id)
    try:
        chosen = CampaignCommand(command)
    except ValueError:
        raise HTTPException(404, "unknown command") from None
    if chosen is CampaignCommand.FINISH:
        raise HTTPException(409, "campaigns finish by themselves once nothing is pending")
    with new_uow(request) as uow:
        try:
            service.command_campaign(uow, campaign_id, chosen, now=datetime.now(UTC))
        except CampaignTransitionError as exc:
            raise HTTPException(409, str(exc)) from None
        uow.commit()
    audit(
        request,
        principal,
        Action.CHANGE,
        object_type="campaign",
        object_id=campaign_id,
        object_unit_id=found.unit_id,
        purpose=chosen.value,
    )
    return _visible_campaign(request, session, principal, campaign_id)


@router.get("/visits")
def visits(request: Request, session: DbSession, principal: PreventionActor) -> list[queries.VisitItem]:
    """Open community visits of the caller's units (masked); the view is audited."""
    items = queries.visits(session, principal, prevention_setup(request).targeting)
    audit(request, principal, Action.PREVENTION_VIEW, object_type="visit_list", fields=("masked",))
    return items


@router.post("/visits/{reach_id}/done")
def visit_done(
    request: Request,
    reach_id: int,
    session: DbSession,
    principal: PreventionActor,
    body: Annotated[VisitDoneIn | None, Body()] = None,
) -> dict[str, str]:
    """The person was visited and given the tip (minutes: officer time, default configured)."""
    with new_uow(request) as uow:
        reach = uow.prevention.reach(reach_id)
        if reach is None or not principal.can_see(reach.unit_id):
            raise HTTPException(404, f"visit {reach_id} not found")
        try:
            service.complete_visit(
                uow,
                reach_id,
                actor=principal.user_id,
                now=datetime.now(UTC),
                config=prevention_setup(request).config,
                minutes=body.minutes if body else None,
            )
        except (service.NotFoundError, service.PreventionError) as exc:
            raise HTTPException(409, str(exc)) from None
        uow.commit()
    audit(
        request,
        principal,
        Action.CHANGE,
        object_type="visit",
        object_id=reach_id,
        object_unit_id=reach.unit_id,
    )
    return {"status": "DONE"}


@router.post("/opt-outs", status_code=201)
def opt_out(request: Request, body: OptOutIn, principal: PreventionActor) -> dict[str, bool]:
    """Record a citizen's request for no more publicity SMS (given at a counter, by the hotline ...)."""
    with new_uow(request) as uow:
        try:
            added = service.opt_out(uow, body.phone, via=body.via, now=datetime.now(UTC))
        except service.PreventionError as exc:
            raise HTTPException(422, str(exc)) from None
        uow.commit()
    audit(request, principal, Action.CHANGE, object_type="opt_out")
    return {"added": added}


@router.post("/import/{kind}")
def import_records(
    request: Request, kind: str, principal: PreventionActor, body: Annotated[str, Body(media_type="text/csv")]
) -> dict[str, int]:
    """Import publicity records (events, posts, sms, registrations, places, cases) from CSV text.

    422 with every error (line and field) and nothing imported when any line is wrong."""
    if kind not in SPECS:
        raise HTTPException(404, f"kind is one of {', '.join(SPECS)}")
    with new_uow(request) as uow:
        try:
            stored = import_csv(uow, kind, body, actor=principal.user_id, now=datetime.now(UTC))
        except RecordsRejectedError as exc:
            raise HTTPException(422, exc.errors[:100]) from None
        uow.commit()
    audit(request, principal, Action.CHANGE, object_type=f"publicity_{kind}")
    return {"stored": stored}


def _period(start: date | None, end: date | None) -> tuple[date, date]:
    last = end or datetime.now(DISPLAY_TZ).date()
    first = start or last - timedelta(days=29)
    if first > last or (last - first).days > 3660:
        raise HTTPException(422, "start must not be after end (and the period at most ten years)")
    return first, last


@router.get("/figures")
def figures(
    request: Request,
    session: DbSession,
    principal: StatsViewer,
    *,
    unit_id: str | None = None,
    start: Annotated[date | None, Query()] = None,
    end: Annotated[date | None, Query()] = None,
) -> dict[str, object]:
    """宣防场次, 覆盖人数, 短信条数, 推文/阅读量, App 注册率 of a unit and its sub-units (card keys)."""
    first, last = _period(start, end)
    view = queries.figures(
        session, principal, unit_id, first=first, last=last, config=prevention_setup(request).config
    )
    if view is None:
        raise HTTPException(404, "unit not found")
    rows = [view.total, *view.rows]
    return {
        "start": first.isoformat(),
        "end": last.isoformat(),
        "units": [
            {
                "unit_id": r.unit_id,
                "name": r.name,
                **r.card(),
                "special_contacts": r.counts["special_contacts"],
                "officer_hours": round(r.officer_hours, 2),
            }
            for r in rows
        ],
    }


@router.get("/board")
def board(request: Request, session: DbSession, principal: StatsViewer) -> list[PlaceStatus]:
    """无诈社区 / 无诈校园: each place of the caller's units against the configured criteria."""
    today = datetime.now(DISPLAY_TZ).date()
    return queries.board_rows(session, principal, today, prevention_setup(request).config)


@router.get("/selfcheck")
def selfcheck_stats(
    session: DbSession, principal: StatsViewer, days: Annotated[int, Query(ge=1, le=366)] = 30
) -> queries.CheckStats:
    """How often citizens checked, per day, kind and verdict (never what they checked)."""
    return queries.check_stats(session, datetime.now(DISPLAY_TZ).date() - timedelta(days=days - 1))


@router.get("/reports")
def reports(
    session: DbSession, principal: Reviewer, status: ReportStatus | None = None
) -> list[queries.ReportView]:
    """Citizen reports (the review queue by default: status NEW), values masked."""
    return queries.reports(session, status)


@router.get("/reports/{report_id}")
def report(request: Request, report_id: int, session: DbSession, principal: Reviewer) -> queries.ReportView:
    """One report with the reported value in full; the view is audited."""
    found = queries.report(session, report_id)
    if found is None:
        raise HTTPException(404, f"report {report_id} not found")
    audit(
        request,
        principal,
        Action.PREVENTION_VIEW,
        object_type="citizen_report",
        object_id=report_id,
        fields=("value",),
    )
    return found


@router.post("/reports/{report_id}/review")
def review(
    request: Request, report_id: int, body: ReviewIn, session: DbSession, principal: Reviewer
) -> queries.ReportView:
    """Accept (a number, account, URL or app goes on the local list), reject or mark a duplicate."""
    with new_uow(request) as uow:
        try:
            public.review_report(
                uow,
                report_id,
                body.decision,
                fraud_type=body.fraud_type,
                reviewer=principal.user_id,
                note=body.note,
                now=datetime.now(UTC),
            )
        except service.NotFoundError:
            raise HTTPException(404, f"report {report_id} not found") from None
        except service.PreventionError as exc:
            raise HTTPException(409, str(exc)) from None
        uow.commit()
    audit(
        request,
        principal,
        Action.CHANGE,
        object_type="citizen_report",
        object_id=report_id,
        purpose=body.decision.value,
    )
    settled = queries.report(session, report_id)
    assert settled is not None
    return settled
