"""Masked read models of prevention that every edge renders (console, API, CLI).

Names, phones and addresses of the people on a visit list are masked; campaigns show counts, never a
list of recipients; citizen reports show the reported value masked (a reviewer opens one to see it,
and the edge audits that). Every list is limited to the caller's units.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from fanzha.auth.model import Principal
from fanzha.event.codes import FraudType
from fanzha.masking import mask_account, mask_name, mask_phone
from fanzha.present import DISPLAY_TZ
from fanzha.prevention import labels as lb
from fanzha.prevention.board import PlaceStatus, board
from fanzha.prevention.config import PreventionConfig
from fanzha.prevention.figures import UnitFigures, latest_registrations, unit_figures
from fanzha.prevention.lifecycle import allowed
from fanzha.prevention.model import Campaign, CitizenReport, ReportKind, ReportStatus
from fanzha.prevention.records_repository import Period, RecordsRepository
from fanzha.prevention.repository import PreventionRepository
from fanzha.prevention.targets import Targeting
from fanzha.warning.workflow_queries import mask_note, mask_place
from fanzha.warning.workflow_repository import load_units


def _scope(principal: Principal) -> frozenset[str] | None:
    return principal.unit_scope


def period(first: date, last: date) -> Period:
    """Beijing days `first`..`last` (inclusive) as a period."""
    start = datetime.combine(first, time(), DISPLAY_TZ).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), DISPLAY_TZ).astimezone(UTC)
    return Period(first, last, start, end)


@dataclass(frozen=True, slots=True)
class CampaignView:
    campaign_id: int
    unit_id: str
    unit_name: str
    title: str
    topics: tuple[str, ...]
    topic_labels: tuple[str, ...]
    channel: str
    channel_label: str
    status: str
    status_label: str
    audience: int
    counts: dict[str, int]
    created_by: str
    created_at: datetime
    targeting_version: str
    actions: tuple[str, ...]
    wechat_group: str | None = None
    texts: dict[str, str] | None = None
    by_topic: dict[str, int] | None = None

    def visible_to(self, principal: Principal) -> bool:
        return principal.can_see(self.unit_id)


def _view(c: Campaign, names: dict[str, str], counts: dict[str, int], t: Targeting) -> CampaignView:
    return CampaignView(
        campaign_id=c.campaign_id,
        unit_id=c.unit_id,
        unit_name=names.get(c.unit_id, c.unit_id),
        title=c.title,
        topics=c.topics,
        topic_labels=tuple(_topic_label(t, x) for x in c.topics),
        channel=c.channel.value,
        channel_label=lb.CHANNEL_LABELS[c.channel],
        status=c.status.value,
        status_label=lb.CAMPAIGN_STATUS_LABELS[c.status],
        audience=c.audience,
        counts={
            lb.REACH_STATUS_LABELS[s]: counts[s.value] for s in lb.REACH_STATUS_LABELS if s.value in counts
        },
        created_by=c.created_by,
        created_at=c.created_at,
        targeting_version=c.targeting_version,
        actions=tuple(a.value for a in allowed(c.status)),
        wechat_group=c.wechat_group,
    )


def _names(session: Session) -> dict[str, str]:
    return {u: n.name for u, n in load_units(session).units.items()}


def campaigns(session: Session, principal: Principal, targeting: Targeting) -> list[CampaignView]:
    repo = PreventionRepository(session)
    found = repo.campaigns(_scope(principal))
    counts = repo.status_counts([c.campaign_id for c in found])
    names = _names(session)
    return [_view(c, names, counts.get(c.campaign_id, {}), targeting) for c in found]


def campaign(session: Session, campaign_id: int, targeting: Targeting) -> CampaignView | None:
    repo = PreventionRepository(session)
    found = repo.campaign(campaign_id)
    if found is None:
        return None
    view = _view(found, _names(session), repo.status_counts([campaign_id]).get(campaign_id, {}), targeting)
    by_topic = {_topic_label(targeting, t): n for t, n in repo.topic_counts(campaign_id).items()}
    return replace(view, texts=found.texts, by_topic=by_topic)


def _topic_label(targeting: Targeting, code: str) -> str:
    return targeting.topics[code].label if code in targeting.topics else code


@dataclass(frozen=True, slots=True)
class VisitItem:
    reach_id: int
    source_label: str
    unit_id: str | None
    unit_name: str
    person: str
    phone: str
    address: str
    topic_label: str
    created_at: datetime


def visits(session: Session, principal: Principal, targeting: Targeting) -> list[VisitItem]:
    """Open visits of the caller's units: who to see (masked) and which tip to give."""
    repo = PreventionRepository(session)
    open_visits = repo.open_visits(_scope(principal))
    people = sorted({v.person_id for v in open_visits if v.person_id})
    details, phones, names = repo.contact_details(people), repo.first_phones(people), _names(session)
    items = []
    for v in open_visits:
        name, address = details.get(v.person_id or "", ("", None))
        items.append(
            VisitItem(
                reach_id=v.reach_id,
                source_label=lb.REACH_SOURCE_LABELS[v.source],
                unit_id=v.unit_id,
                unit_name=names.get(v.unit_id or "", v.unit_id or "—"),
                person=mask_name(name),
                phone=mask_phone(phones.get(v.person_id or "")),
                address=mask_place(address) if address else "—",
                topic_label=_topic_label(targeting, v.topic),
                created_at=v.created_at,
            )
        )
    return items


