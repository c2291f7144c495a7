"""Funds in the JSON API under `/api/funds`: the traced tree, stop orders, statistics. Accounts masked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from fanzha.audit.model import Action
from fanzha.funds import queries as fq
from fanzha.funds import service
from fanzha.funds.model import AllocationRule
from fanzha.funds.stats import Period, StatsRow
from fanzha.funds.trace import TraceSettings
from fanzha.present import DISPLAY_TZ
from fanzha.web.deps import DbSession, FundsViewer, StatsViewer, audit

router = APIRouter(prefix="/api/funds", tags=["funds"])

Depth = Annotated[int | None, Query(ge=1, le=50)]


@router.get("/trace/{event_id}")
def get_trace(
    *,
    request: Request,
    event_id: str,
    session: DbSession,
    principal: FundsViewer,
    depth: Depth = None,
    rule: AllocationRule = AllocationRule.GREEDY,
) -> fq.TraceView:
    """The fund chain of a victim's transfer: level-1, level-2 … accounts with the amount at risk on each.

    Every trace shown is audited: it names the accounts that received a victim's money."""
    root, unit_id = fq.transfer_owner(session, event_id)
    if root is None or not principal.can_see(unit_id):
        raise HTTPException(status_code=404, detail="transfer not found")
    audit(
        request,
        principal,
        Action.FUNDS_VIEW,
        object_type="transfer",
        object_id=event_id,
        object_unit_id=unit_id,
        fields=("masked",),
    )
    tr = service.trace_event(session, event_id, TraceSettings(rule=rule, max_depth=depth))
    if tr is None:
        raise HTTPException(status_code=404, detail="transfer not found")
    return fq.trace_view(tr)


@router.get("/stops")
def list_stops(session: DbSession, principal: FundsViewer) -> list[fq.StopSummary]:
    """Stop-payment orders of the caller's units, newest first."""
    return fq.stop_summaries(session, principal)


@router.get("/stats")
def stats(session: DbSession, principal: StatsViewer, period: Period = Period.MONTH) -> list[StatsRow]:
    """Statistics feed: amounts stopped, frozen and returned, by unit and period (Beijing time)."""
    return [r for r in service.statistics(session, period, DISPLAY_TZ) if principal.can_see(r.unit_id)]
