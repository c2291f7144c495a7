"""Campaigns, visit lists, opt-outs and the special-groups sweep: load → decide → save. Never commits.

Each function takes the caller's unit of work (its `prevention` repository) and stages changes; the
edge that opened the unit of work commits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from fanzha.detection.lists import normalise
from fanzha.event.codes import IndicatorKind
from fanzha.present import DISPLAY_TZ
from fanzha.prevention.audience import Planned, plan_audience
from fanzha.prevention.config import PreventionConfig
from fanzha.prevention.lifecycle import CampaignCommand, next_status
from fanzha.prevention.model import Campaign, CampaignStatus, Channel, Reach, ReachSource, ReachStatus
from fanzha.prevention.special import light_contact
from fanzha.prevention.targets import Targeting

if TYPE_CHECKING:
    from fanzha.prevention.records_repository import RecordsRepository
    from fanzha.prevention.repository import PreventionRepository

SWEEP = "special_groups"


class Store(Protocol):
    """What prevention's services need of a unit of work."""

    @property
    def prevention(self) -> PreventionRepository: ...

    @property
    def publicity(self) -> RecordsRepository: ...


class PreventionError(ValueError):
    """A request prevention refuses (the message says why, in Chinese, for the officer)."""


class NotFoundError(LookupError):
    pass


@dataclass(frozen=True, slots=True)
class CampaignRequest:
    """What an officer asks for: a unit, topics, a channel and a title (a WeChat post: group, members)."""

    unit_id: str
    topics: tuple[str, ...]
    channel: Channel
    title: str
    wechat_group: str | None = None
    wechat_members: int = 0


def _check(request: CampaignRequest, targeting: Targeting) -> None:
    if not request.topics or len(set(request.topics)) != len(request.topics):
        raise PreventionError("请至少选择一个宣传主题（不重复）")
    unknown = [t for t in request.topics if t not in targeting.topics]
    if unknown:
        raise PreventionError("未知的宣传主题")
    if not request.title.strip() or len(request.title) > 200:
        raise PreventionError("请填写活动名称（不超过200字）")
    if request.channel is Channel.WECHAT and (not request.wechat_group or request.wechat_members <= 0):
        raise PreventionError("微信群推送须填写群名称和群成员数")


def local_year(now: datetime) -> int:
    return now.astimezone(DISPLAY_TZ).year


def _plan(
    uow: Store,
    request: CampaignRequest,
    units: frozenset[str],
    *,
    now: datetime,
    t: Targeting,
    c: PreventionConfig,
) -> Iterator[Planned]:
    sms = request.channel is Channel.SMS
    return plan_audience(
        uow.prevention.residents(sorted(units)),
        topics=request.topics,
        targeting=t,
        year=local_year(now),
        channel=request.channel,
        limits=c.campaigns,
        opted_out=uow.prevention.opted_out_persons() if sms else frozenset(),
        recent_sms=uow.prevention.recent_sms(now - c.campaigns.cap_period) if sms else None,
    )


def preview(
    uow: Store,
    request: CampaignRequest,
    *,
    units: frozenset[str],
    now: datetime,
    targeting: Targeting,
    config: PreventionConfig,
) -> dict[str, dict[str, int]]:
    """How many people the campaign would reach, per topic and status; writes nothing."""
    _check(request, targeting)
    counts: dict[str, Counter[str]] = {}
    for planned in _plan(uow, request, units, now=now, t=targeting, c=config):
        counts.setdefault(planned.topic, Counter())[planned.status.value] += 1
    return {topic: dict(c) for topic, c in counts.items()}


def create_campaign(
    uow: Store,
    request: CampaignRequest,
    *,
    units: frozenset[str],
    actor: str,
    now: datetime,
    targeting: Targeting,
    config: PreventionConfig,
) -> int:
    """Plan a campaign: its audience is chosen and recorded now (PLANNED); nothing is sent until approved.

    A WeChat post is recorded as DONE at once, its reach being the group's members."""
    _check(request, targeting)
    wechat = request.channel is Channel.WECHAT
    campaign = Campaign(
        campaign_id=0,
        unit_id=request.unit_id,
        topics=request.topics,
        channel=request.channel,
        title=request.title.strip(),
        texts={t: targeting.sms_text(t) for t in request.topics},
        status=CampaignStatus.DONE if wechat else CampaignStatus.PLANNED,
        targeting_version=targeting.version,
        audience=request.wechat_members if wechat else 0,
        created_by=actor,
        created_at=now,
        updated_at=now,
        wechat_group=request.wechat_group if wechat else None,
    )
    campaign_id = uow.prevention.add_campaign(campaign)
    if wechat:
        uow.prevention.add_reach([_wechat_row(campaign_id, request, actor, now, config)])
        return campaign_id
    planned = _plan(uow, request, units, now=now, t=targeting, c=config)
    audience = uow.prevention.add_reach(_reach_row(campaign_id, p, request.channel, now) for p in planned)
    uow.prevention.set_campaign(campaign_id, status=CampaignStatus.PLANNED, audience=audience, now=now)
    return campaign_id


def _reach_row(campaign_id: int, p: Planned, channel: Channel, now: datetime) -> dict[str, Any]:
    pending = p.status is ReachStatus.PENDING
    return {
        "idempotency_key": f"c{campaign_id}:{p.person_id}",
        "source": ReachSource.CAMPAIGN.value,
        "campaign_id": campaign_id,
        "person_id": p.person_id,
        "unit_id": p.unit_id,
        "channel": channel.value,
        "topic": p.topic,
        "status": p.status.value,
        "attempts": 0,
        "next_attempt_at": now if pending and channel is Channel.SMS else None,
        "audience": 1,
        "officer_minutes": 0.0,
        "created_at": now,
        "done_at": None if pending else now,
    }


