"""宣防 for officers: campaigns, visit lists, records, figures, the board and the reports' review queue,
in the API and the console, with rights, unit scope, masking and audit."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from fanzha.store.engine import session_factory
from fanzha.store.tables_auth import AuditRow
from fanzha.uow import UnitOfWork
from tests.prevention_seed import NAMES, add_assessment, seed_city

from .conftest import LoginAs

EVENTS = "unit_id,kind,held_on,place,audience,headcount\nS1,进社区,2026-03-01,柳岸社区广场,老年人,120\n"


@pytest.fixture
def city(engine: Engine) -> Engine:
    seed_city(engine)
    return engine


def audit_actions(engine: Engine) -> list[str]:
    with UnitOfWork(session_factory(engine)) as uow:
        return list(uow.session.scalars(select(AuditRow.action)))


def test_an_officer_plans_and_approves_a_campaign_of_their_own_area(city: Engine, login_as: LoginAs) -> None:
    officer = login_as("station_officer", "S1")
    body = {"unit_id": "S1", "topics": ["BRUSHING"], "channel": "SMS", "title": "开学季防刷单"}
    preview = officer.post("/api/prevention/campaigns/preview", json=body)
    assert preview.json() == {"BRUSHING": {"PENDING": 3}}
    created = officer.post("/api/prevention/campaigns", json=body)
    assert created.status_code == 201
    campaign = created.json()
    assert campaign["status"] == "PLANNED"
    assert campaign["audience"] == 3
    assert "http" not in next(iter(campaign["texts"].values()))
    approved = officer.post(f"/api/prevention/campaigns/{campaign['campaign_id']}/approve")
    assert approved.json()["status"] == "SENDING"
    assert officer.post(f"/api/prevention/campaigns/{campaign['campaign_id']}/approve").status_code == 409
    # Another station's area is not theirs, and neither is its campaign.
    assert officer.post("/api/prevention/campaigns", json=body | {"unit_id": "S2"}).status_code == 404
    other = login_as("station_officer", "S2")
    assert other.get(f"/api/prevention/campaigns/{campaign['campaign_id']}").status_code == 404
    assert [c["campaign_id"] for c in officer.get("/api/prevention/campaigns").json()] == [
        campaign["campaign_id"]
    ]
    assert other.get("/api/prevention/campaigns").json() == []
    assert "change" in audit_actions(city)


@pytest.mark.parametrize(
    "body",
    [
        {"unit_id": "S1", "topics": ["BRUSHING"], "channel": "SMS", "title": "x", "wechat_members": "12"},
        {"unit_id": "S1", "topics": [], "channel": "SMS", "title": "x"},
        {"unit_id": "S1", "topics": ["BRUSHING"], "channel": "FAX", "title": "x"},
        {"unit_id": "S1", "topics": ["NOPE"], "channel": "SMS", "title": "x"},
        {"unit_id": "S1", "topics": ["GENERAL"], "channel": "WECHAT", "title": "x"},
    ],
)
def test_bad_campaigns_are_refused_with_nothing_planned(
    city: Engine, login_as: LoginAs, body: dict[str, object]
) -> None:
    officer = login_as("station_officer", "S1")
    assert officer.post("/api/prevention/campaigns", json=body).status_code == 422
    assert officer.get("/api/prevention/campaigns").json() == []


def test_visit_lists_are_masked_audited_and_done_by_grid_workers(city: Engine, login_as: LoginAs) -> None:
    add_assessment(city, "P2", 30)  # the elderly resident: a light contact by visit
    with UnitOfWork(session_factory(city)) as uow:
        from fanzha.prevention.config import default_config
        from fanzha.prevention.service import sweep_special_groups
        from fanzha.prevention.targets import default_targeting
        from tests.prevention_seed import T0

        sweep_special_groups(uow, now=T0, config=default_config(), targeting=default_targeting())
        uow.commit()
    grid = login_as("grid_worker", "S1")
    items = grid.get("/api/prevention/visits").json()
    assert len(items) == 1
    assert items[0]["person"] == "王**"
    assert items[0]["phone"] == "139****0002"
    assert items[0]["source_label"] == "特殊群体预警劝阻"
    page = grid.get("/prevention/visits")
    assert "王**" in page.text
    assert NAMES["P2"] not in page.text
    assert "13900000002" not in page.text
    assert "prevention.view" in audit_actions(city)
    done = grid.post(
        f"/prevention/visits/{items[0]['reach_id']}/done", data={"minutes": "20"}, follow_redirects=False
    )
    assert done.status_code == 303
    assert grid.get("/api/prevention/visits").json() == []
    assert (
        login_as("grid_worker", "S2").post(f"/api/prevention/visits/{items[0]['reach_id']}/done").status_code
        == 404
    )


def test_rights_by_role(city: Engine, login_as: LoginAs) -> None:
    stats = login_as("statistics", "C0")
    assert stats.get("/api/prevention/figures").status_code == 200
    assert stats.get("/api/prevention/board").status_code == 200
    assert stats.get("/api/prevention/campaigns").status_code == 403
    assert stats.get("/api/prevention/reports").status_code == 403
    assert stats.get("/prevention", follow_redirects=False).headers["location"] == "/prevention/figures"
    officer = login_as("station_officer", "S1")
    assert officer.get("/api/prevention/reports").status_code == 403
    assert login_as("bank_liaison", "C0").get("/api/prevention/figures").status_code == 403


def test_records_figures_and_the_board(city: Engine, login_as: LoginAs) -> None:
    officer = login_as("station_officer", "S1")
    bad = officer.post(
        "/api/prevention/import/events",
        content=EVENTS + "S1,进酒吧,2026-03-01,x,y,1\n",
        headers={"content-type": "text/csv"},
    )
    assert bad.status_code == 422
    assert bad.json()["detail"] == ["line 3: invalid kind"]
    ok = officer.post("/api/prevention/import/events", content=EVENTS, headers={"content-type": "text/csv"})
    assert ok.json() == {"stored": 1}
    form = officer.post(
        "/prevention/records/event",
        data={
            "unit_id": "S1",
            "kind": "SCHOOL",
            "held_on": "2026-03-02",
            "place": "第一中学",
            "audience": "学生",
            "headcount": "abc",
        },
    )
    assert form.status_code == 422
    assert "line 2: invalid headcount" in form.text
    pasted = officer.post(
        "/prevention/records/import",
        data={
            "kind": "registrations",
            "csv": "place_id,as_of,registered,population\nS1C01,2026-03-01,2100,3000\n",
        },
    )
    assert "已导入 1 条记录" in pasted.text
    stats = login_as("analyst", "C0")
    figures = stats.get("/api/prevention/figures", params={"start": "2026-03-01", "end": "2026-03-31"}).json()
    city_row = figures["units"][0]
    assert city_row["publicity_events"] == 1
    assert city_row["publicity_reach"] == 120
    assert city_row["app_registration_rate"] == pytest.approx(0.7)
    assert set(figures["units"][0]) >= {
        "publicity_sms",
        "publicity_posts",
        "publicity_reads",
        "officer_hours",
    }
    page = stats.get("/prevention/figures", params={"start": "2026-03-01", "end": "2026-03-31"})
    assert page.status_code == 200
    assert 'type="application/json" id="publicity-data"' in page.text
    board = stats.get("/prevention/board")
    assert "湖滨柳岸社区" in board.text
    assert (
        stats.get("/api/prevention/figures", params={"start": "2026-03-31", "end": "2026-03-01"}).status_code
        == 422
    )


def test_the_review_queue_masks_values_and_audits_opening_one(city: Engine, login_as: LoginAs, app) -> None:  # type: ignore[no-untyped-def]
    with TestClient(app) as anonymous:
        anonymous.post(
            "/api/public/reports", json={"kind": "PHONE", "value": "17012345678", "fraud_type": "LOAN"}
        )
    analyst = login_as("analyst", "C0")
    queue = analyst.get("/api/prevention/reports").json()
    assert [r["value"] for r in queue] == ["170****5678"]
    report_id = queue[0]["report_id"]
    page = analyst.get(f"/prevention/reports/{report_id}")
    assert "17012345678" in page.text
    assert "prevention.view" in audit_actions(city)
    decided = analyst.post(
        f"/prevention/reports/{report_id}/review",
        data={"decision": "accept", "fraud_type": "LOAN"},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    assert (
        analyst.post(f"/api/prevention/reports/{report_id}/review", json={"decision": "reject"}).status_code
        == 409
    )
    with TestClient(app) as anonymous:
        answer = anonymous.post("/api/public/check", json={"kind": "PHONE", "value": "17012345678"}).json()
    assert answer["verdict"] == "KNOWN_FRAUD"
    assert answer["fraud_type"] == "LOAN"


def test_console_pages_render(city: Engine, login_as: LoginAs) -> None:
    officer = login_as("station_officer", "S1")
    created = officer.post(
        "/prevention/campaigns",
        data={
            "title": "走访老人",
            "unit_id": "S1",
            "channel": "VISIT",
            "topics": ["FAKE_AUTHORITY", "ELDERLY_CARE"],
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    detail = officer.get(created.headers["location"])
    assert "审批发送" in detail.text
    assert "冒充公检法" in detail.text
    assert officer.get("/prevention/campaigns").status_code == 200
    assert "宣防" in officer.get("/prevention/campaigns").text
    refused = officer.post(
        "/prevention/campaigns", data={"title": "x", "unit_id": "S2", "channel": "SMS", "topics": "LOAN"}
    )
    assert refused.status_code == 422
    assert officer.get("/prevention/records").status_code == 200
    assert officer.post("/prevention/opt-outs", data={"phone": "13900000001"}).status_code == 200
