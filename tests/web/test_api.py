"""The JSON API: health counts, ordering, detail, 404s, and masking of every personal field."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fanzha.present import evidence_items, format_yuan, mask_evidence
from fanzha.store.engine import make_engine
from fanzha.store.tables import WarningRow
from fanzha.web.app import create_app

from .auth_helpers import CITY_UNIT, add_user, ensure_unit, fast_settings, login
from .seed_data import (
    FRAUD_PHONE,
    MASKED_FRAUD_PHONE,
    MASKED_LOW_ACCOUNT,
    MASKED_NAME,
    MASKED_PAYEE_ACCOUNT,
    MASKED_SUBJECT_PHONE,
    MASKED_VICTIM_ID_NO,
    PAYEE_ACCOUNT,
    RAW_VALUES,
    SUBJECT_PHONE,
    UNIT_NAME,
    Seeded,
)


def test_health_counts_events_open_warnings_and_dead_letters(client: TestClient) -> None:
    resp = client.get("/api/health")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok", "events": 3, "open_warnings": 2, "dead_letters": 1}


def test_health_on_an_empty_store(empty_client: TestClient) -> None:
    assert empty_client.get("/api/health").json() == {
        "status": "ok",
        "events": 0,
        "open_warnings": 0,
        "dead_letters": 0,
    }


def test_app_builds_and_migrates_its_own_engine_from_settings(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'own.db'}"
    with TestClient(create_app(fast_settings(DATABASE_URL=url))) as c:
        assert c.get("/api/health").status_code == 401  # migrated, and nobody is signed in
        own = make_engine(url)
        ensure_unit(own, CITY_UNIT, "CITY", None)
        login(c, *add_user(own, "city_admin", CITY_UNIT))
        own.dispose()
        assert c.get("/api/health").json()["open_warnings"] == 0
    assert (tmp_path / "own.db").exists()


def test_list_is_most_urgent_first_and_open_only_by_default(client: TestClient, seeded: Seeded) -> None:
    items = client.get("/api/warnings").json()
    assert [w["warning_id"] for w in items] == [seeded.critical_id, seeded.low_id]
    assert [w["level_name"] for w in items] == ["CRITICAL", "LOW"]
    assert [w["level_label"] for w in items] == ["特高危", "低危"]
    critical = items[0]
    assert critical["unit_name"] == UNIT_NAME
    assert critical["fraud_type_label"] == "冒充电商物流客服"
    assert critical["top_reasons"] == ["向涉诈账户转账", "与涉诈号码通话往来"]  # heaviest first
    assert items[1]["unit_name"] == "未指派"


def test_list_with_closed_and_paging(client: TestClient, seeded: Seeded) -> None:
    everything = client.get("/api/warnings", params={"open_only": "false"}).json()
    assert [w["level_name"] for w in everything] == ["CRITICAL", "MEDIUM", "LOW"]
    closed = next(w for w in everything if w["warning_id"] == seeded.closed_id)
    assert closed["unit_name"] == "U9"  # unknown unit: its id
    page = client.get("/api/warnings", params={"open_only": "false", "limit": 1, "offset": 1}).json()
    assert [w["warning_id"] for w in page] == [seeded.closed_id]
    assert client.get("/api/warnings", params={"limit": 0}).status_code == 422


def test_detail_has_masked_reasons_and_assessments(client: TestClient, seeded: Seeded) -> None:
    resp = client.get(f"/api/warnings/{seeded.critical_id}")
    assert resp.status_code == 200
    w = resp.json()
    assert w["subject"] == MASKED_NAME
    assert w["subject_key_masked"] == f"手机 {MASKED_SUBJECT_PHONE}"
    assert w["propose_stop_payment"] is True
    assert w["status_label"] == "已接收"
    payee = next(r for r in w["reasons"] if r["code"] == "PAYEE_LISTED")
    assert payee["evidence"] == {
        "payee_account": MASKED_PAYEE_ACCOUNT,
        "amount_fen": 500000,
        "victim_id_no": MASKED_VICTIM_ID_NO,
    }
    texts = {e["label"]: e["text"] for e in payee["evidence_text"]}
    assert texts["收款账户"] == MASKED_PAYEE_ACCOUNT
    assert texts["金额"] == "¥5,000.00"
    contact = next(r for r in w["reasons"] if r["code"] == "FRAUD_NUMBER_CONTACT")
    assert contact["evidence"]["counterpart_phone"] == MASKED_FRAUD_PHONE
    assert contact["evidence"]["channel"] == "通话"  # not personal: unchanged
    assert len(w["assessments"]) == 1
    assessment = w["assessments"][0]
    assert assessment["level_label"] == "特高危"
    assert {r["code"] for r in assessment["reasons"]} == {"FRAUD_NUMBER_CONTACT", "PAYEE_LISTED"}


def test_detail_404_is_json(client: TestClient) -> None:
    resp = client.get("/api/warnings/99999")
    assert resp.status_code == 404
    assert resp.headers["content-type"].startswith("application/json")
    assert resp.json() == {"detail": "warning 99999 not found"}
    unknown = client.get("/api/nothing-here")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/json")


def test_no_personal_data_in_any_api_response(client: TestClient, seeded: Seeded) -> None:
    bodies = [
        client.get("/api/health").text,
        client.get("/api/warnings", params={"open_only": "false"}).text,
        *(
            client.get(f"/api/warnings/{i}").text
            for i in (seeded.critical_id, seeded.low_id, seeded.closed_id)
        ),
    ]
    blob = "\n".join(bodies)
    for raw in RAW_VALUES:
        assert raw not in blob, f"unmasked value {raw!r} in API output"
    for masked in (
        MASKED_NAME,
        MASKED_SUBJECT_PHONE,
        MASKED_PAYEE_ACCOUNT,
        MASKED_FRAUD_PHONE,
        MASKED_LOW_ACCOUNT,
    ):
        assert masked in blob


def test_the_raw_values_really_are_stored(engine: Engine, seeded: Seeded) -> None:
    """Guards the masking test above: it would pass vacuously if the raw data were never stored."""
    with Session(engine) as s:
        row = s.scalars(select(WarningRow).where(WarningRow.warning_id == seeded.critical_id)).one()
        assert row.subject_key == f"phone:{SUBJECT_PHONE}"
        evidence = [r["evidence"] for r in row.reasons]
        assert any(e.get("payee_account") == PAYEE_ACCOUNT for e in evidence)
        assert any(e.get("counterpart_phone") == FRAUD_PHONE for e in evidence)


def test_mask_evidence_by_key() -> None:
    masked = mask_evidence(
        {
            "payee_account": "6222000011112222",
            "counterpart_phone": "13900001111",
            "id_no": "320102199001011234",
            "amount_fen": 123456,
            "app_name": "某某会议",
        }
    )
    assert masked == {
        "payee_account": "6222****2222",
        "counterpart_phone": "139****1111",
        "id_no": "3201**********1234",
        "amount_fen": 123456,
        "app_name": "某某会议",
    }
    assert ("amount_fen", "金额", "¥1,234.56") in evidence_items({"amount_fen": 123456})
    assert format_yuan(5) == "¥0.05"
    assert format_yuan(-500000) == "-¥5,000.00"
