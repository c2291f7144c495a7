"""The console: pages and partials render, are masked, escaped, and HTMX is served locally."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from .seed_data import (
    MASKED_FRAUD_PHONE,
    MASKED_LOW_ACCOUNT,
    MASKED_NAME,
    MASKED_PAYEE_ACCOUNT,
    MASKED_SUBJECT_PHONE,
    MASKED_VICTIM_ID_NO,
    RAW_VALUES,
    UNIT_NAME,
    Seeded,
)

ROW = re.compile(r"<tr class=\"row-lvl-(\d)\">")


def test_index_page(client: TestClient, seeded: Seeded) -> None:
    resp = client.get("/")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/html")
    html = resp.text
    assert "fanzha 反诈预警劝阻平台" in html
    for label in ("特高危", "高危", "中危", "低危", "已处理事件", "死信"):
        assert label in html
    assert 'data-level="CRITICAL">1<' in html
    assert 'data-level="MEDIUM">0<' in html  # the MEDIUM warning is closed
    assert 'data-total="events">3<' in html
    assert 'data-total="dead_letters">1<' in html
    # Open warnings only, most urgent first.
    assert ROW.findall(html) == ["4", "1"]
    assert f'href="/warnings/{seeded.critical_id}"' in html
    assert f'href="/warnings/{seeded.closed_id}"' not in html
    assert UNIT_NAME in html
    assert "未指派" in html
    assert "冒充电商物流客服" in html
    assert "2025-03-01 10:05" in html  # Beijing time, not UTC 02:05
    assert "止付" in html


def test_index_uses_local_htmx_and_refreshes_the_table_body(client: TestClient) -> None:
    html = client.get("/").text
    assert '<script src="/static/vendor/htmx.min.js"' in html
    assert "unpkg.com" not in html
    assert "cdn" not in html.lower()
    tbody = re.search(r"<tbody id=\"warning-rows\"[^>]*>", html)
    assert tbody is not None
    assert 'hx-get="/partials/warnings' in tbody.group(0)
    assert 'hx-trigger="every 5s"' in tbody.group(0)


def test_partial_returns_only_table_rows(client: TestClient) -> None:
    resp = client.get("/partials/warnings")
    assert resp.status_code == 200
    html = resp.text
    assert "<html" not in html
    assert "<tbody" not in html
    assert ROW.findall(html) == ["4", "1"]
    assert "特高危" in html


def test_partial_on_empty_store_says_so(empty_client: TestClient) -> None:
    html = empty_client.get("/partials/warnings").text
    assert ROW.findall(html) == []
    assert "暂无待处置的预警指令" in html


def test_overview_partial(client: TestClient) -> None:
    html = client.get("/partials/overview").text
    assert "<html" not in html
    assert 'data-total="open_warnings">2<' in html


def test_detail_page(client: TestClient, seeded: Seeded) -> None:
    resp = client.get(f"/warnings/{seeded.critical_id}")
    assert resp.status_code == 200
    html = resp.text
    assert "特高危" in html
    assert "建议保护性止付" in html
    assert "default-2025.1" in html
    assert UNIT_NAME in html
    assert "收款账户" in html
    assert MASKED_PAYEE_ACCOUNT in html
    assert "¥5,000.00" in html
    assert "涉诈号码" in html
    assert MASKED_FRAUD_PHONE in html
    assert MASKED_VICTIM_ID_NO in html
    assert "研判记录" in html


def test_detail_404_is_a_chinese_page(client: TestClient) -> None:
    resp = client.get("/warnings/99999")
    assert resp.status_code == 404
    assert resp.headers["content-type"].startswith("text/html")
    assert "未找到编号为 99999 的预警指令" in resp.text
    other = client.get("/no/such/page")
    assert other.status_code == 404
    assert "页面不存在" in other.text


def test_no_personal_data_in_any_page(client: TestClient, seeded: Seeded) -> None:
    pages = [
        client.get("/").text,
        client.get("/partials/warnings").text,
        client.get("/partials/overview").text,
        *(client.get(f"/warnings/{i}").text for i in (seeded.critical_id, seeded.low_id, seeded.closed_id)),
    ]
    blob = "\n".join(pages)
    for raw in RAW_VALUES:
        assert raw not in blob, f"unmasked value {raw!r} in console HTML"
    for masked in (
        MASKED_NAME,
        MASKED_SUBJECT_PHONE,
        MASKED_PAYEE_ACCOUNT,
        MASKED_FRAUD_PHONE,
        MASKED_LOW_ACCOUNT,
    ):
        assert masked in blob


def test_templates_escape_stored_text(client: TestClient, seeded: Seeded) -> None:
    for html in (client.get("/").text, client.get(f"/warnings/{seeded.low_id}").text):
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_static_files_are_served(client: TestClient) -> None:
    htmx = client.get("/static/vendor/htmx.min.js")
    assert htmx.status_code == 200
    assert len(htmx.content) > 10_000
    assert b"htmx" in htmx.content
    css = client.get("/static/app.css")
    assert css.status_code == 200
    assert "#d32f2f" in css.text
    assert client.get("/static/vendor/htmx.LICENSE").status_code == 200