def _wechat_row(
    campaign_id: int, request: CampaignRequest, actor: str, now: datetime, config: PreventionConfig
) -> dict[str, Any]:
    return {
        "idempotency_key": f"c{campaign_id}:wechat",
        "source": ReachSource.CAMPAIGN.value,
        "campaign_id": campaign_id,
        "person_id": None,
        "unit_id": request.unit_id,
        "channel": Channel.WECHAT.value,
        "topic": request.topics[0],
        "status": ReachStatus.DONE.value,
        "attempts": 0,
        "audience": request.wechat_members,
        "officer_minutes": config.minutes(Channel.WECHAT),
        "created_at": now,
        "done_at": now,
        "done_by": actor,
    }


def command_campaign(uow: Store, campaign_id: int, command: CampaignCommand, *, now: datetime) -> Campaign:
    """Approve or cancel a campaign (cancelling cancels what is still pending)."""
    campaign = uow.prevention.campaign(campaign_id)
    if campaign is None:
        raise NotFoundError(campaign_id)
    status = next_status(campaign.status, command)
    if status is CampaignStatus.CANCELLED:
        uow.prevention.cancel_pending(campaign_id, now)
    uow.prevention.set_campaign(campaign_id, status=status, audience=None, now=now)
    found = uow.prevention.campaign(campaign_id)
    assert found is not None
    return found


def finish_campaigns(uow: Store, *, now: datetime) -> int:
    """Mark SENDING campaigns with nothing pending DONE."""
    done = uow.prevention.sending_without_pending()
    for campaign_id in done:
        uow.prevention.set_campaign(campaign_id, status=CampaignStatus.DONE, audience=None, now=now)
    return len(done)


def complete_visit(
    uow: Store,
    reach_id: int,
    *,
    actor: str,
    now: datetime,
    config: PreventionConfig,
    minutes: float | None = None,
) -> Reach:
    """An officer or grid worker visited the person and gave the tip."""
    reach = uow.prevention.reach(reach_id)
    if reach is None or reach.channel is not Channel.VISIT:
        raise NotFoundError(reach_id)
    if reach.status is not ReachStatus.PENDING:
        raise PreventionError("该走访任务已办结或已撤销")
    campaign = uow.prevention.campaign(reach.campaign_id) if reach.campaign_id is not None else None
    if campaign is not None and campaign.status is not CampaignStatus.SENDING:
        raise PreventionError("该宣传活动尚未审批")
    spent = config.minutes(Channel.VISIT) if minutes is None else minutes
    if not 0 <= spent <= 600:
        raise PreventionError("走访用时应为0至600分钟")
    uow.prevention.mark(reach_id, status=ReachStatus.DONE, now=now, officer_minutes=spent, done_by=actor)
    found = uow.prevention.reach(reach_id)
    assert found is not None
    return found


def opt_out(uow: Store, phone: str, *, via: str, now: datetime) -> bool:
    """A citizen asked for no more publicity SMS to `phone`; pending ones to them are not sent."""
    number = normalise(IndicatorKind.PHONE, phone.replace(" ", "").replace("-", ""))
    if not number.isdigit() or not 5 <= len(number) <= 15:
        raise PreventionError("手机号码应为5至15位数字")
    person_id = uow.prevention.person_of_phone(number)
    added = uow.prevention.add_opt_out(phone=number, person_id=person_id, via=via, now=now)
    if person_id is not None:
        uow.prevention.opt_out_pending(person_id, now)
    return added


def sweep_special_groups(
    uow: Store, *, now: datetime, config: PreventionConfig, targeting: Targeting, limit: int = 2000
) -> int:
    """Light contacts for special groups from the assessments stored since the last sweep."""
    settings = config.special_groups
    mark = uow.prevention.sweep_mark(SWEEP)
    rows, new_mark = uow.prevention.quiet_assessments(mark, settings.min_score, limit)
    best: dict[str, tuple[int, Any]] = {}
    for assessment_id, assessed in rows:  # the highest score of each person in this batch decides
        if assessed.person_id not in best or assessed.score > best[assessed.person_id][1].score:
            best[assessed.person_id] = (assessment_id, assessed)
    people = sorted(best)
    residents = uow.prevention.groups_of(people)
    last = uow.prevention.last_light_contacts(people)
    staged: list[dict[str, Any]] = []
    for person_id in people:
        assessment_id, assessed = best[person_id]
        resident = residents.get(person_id)
        if resident is None:
            continue
        contact = light_contact(assessed, resident.groups, settings, last.get(person_id))
        if contact is None:
            continue
        sms = contact.channel is Channel.SMS
        staged.append(
            {
                "idempotency_key": f"sg:{person_id}:{assessment_id}",
                "source": ReachSource.SPECIAL_GROUP.value,
                "campaign_id": None,
                "person_id": person_id,
                "unit_id": resident.unit_id,
                "channel": contact.channel.value,
                "topic": targeting.topic_of(contact.fraud_type),
                "status": ReachStatus.PENDING.value,
                "attempts": 0,
                "next_attempt_at": now if sms else None,
                "audience": 1,
                "officer_minutes": 0.0,
                "created_at": now,
                "done_at": None,
            }
        )
    uow.prevention.add_reach(staged)
    uow.prevention.set_sweep_mark(SWEEP, new_mark, now)
    return len(staged)
