"""Officers' console pages and the workflow API: Chinese, masked, scoped, and safe under concurrent edits."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fanzha.clock import ManualClock
from fanzha.dispatch.service import LadderDispatcher
from fanzha.store.engine import session_factory
from fanzha.uow import UnitOfWork
from fanzha.warning import service
from tests.web.conftest import LoginAs
from tests.workflow_seed import PERSON_NAME, PHONE, T0, add_warning, seed_city


@pytest.fixture
def routed(engine: Engine) -> tuple[int, int]:
    """Two warnings routed to 湖滨派出所 (B01S01) through the intake, as the worker would."""
    seed_city(engine)
    ids = (add_warning(engine), add_warning(engine, person_id="P3"))
    for warning_id in ids:
        with UnitOfWork(session_factory(engine)) as uow:
            service.route_received(
                uow,
                warning_id=warning_id,
                clock=ManualClock(T0),
                fallback_unit="B01S01",
                dispatcher=LadderDispatcher(uow),
            )
            uow.commit()
    return ids


@pytest.fixture
def wf_client(routed: tuple[int, int], login_as: LoginAs) -> TestClient:
    """An officer of 湖滨派出所 (B01S01), the station the warnings were routed to."""
    return login_as("station_officer", "B01S01")


@pytest.fixture
def dispatcher(routed: tuple[int, int], login_as: LoginAs) -> TestClient:
    """The dispatcher of 东湖分局 (B01), the level above the station."""
    return login_as("branch_dispatcher", "B01")


@pytest.fixture
def supervisor(routed: tuple[int, int], login_as: LoginAs) -> TestClient:
    """A city-centre analyst: sees every unit's supervision view and KPIs."""
    return login_as("analyst", "C01")


def _version(client: TestClient, warning_id: int) -> int:
    return int(client.get(f"/api/warnings/{warning_id}/workflow").json()["version"])


def _act(client: TestClient, warning_id: int, action: str, **fields: object) -> dict[str, object]:
    body = {"version": _version(client, warning_id), **fields}
    response = client.post(f"/api/warnings/{warning_id}/actions/{action}", json=body)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_station_queue_is_chinese_masked_and_has_countdowns(
    wf_client: TestClient, routed: tuple[int, int]
) -> None:
    page = wf_client.get("/station")
    assert page.status_code == 200
    html = page.text
    assert "工作台" in html
    assert "待办预警" in html
    assert "/static/workflow/countdown.js" in html
    assert html.count('class="countdown"') == 2
    assert "李**" in html
    assert PERSON_NAME not in html
    assert PHONE not in html
    assert f"/work/{routed[0]}" in html
    assert wf_client.get("/static/workflow/countdown.js").status_code == 200


def test_work_page_shows_reasons_history_and_only_allowed_actions(
    wf_client: TestClient, routed: tuple[int, int]
) -> None:
    html = wf_client.get(f"/work/{routed[0]}").text
    assert "办理预警" in html
    assert "向涉诈账户转账" in html
    assert "6200****0009" in html  # evidence masked
    assert "6200999900000009" not in html
    assert "自动研判下发" in html  # the intake's transition in the history
    assert "139****2222" in html  # the warning SMS in the dispatch list, masked
    assert PHONE not in html
    assert PERSON_NAME not in html
    actions = set(re.findall(r"/actions/(\w+)", html))
    assert actions == {"assign", "sign", "close", "transfer", "escalate"}
    assert wf_client.get("/work/999999").status_code == 404


def test_a_stale_form_gets_409_with_a_clear_message(wf_client: TestClient, routed: tuple[int, int]) -> None:
    warning_id = routed[0]
    version = _version(wf_client, warning_id)
    first = wf_client.post(
        f"/work/{warning_id}/actions/sign", data={"version": version}, follow_redirects=False
    )
    assert first.status_code == 303
    second = wf_client.post(f"/work/{warning_id}/actions/transfer", data={"version": version, "note": "x"})
    assert second.status_code == 409
    assert "已被他人更新" in second.text
    flow = wf_client.get(f"/api/warnings/{warning_id}/workflow").json()
    assert (flow["status"], flow["version"]) == ("SIGNED", version + 1)


def test_a_refused_step_gets_422_and_changes_nothing(wf_client: TestClient, routed: tuple[int, int]) -> None:
    warning_id = routed[0]
    version = _version(wf_client, warning_id)
    response = wf_client.post(f"/api/warnings/{warning_id}/actions/close", json={"version": version})
    assert response.status_code == 422
    assert "劝阻结果" in response.json()["detail"]
    page = wf_client.post(f"/work/{warning_id}/actions/record_meet", data={"version": version, "met_at": ""})
    assert page.status_code == 422
    assert "操作未完成" in page.text
    missing = wf_client.post(f"/api/warnings/{warning_id}/actions/sign", json={})
    assert missing.status_code == 422
    assert _version(wf_client, warning_id) == version
    assert wf_client.post("/api/warnings/999999/actions/sign", json={"version": 1}).status_code == 404


