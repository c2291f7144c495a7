"""Campaigns end to end on the store: audience, approval, SMS within limits, opt-outs, visits, WeChat,
and the special-groups sweep (SQLite always, PostgreSQL when reachable)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from fanzha.clock import ManualClock
from fanzha.jobs.prevention import PreventionJobs, PreventionSetup
from fanzha.prevention import service
from fanzha.prevention.config import CampaignLimits, PreventionConfig, default_config
from fanzha.prevention.lifecycle import CampaignCommand, CampaignTransitionError
from fanzha.prevention.model import CampaignStatus, Channel, ReachSource, ReachStatus
from fanzha.prevention.service import CampaignRequest
from fanzha.prevention.targets import default_targeting
from fanzha.store.engine import session_factory
from fanzha.store.tables_prevention import ReachRow
from fanzha.uow import UnitOfWork
from tests.prevention_seed import T0, RecordingGateway, add_assessment, seed_city

TARGETING = default_targeting()
STUDENTS = CampaignRequest("S1", ("BRUSHING",), Channel.SMS, "开学季防刷单")


def uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(session_factory(engine))


def create(
    engine: Engine, request: CampaignRequest = STUDENTS, config: PreventionConfig | None = None
) -> int:
    with uow(engine) as u:
        campaign_id = service.create_campaign(
            u,
            request,
            units=frozenset({"S1", "S1C01"}),
            actor="officer-1",
            now=T0,
            targeting=TARGETING,
            config=config or default_config(),
        )
        u.commit()
    return campaign_id


def reach(engine: Engine, campaign_id: int | None = None) -> dict[str, tuple[str, str]]:
    with uow(engine) as u:
        rows = u.session.scalars(select(ReachRow).where(ReachRow.campaign_id == campaign_id))
        return {str(r.person_id): (r.status, r.topic) for r in rows}


def jobs(engine: Engine, clock: ManualClock, gateway: RecordingGateway, **limits: int) -> PreventionJobs:
    config = default_config().model_copy(update={"campaigns": CampaignLimits(**limits)})
    return PreventionJobs(lambda: uow(engine), gateway, clock, PreventionSetup(config, TARGETING))


def command(engine: Engine, campaign_id: int, cmd: CampaignCommand) -> CampaignStatus:
    with uow(engine) as u:
        status = service.command_campaign(u, campaign_id, cmd, now=T0).status
        u.commit()
    return status


def test_an_sms_campaign_waits_for_approval_then_goes_out_within_the_rate_limit(engine: Engine) -> None:
    seed_city(engine)
    with uow(engine) as u:
        preview = service.preview(
            u, STUDENTS, units=frozenset({"S1"}), now=T0, targeting=TARGETING, config=default_config()
        )
    assert preview == {"BRUSHING": {"PENDING": 3}}
    campaign_id = create(engine)
    # The students of S1 (not S2's), the programmer and the retiree are not in the audience.
    assert set(reach(engine, campaign_id)) == {"P1", "P4", "P7"}
    clock, gateway = ManualClock(T0), RecordingGateway()
    job = jobs(engine, clock, gateway, sms_per_minute=1)
    job.tick()
    assert gateway.sent == []  # PLANNED: nothing goes out before approval
    assert command(engine, campaign_id, CampaignCommand.APPROVE) is CampaignStatus.SENDING
    job.tick()
    assert len(gateway.sent) == 1  # one a minute
    for _ in range(2):
        clock.advance(timedelta(minutes=1))
        job.tick()
    statuses = {p: s for p, (s, _) in reach(engine, campaign_id).items()}
    assert statuses == {"P1": "SENT", "P4": "SENT", "P7": "NO_PHONE"}
    key, phone, text = gateway.sent[0]
    assert key.startswith("publicity:")
    assert phone == "13900000001"
    assert text == TARGETING.sms_text("BRUSHING")
    assert "http" not in text
    with uow(engine) as u:
        campaign = u.prevention.campaign(campaign_id)
    assert campaign is not None
    assert campaign.status is CampaignStatus.DONE
    assert campaign.audience == 3


def test_quiet_hours_hold_publicity_sms(engine: Engine) -> None:
    seed_city(engine)
    campaign_id = create(engine)
    command(engine, campaign_id, CampaignCommand.APPROVE)
    night = T0.replace(hour=14)  # 22:00 in Beijing
    gateway = RecordingGateway()
    jobs(engine, ManualClock(night), gateway).tick()
    assert gateway.sent == []
    jobs(engine, ManualClock(night + timedelta(hours=10)), gateway).tick()  # 08:00
    assert len(gateway.sent) == 2


def test_opt_outs_and_the_frequency_cap(engine: Engine) -> None:
    seed_city(engine)
    with uow(engine) as u:
        assert service.opt_out(u, "+86 139-0000-0001", via="counter", now=T0)
        assert not service.opt_out(u, "13900000001", via="counter", now=T0)
        with pytest.raises(service.PreventionError):
            service.opt_out(u, "12", via="counter", now=T0)
        u.commit()
    capped = default_config().model_copy(update={"campaigns": CampaignLimits(max_sms_per_person=1)})
    first = create(engine, config=capped)
    assert reach(engine, first)["P1"][0] == "OPTED_OUT"
    second = create(engine, CampaignRequest("S1", ("FAKE_AUTHORITY",), Channel.SMS, "防冒充公检法"), capped)
    statuses = {p: s for p, (s, _) in reach(engine, second).items()}
    assert statuses["P4"] == "CAPPED"
    assert statuses["P2"] == "PENDING"
    assert statuses["P1"] == "OPTED_OUT"
    # Opting out after planning: the pending tip is not sent.
    with uow(engine) as u:
        service.opt_out(u, "13900000002", via="hotline", now=T0)
        u.commit()
    assert reach(engine, second)["P2"][0] == "OPTED_OUT"


def test_a_gateway_failure_is_retried_with_the_same_key(engine: Engine) -> None:
    seed_city(engine)
    campaign_id = create(engine)
    command(engine, campaign_id, CampaignCommand.APPROVE)
    clock, gateway = ManualClock(T0), RecordingGateway()
    gateway.failures = 2  # both SMS of the first pass fail
    job = jobs(engine, clock, gateway)
    job.tick()
    assert gateway.sent == []
    assert reach(engine, campaign_id)["P1"][0] == "PENDING"
    clock.advance(timedelta(hours=2))
    job.tick()
    assert len(gateway.sent) == 2
    assert reach(engine, campaign_id)["P1"][0] == "SENT"
    assert sorted(k for k, _, _ in gateway.sent) == ["publicity:1", "publicity:2"]


def test_cancelling_keeps_what_was_sent(engine: Engine) -> None:
    seed_city(engine)
    campaign_id = create(engine)
    assert command(engine, campaign_id, CampaignCommand.CANCEL) is CampaignStatus.CANCELLED
    assert {s for s, _ in reach(engine, campaign_id).values()} == {"CANCELLED"}
    with pytest.raises(CampaignTransitionError):
        command(engine, campaign_id, CampaignCommand.APPROVE)


def test_a_visit_list_and_a_wechat_post(engine: Engine) -> None:
    seed_city(engine)
    visits = create(engine, CampaignRequest("S1", ("FAKE_AUTHORITY",), Channel.VISIT, "上门宣传"))
    with uow(engine) as u:
        assert u.prevention.open_visits({"S1"}) == []  # not approved yet: no one to visit
        planned = u.session.scalars(select(ReachRow.id).where(ReachRow.campaign_id == visits)).first()
        assert planned is not None
        with pytest.raises(service.PreventionError):
            service.complete_visit(u, planned, actor="grid-1", now=T0, config=default_config())
    command(engine, visits, CampaignCommand.APPROVE)
    pending = reach(engine, visits)
    assert {p: s for p, (s, _) in pending.items()} == {
        "P1": "PENDING",
        "P2": "PENDING",
        "P4": "PENDING",
        "P7": "PENDING",
    }
    with uow(engine) as u:
        open_visits = u.prevention.open_visits({"S1"})
        done = service.complete_visit(
            u, open_visits[0].reach_id, actor="grid-1", now=T0, config=default_config()
        )
        with pytest.raises(service.PreventionError):
            service.complete_visit(
                u, open_visits[0].reach_id, actor="grid-1", now=T0, config=default_config()
            )
        u.commit()
    assert done.status is ReachStatus.DONE
    assert done.officer_minutes == 30
    wechat = create(
        engine, CampaignRequest("S1", ("GENERAL",), Channel.WECHAT, "群推送", "柳岸小区业主群", 480)
    )
    with uow(engine) as u:
        post = u.prevention.campaign(wechat)
    assert post is not None
    assert post.status is CampaignStatus.DONE
    assert post.audience == 480
    with pytest.raises(service.PreventionError):
        create(engine, CampaignRequest("S1", ("GENERAL",), Channel.WECHAT, "群推送"))


def test_special_groups_below_the_warn_level_get_a_light_contact_once(engine: Engine) -> None:
    seed_city(engine)
    add_assessment(engine, "P2", 30)  # elderly: a visit
    add_assessment(engine, "P1", 15)  # student: a tip SMS
    add_assessment(engine, "P1", 12)  # the same person again in the batch: one contact
    add_assessment(engine, "P4", 80, warning_id=7)  # warned: the workflow acts, not prevention
    add_assessment(engine, "P3", 40)  # in no configured group
    add_assessment(engine, "P6", 5)  # finance staff, but below the minimum score
    add_assessment(engine, "P6", 20, code="NEW_PAYEE_SPIKE")  # a payment habit, not contact with fraud
    gateway = RecordingGateway()
    job = jobs(engine, ManualClock(T0), gateway)
    assert job.tick().special_contacts == 2
    rows = reach(engine, None)
    assert rows == {"P2": ("PENDING", "FAKE_AUTHORITY"), "P1": ("SENT", "FAKE_AUTHORITY")}
    assert gateway.sent[0][2] == TARGETING.sms_text("FAKE_AUTHORITY")
    assert job.tick().special_contacts == 0  # the mark moved on: nothing is looked at twice
    add_assessment(engine, "P1", 20, at=T0 + timedelta(days=3))
    assert job.tick().special_contacts == 0  # within the cooldown
    add_assessment(engine, "P1", 20, at=T0 + timedelta(days=31))
    assert job.tick().special_contacts == 1
    with uow(engine) as u:
        sources = set(u.session.scalars(select(ReachRow.source).where(ReachRow.campaign_id.is_(None))))
    assert sources == {ReachSource.SPECIAL_GROUP.value}