@dataclass(frozen=True, slots=True)
class FiguresView:
    """Figures of a unit and of each unit directly below it, for the table and the chart."""

    first: date
    last: date
    total: UnitFigures
    rows: list[UnitFigures]


def figures(
    session: Session,
    principal: Principal,
    unit_id: str | None,
    *,
    first: date,
    last: date,
    config: PreventionConfig,
) -> FiguresView | None:
    """The figures of `unit_id` (default: the caller's unit) and its sub-units over the days given."""
    tree = load_units(session)
    top = unit_id or principal.unit_id or tree.city()
    if top is None or top not in tree.units or not principal.can_see(top):
        return None
    children = sorted(u for u, n in tree.units.items() if n.parent_id == top)
    shown = [(u, tree.units[u].name) for u in [top, *children]]
    records = RecordsRepository(session)
    facts = records.facts(period(first, last), config.minutes("CAMPAIGN"))
    paths = {u: tree.path(u) for u in tree.units}
    places = records.places()
    latest = latest_registrations(records.registrations(last), last)
    rows = unit_figures(shown, paths, facts, latest, {p.place_id: p.unit_id for p in places})
    return FiguresView(first, last, rows[0], rows[1:])


def board_rows(
    session: Session, principal: Principal, today: date, config: PreventionConfig
) -> list[PlaceStatus]:
    """无诈社区 / 无诈校园 standing of the places of the caller's units."""
    records = RecordsRepository(session)
    places = [p for p in records.places() if principal.can_see(p.unit_id)]
    return board(
        places,
        cases=records.cases(),
        event_days=records.event_days(),
        registrations=latest_registrations(records.registrations(today), today),
        criteria=config.board,
        today=today,
    )


@dataclass(frozen=True, slots=True)
class ReportView:
    report_id: int
    kind: str
    kind_label: str
    value: str
    fraud_type: str
    fraud_type_label: str
    description: str
    status: str
    status_label: str
    received_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_note: str


def mask_reported(kind: ReportKind, value: str) -> str:
    if kind is ReportKind.PHONE:
        return mask_phone(value)
    if kind is ReportKind.ACCOUNT:
        return mask_account(value)
    if kind is ReportKind.CHAT:
        return value[:2] + "***" + value[-2:] if len(value) > 6 else "***"
    return value  # a URL host or an app name is not personal data


def _report(r: CitizenReport, *, reveal: bool) -> ReportView:
    return ReportView(
        report_id=r.report_id,
        kind=r.kind.value,
        kind_label=lb.REPORT_KIND_LABELS[r.kind],
        value=r.value if reveal else mask_reported(r.kind, r.value),
        fraud_type=r.fraud_type.value,
        fraud_type_label=r.fraud_type.label,
        description=mask_note(r.description),
        status=r.status.value,
        status_label=lb.REPORT_STATUS_LABELS[r.status],
        received_at=r.received_at,
        reviewed_by=r.reviewed_by,
        reviewed_at=r.reviewed_at,
        review_note=r.review_note,
    )


def reports(session: Session, status: ReportStatus | None) -> list[ReportView]:
    """The review queue (or every report), values masked."""
    return [_report(r, reveal=False) for r in RecordsRepository(session).reports(status)]


def report(session: Session, report_id: int) -> ReportView | None:
    """One report with the reported value in full, for the reviewer (the edge audits the view)."""
    found = RecordsRepository(session).report(report_id)
    return _report(found, reveal=True) if found is not None else None


@dataclass(frozen=True, slots=True)
class CheckStats:
    """How the self-check is used: checks per day, kind and verdict (never a value)."""

    since: date
    totals: dict[str, int]
    rows: list[tuple[date, str, str, int]]


def check_stats(session: Session, since: date) -> CheckStats:
    rows = RecordsRepository(session).check_counts(since)
    totals: dict[str, int] = {}
    for _, _, verdict, n in rows:
        totals[verdict] = totals.get(verdict, 0) + n
    return CheckStats(since, totals, rows)


FRAUD_TYPE_CHOICES = [(t.value, t.label) for t in FraudType]