def test_the_whole_loop_through_the_api_and_the_kpis(
    wf_client: TestClient, supervisor: TestClient, routed: tuple[int, int]
) -> None:
    done, idle = routed
    _act(wf_client, done, "sign")
    _act(wf_client, done, "start_contact", channel="CALL_96110")
    _act(wf_client, done, "record_contact", channel="CALL_96110", result="ANSWERED")
    _act(wf_client, done, "conclude_contact", result="NEED_MEET")
    meet = {"met_at": "2026-03-01T10:20", "place": "湖滨街道8号302室", "officers": ["警号0101", "警号0102"]}
    _act(wf_client, done, "record_meet", **meet, checklist=["CHECK_APPS", "PROTECT_ACCOUNTS"])
    _act(wf_client, done, "submit_feedback", outcome="SUCCESS_NO_LOSS", loss_fen=0)
    closed = _act(wf_client, done, "close")
    assert closed["status"] == "CLOSED"
    flow = wf_client.get(f"/api/warnings/{done}/workflow").json()
    assert {t["channel"]: t["status"] for t in flow["tasks"]} == {
        "96110 电话": "DONE",
        "联系家属": "OPEN",
        "上门见面": "DONE",
    }
    meet_step = next(h for h in flow["history"] if h["command"] == "record_meet")
    assert meet_step["data"]["place"] == "湖滨街道8号***"  # addresses are masked
    assert meet_step["data"]["officers"] == ["警号0101", "警号0102"]
    kpis = supervisor.get("/api/kpis", params={"unit_id": "B01", "start": "2026-01-01T00:00:00+00:00"}).json()
    rates = kpis["rates"]
    assert kpis["warnings"] == 2
    assert (rates["sign_rate"]["numerator"], rates["sign_rate"]["denominator"]) == (1, 2)
    assert (rates["meet_rate"]["numerator"], rates["meet_rate"]["denominator"]) == (1, 2)
    assert "W" in rates["meet_rate"]["denominator_label"]
    assert (rates["success_rate"]["numerator"], rates["success_rate"]["denominator"]) == (1, 2)
    other = supervisor.get(
        "/api/kpis", params={"unit_id": "B02", "start": "2026-01-01T00:00:00+00:00"}
    ).json()
    assert other["warnings"] == 0
    assert idle in [i["warning_id"] for i in wf_client.get("/api/queue").json()]
    assert done not in [i["warning_id"] for i in wf_client.get("/api/queue").json()]


def test_out_of_area_is_rerouted_through_the_level_above(
    wf_client: TestClient, dispatcher: TestClient, routed: tuple[int, int]
) -> None:
    warning_id = routed[0]
    moved = _act(wf_client, warning_id, "transfer", note="对象已搬离辖区")
    assert (moved["status"], moved["unit_id"]) == ("TRANSFERRED", "B01")
    assert wf_client.post(f"/api/warnings/{warning_id}/actions/assign", json={}).status_code == 403
    assigned = _act(dispatcher, warning_id, "assign", unit_id="B01S02")
    assert (assigned["status"], assigned["unit_id"]) == ("ASSIGNED", "B01S02")
    stations = {
        i["warning_id"]: i["unit_id"]
        for i in dispatcher.get("/api/queue", params={"unit_id": "B01S02"}).json()
    }
    assert stations == {warning_id: "B01S02"}
    bad = dispatcher.post(
        f"/api/warnings/{warning_id}/actions/assign", json={"version": assigned["version"], "unit_id": "NOPE"}
    )
    assert bad.status_code == 422


def test_supervision_and_kpi_pages(
    dispatcher: TestClient, supervisor: TestClient, routed: tuple[int, int]
) -> None:
    _act(dispatcher, routed[0], "escalate", reason="超时未签收")
    wf_client = supervisor
    page = wf_client.get("/supervision")
    assert page.status_code == 200
    assert "督办" in page.text
    assert "超时升级 1 次" in page.text
    assert "东湖分局" in page.text  # escalated one level up
    items = wf_client.get("/api/supervision").json()
    by_id = {i["warning_id"]: i for i in items}
    assert by_id[routed[0]]["escalations"] == 1
    assert by_id[routed[0]]["escalated_unit"] == "东湖分局"
    # Routed at T0 (months ago) and never contacted: both are 超期未劝阻; the escalated one comes first.
    assert [i["warning_id"] for i in items] == list(routed)
    assert all(i["flags"] == ["超期未劝阻"] for i in items)
    kpis = wf_client.get("/kpis")
    assert kpis.status_code == 200
    assert "劝阻见面率" in kpis.text
    assert "/static/vendor/echarts.min.js" in kpis.text
    assert wf_client.get("/static/vendor/echarts.min.js").status_code == 200


def test_a_station_principal_sees_only_its_own_warnings(routed: tuple[int, int], login_as: LoginAs) -> None:
    client = login_as("station_officer", "B01S02")
    assert client.get("/api/queue").json() == []
    assert client.get(f"/work/{routed[0]}").status_code == 404
    assert client.get(f"/api/warnings/{routed[0]}/workflow").status_code == 404
    assert client.post(f"/api/warnings/{routed[0]}/actions/sign", json={"version": 1}).status_code == 404
    assert client.get("/api/kpis", params={"unit_id": "B01S01"}).status_code == 404
    own = login_as("station_officer", "B01S01")
    assert own.get(f"/api/warnings/{routed[0]}/workflow").status_code == 200
