"""What prevention's routers share: its configuration and targeting, its rights, the public pages'
per-address limits, and the units a campaign may cover.

The public self-check and report pages and API are unauthenticated: they are limited per client address
(a sliding window in this process; behind a reverse proxy, the proxy must pass the client's address).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from fanzha.auth.model import Permission, Principal
from fanzha.jobs.prevention import PreventionSetup, setup_from_settings
from fanzha.prevention.throttle import SlidingWindow
from fanzha.warning.workflow_repository import load_units
from fanzha.web.deps import client_address, require


async def read_multi_form(request: Request) -> dict[str, list[str]]:
    """An urlencoded form with every value of each field (checkboxes give a field several)."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return {}
    return parse_qs((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)


MultiForm = Annotated[dict[str, list[str]], Depends(read_multi_form)]
PreventionActor = Annotated[Principal, require(Permission.PREVENTION_ACT)]
Reviewer = Annotated[Principal, require(Permission.REPORTS_REVIEW)]
_LOCK = threading.Lock()


def prevention_setup(request: Request) -> PreventionSetup:
    """The app's prevention configuration and targeting (read once, when first asked for)."""
    with _LOCK:
        return _setup(request)


def _windows(request: Request) -> dict[str, SlidingWindow]:
    with _LOCK:
        windows = getattr(request.app.state, "prevention_windows", None)
        if not isinstance(windows, dict):
            limits = _setup(request).config.selfcheck
            windows = {
                "check": SlidingWindow(limits.max_queries, timedelta(minutes=limits.query_window_minutes)),
                "report": SlidingWindow(limits.max_reports, timedelta(minutes=limits.report_window_minutes)),
            }
            request.app.state.prevention_windows = windows
        return windows


def _setup(request: Request) -> PreventionSetup:
    setup = getattr(request.app.state, "prevention", None)
    if not isinstance(setup, PreventionSetup):
        setup = setup_from_settings(request.app.state.settings)
        request.app.state.prevention = setup
    return setup


def throttled(request: Request, name: str) -> int | None:
    """None if the caller's address may make one more `name` request now, else seconds to wait."""
    window = _windows(request)[name]
    address, now = client_address(request), datetime.now(UTC)
    if window.allow(address, now):
        return None
    return window.retry_after(address, now)


def campaign_units(session: Session, principal: Principal, unit_id: str) -> frozenset[str] | None:
    """The unit and every unit below it, if the caller may run a campaign there; else None."""
    tree = load_units(session)
    if unit_id not in tree.units or not principal.can_see(unit_id):
        return None
    return tree.subtree(unit_id)
