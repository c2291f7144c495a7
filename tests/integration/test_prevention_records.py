"""Publicity records, figures and the 无诈 board; the self-check and citizen reports, on the store."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, inspect, select

from fanzha.auth.model import SYSTEM, Principal
from fanzha.event.codes import FraudType, IndicatorKind
from fanzha.event.entities import Indicator
from fanzha.prevention import public, queries, service
from fanzha.prevention.board import Standing
from fanzha.prevention.config import default_config
from fanzha.prevention.lifecycle import CampaignCommand
from fanzha.prevention.model import Channel, LookupKind, ReportKind, ReportStatus, Verdict
from fanzha.prevention.records import RecordsRejectedError, import_csv
from fanzha.prevention.targets import default_targeting
from fanzha.store.engine import session_factory
from fanzha.store.tables_prevention import SelfCheckCountRow
from fanzha.uow import UnitOfWork
from tests.prevention_seed import T0, seed_city

TARGETING = default_targeting()
DAY = date(2026, 3, 2)
EVENTS = """unit_id,kind,held_on,place,audience,headcount,place_id
S1,进社区,2026-03-01,柳岸社区广场,老年人,120,S1C01
S1,进社区,2025-12-01,柳岸社区活动室,居民,40,S1C01
S2,进校园,2026-02-20,第一中学礼堂,高一学生,300,X1
B1,进企业,2026-02-25,湖滨科技园,财务人员,35,
"""
PLACES = "place_id,kind,name,unit_id\nX1,校园,第一中学,S2\n"
REGISTRATIONS = "place_id,as_of,registered,population\nS1C01,2026-02-28,2100,3000\nX1,2026-02-28,500,1200\n"
POSTS = """unit_id,kind,platform,external_id,title,published_on,reads,plays
C0,推文,公众号,p-1,防范刷单返利,2026-02-10,9000,
S1,视频,抖音,v-9,反诈情景剧,2026-02-11,,25000
C0,推文,公众号,p-0,去年的推文,2025-06-01,100,
"""
SMS = "unit_id,sent_on,messages,batch_ref\nC0,2026-02-15,1100000,OP-2026-02\n"
CASES = "place_id,occurred_on,case_ref,loss_fen\nX1,2026-01-10,A-1,500000\n"


def uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(session_factory(engine))


def load(engine: Engine, kind: str, text: str) -> int:
    with uow(engine) as u:
        stored = import_csv(u, kind, text, actor="officer-1", now=T0)
        u.commit()
    return stored


def test_a_file_naming_an_unknown_unit_or_place_imports_nothing(engine: Engine) -> None:
    seed_city(engine)
    bad = EVENTS + "S9,进家庭,2026-03-01,某户,家属,3,\n"
    with uow(engine) as u, pytest.raises(RecordsRejectedError) as caught:
        import_csv(u, "events", bad, actor="officer-1", now=T0)
    assert caught.value.errors == ["line 6: unknown unit_id", "line 4: unknown place_id"] or set(
        caught.value.errors
    ) == {"line 6: unknown unit_id", "line 4: unknown place_id"}
    with uow(engine) as u:
        assert u.publicity.events(None) == []
    with uow(engine) as u, pytest.raises(RecordsRejectedError):
        import_csv(
            u,
            "registrations",
            "place_id,as_of,registered,population\nNOPE,2026-01-01,1,2\n",
            actor="x",
            now=T0,
        )


def test_figures_roll_up_and_the_board_rates_places(engine: Engine) -> None:
    seed_city(engine)
    assert load(engine, "places", PLACES) == 1
    assert load(engine, "events", EVENTS) == 4
    assert load(engine, "events", EVENTS) == 0  # the same events again are kept once
    assert load(engine, "registrations", REGISTRATIONS) == 2
    assert load(engine, "posts", POSTS) == 3
    assert load(engine, "sms", SMS) == 1
    assert load(engine, "cases", CASES) == 1
    with uow(engine) as u:
        visit = service.create_campaign(
            u,
            service.CampaignRequest("S1", ("FAKE_AUTHORITY",), Channel.VISIT, "走访"),
            units=frozenset({"S1"}),
            actor="officer-1",
            now=T0,
            targeting=TARGETING,
            config=default_config(),
        )
        service.command_campaign(u, visit, CampaignCommand.APPROVE, now=T0)
        first = u.prevention.open_visits({"S1"})[0]
        service.complete_visit(u, first.reach_id, actor="grid-1", now=T0, config=default_config())
        u.commit()
    with uow(engine) as u:
        view = queries.figures(
            u.session, SYSTEM, None, first=date(2026, 2, 1), last=DAY, config=default_config()
        )
    assert view is not None
    city = view.total
    assert city.counts["publicity_events"] == 3  # December's is outside the period
    assert city.counts["publicity_reach"] == 120 + 300 + 35 + 1_100_000 + 1  # attendees, SMS batch, the visit
    assert city.counts["publicity_sms"] == 1_100_000
    assert city.counts["publicity_posts"] == 2
    assert city.counts["publicity_reads"] == 9000 + 25000
    assert city.app_registration_rate == pytest.approx(2600 / 4200)
    assert city.officer_hours == pytest.approx((60 + 30) / 60)  # one campaign prepared, one visit
    assert [r.unit_id for r in view.rows] == ["B1"]
    # Posts are re-imported with new figures: the same post is updated, not added.
    load(engine, "posts", POSTS.replace("9000", "12000"))
    with uow(engine) as u:
        again = queries.figures(
            u.session, SYSTEM, "S1", first=date(2026, 2, 1), last=DAY, config=default_config()
        )
        board = {r.place_id: r for r in queries.board_rows(u.session, SYSTEM, DAY, default_config())}
    assert again is not None
    assert again.total.counts["publicity_reads"] == 25000
    assert [r.unit_id for r in again.rows] == ["S1C01"]
    assert board["S1C01"].standing is Standing.MET  # 70% registered, two events, no case
    assert board["S1C01"].registration_ok
    assert board["S1C01"].events == 2
    assert board["X1"].standing is Standing.NOT_MET
    assert board["X1"].cases == 1
    with uow(engine) as u:
        station = Principal("u", "station_officer", "S2", frozenset({"S2"}))
        assert [r.place_id for r in queries.board_rows(u.session, station, DAY, default_config())] == ["X1"]
        assert queries.figures(u.session, station, "S1", first=DAY, last=DAY, config=default_config()) is None


def test_the_self_check_answers_exactly_and_counts_without_the_value(engine: Engine) -> None:
    seed_city(engine)
    listed = [
        Indicator(kind=IndicatorKind.PHONE, value="17000000009", fraud_type=FraudType.FAKE_AUTHORITY),
        Indicator(kind=IndicatorKind.URL, value="kefu-tuikuan.top", fraud_type=FraudType.FAKE_CS_REFUND),
        Indicator(kind=IndicatorKind.ACCOUNT, value="6200999900000009", listed_at=T0 + timedelta(days=1)),
        Indicator(kind=IndicatorKind.APP, value="任务星球", expires_at=T0 - timedelta(days=1)),
    ]
    with uow(engine) as u:
        u.lists.upsert(listed)
        u.commit()

    def check(kind: LookupKind, value: str) -> public.Answer:
        with uow(engine) as u:
            result = public.check(u, kind, value, now=T0, targeting=TARGETING)
            u.commit()
        return result

    hit = check(LookupKind.PHONE, "+86 170-0000-0009")
    assert hit.verdict is Verdict.KNOWN_FRAUD
    assert hit.fraud_type is FraudType.FAKE_AUTHORITY
    assert check(LookupKind.URL, "https://www.kefu-tuikuan.top/refund").fraud_type is FraudType.FAKE_CS_REFUND
    assert check(LookupKind.PHONE, "1700000000").verdict is Verdict.NOT_KNOWN  # no prefix matching
    assert check(LookupKind.ACCOUNT, "6200999900000009").verdict is Verdict.NOT_KNOWN  # not listed yet
    assert check(LookupKind.APP, "任务星球").verdict is Verdict.NOT_KNOWN  # expired
    assert check(LookupKind.PHONE, "170*").verdict is Verdict.INVALID
    with uow(engine) as u:
        stats = queries.check_stats(u.session, DAY - timedelta(days=1))
        columns = {c["name"] for c in inspect(u.session.connection()).get_columns("selfcheck_counts")}
        counted = sum(r.count for r in u.session.scalars(select(SelfCheckCountRow)))
    assert stats.totals == {"KNOWN_FRAUD": 2, "NOT_KNOWN": 3, "INVALID": 1}
    assert columns == {"day", "kind", "verdict", "count"}  # no column could hold a value asked
    assert counted == 6


def test_a_report_becomes_a_lead_and_accepting_it_lists_it(engine: Engine) -> None:
    seed_city(engine)
    with uow(engine) as u:
        report_id = public.submit_report(
            u,
            ReportKind.URL,
            "http://jiedong-fei.vip/pay",
            fraud_type=FraudType.LOAN,
            description="对方说交解冻费才能放款，联系电话13812345678",
            now=T0,
        )
        chat_id = public.submit_report(
            u, ReportKind.CHAT, "wxid_boss_clone", fraud_type=FraudType.FAKE_BOSS_ACQ, description="", now=T0
        )
        u.commit()
    with uow(engine) as u:
        queue = queries.reports(u.session, ReportStatus.NEW)
        assert {r.report_id for r in queue} == {report_id, chat_id}
        listed = next(r for r in queue if r.report_id == report_id)
        assert "13812345678" not in listed.description
        accepted = public.review_report(
            u,
            report_id,
            public.Decision.ACCEPT,
            fraud_type=FraudType.LOAN,
            reviewer="analyst-1",
            note="核实为虚假贷款网站",
            now=T0,
        )
        public.review_report(
            u,
            chat_id,
            public.Decision.ACCEPT,
            fraud_type=FraudType.FAKE_BOSS_ACQ,
            reviewer="analyst-1",
            note="",
            now=T0,
        )
        with pytest.raises(service.PreventionError):
            public.review_report(
                u,
                report_id,
                public.Decision.REJECT,
                fraud_type=FraudType.LOAN,
                reviewer="analyst-2",
                note="",
                now=T0,
            )
        u.commit()
    assert accepted.status is ReportStatus.ACCEPTED
    with uow(engine) as u:
        result = public.check(
            u, LookupKind.URL, "jiedong-fei.vip", now=T0 + timedelta(minutes=1), targeting=TARGETING
        )
        assert u.lists.count_by_kind() == {"URL": 1}  # the chat account is a lead, not a list entry
    assert result.verdict is Verdict.KNOWN_FRAUD
    assert result.fraud_type is FraudType.LOAN
