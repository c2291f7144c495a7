"""A real browser (Debian's Chromium, driven by Playwright) signs in, works the station queue, reveals.

Chromium must be installed (`sh scripts/install-test-deps.sh`, part of the README's test command):
without it this test fails rather than skips.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Page, expect, sync_playwright
from sqlalchemy import select

from fanzha.auth.model import Role
from fanzha.store.engine import make_engine, migrate, session_factory
from fanzha.store.tables_auth import AuditRow
from fanzha.web.app import create_app
from tests.web.auth_helpers import add_user, fast_settings
from tests.web.seed_data import MASKED_NAME, PERSON_ID_NO, PERSON_NAME, seed

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str, str, object]]:
    """The console on 127.0.0.1 (ephemeral port) over a seeded store, and a station officer's login."""
    engine = make_engine(f"sqlite:///{tmp_path / 'e2e.db'}")
    migrate(engine)
    seeded = seed(engine)
    username, password = add_user(engine, Role.STATION_OFFICER, "U1", username="officer-li")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(fast_settings(), engine), log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "console server did not start"
    try:
        yield f"http://127.0.0.1:{port}", username, password, (engine, seeded)
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        sock.close()
        engine.dispose()


def _login(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/")
    expect(page).to_have_url(f"{base}/login?next=/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(base + "/")


def test_officer_signs_in_works_the_queue_and_reveals(
    server: tuple[str, str, str, object], tmp_path: Path
) -> None:
    assert CHROMIUM.exists(), "Chromium is missing: run `sh scripts/install-test-deps.sh`"
    base, username, password, (engine, seeded) = server  # type: ignore[misc]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
            _login(page, base, username, password)
            rows = page.locator("#warning-rows tr")
            expect(rows).to_have_count(1)  # only the officer's own station: U1's CRITICAL warning
            expect(rows.first).to_contain_text(MASKED_NAME)
            expect(page.locator(".user-nav")).to_contain_text("派出所民警")
            page.screenshot(path=str(tmp_path / "queue.png"), full_page=True)
            # The queue refreshes over HTMX with the session (and its CSRF header) still valid.
            with page.expect_response(
                lambda r: "/partials/warnings" in r.url and r.status == 200, timeout=15000
            ):
                pass
            rows.first.get_by_role("link").click()
            expect(page.locator("h1")).to_contain_text(f"预警指令 #{seeded.critical_id}")
            assert PERSON_NAME not in page.content()
            page.get_by_label("用途").select_option("DISSUASION")
            page.get_by_role("button", name="查看完整信息").click()
            revealed = page.locator("#revealed")
            expect(revealed).to_contain_text(PERSON_NAME)
            expect(revealed).to_contain_text(PERSON_ID_NO)
            page.screenshot(path=str(tmp_path / "reveal.png"), full_page=True)
            page.get_by_role("button", name="退出").click()
            expect(page).to_have_url(base + "/login")
        finally:
            browser.close()
    with session_factory(engine)() as s:  # type: ignore[arg-type]
        actions = s.scalars(select(AuditRow.action).where(AuditRow.actor == username)).all()
    assert {"auth.login", "warning.list", "warning.view", "warning.reveal", "auth.logout"} <= set(actions)
