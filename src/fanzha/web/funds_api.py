"""Funds JSON API under `/api/funds`: the traced tree, stop orders, freezes, statistics. Accounts masked."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel

from fanzha.audit.model import Action
from fanzha.auth.model import Permission
from fanzha.funds import service
from fanzha.funds.model import AllocationRule
from fanzha.funds.repository import FundsRepository, StoreGraph
from fanzha.funds.stats import Period
from fanzha.funds.trace import Trace, TraceNode, TraceSettings
from fanzha.masking import mask_account
from fanzha.web.deps import DbSession, Principal, audit, require
from fanzha.web.present import DISPLAY_TZ, format_yuan

router = APIRouter(prefix="/api/funds", tags=["funds"])

FundsViewer = Annotated[Principal, require(Permission.FUNDS_VIEW)]
StatsViewer = Annotated[Principal, require(Permission.STATS_VIEW)]


class NodeOut(BaseModel):
    node_id: int
    parent_id: int | None
    level: int
    account: str  # masked
    payer: str  # masked
    at: datetime
    via_event_id: str
    amount_fen: int
    out_fen: int
    at_risk_fen: int


class AccountOut(BaseModel):
    account: str  # masked
    level: int
    received_fen: int
    at_risk_fen: int
    first_at: datetime


class TraceOut(BaseModel):
    root_event_ids: list[str]
    rule: str
    truncated: bool
    depth: int
    traced_fen: int
    at_risk_fen: int
    nodes: list[NodeOut]
    accounts: list[AccountOut]
    tree: list[dict[str, Any]]  # nested {name, value, children} for the console's ECharts tree


def _node(n: TraceNode) -> NodeOut:
    return NodeOut(
        node_id=n.node_id,
        parent_id=n.parent_id,
        level=n.level,
        account=mask_account(n.account),
        payer=mask_account(n.payer.removeprefix("account:")),
        at=n.at,
        via_event_id=n.via_event_id,
        amount_fen=n.amount_fen,
        out_fen=n.out_fen,
        at_risk_fen=n.at_risk_fen,
    )


def tree_json(tr: Trace) -> list[dict[str, Any]]:
    """The trace as nested dicts (masked), one per root, with level and amounts in each label."""
    kids = tr.by_parent()

    def build(n: TraceNode) -> dict[str, Any]:
        return {
            "name": f"L{n.level} {mask_account(n.account)}",
            "value": n.amount_fen,
            "label_amount": format_yuan(n.amount_fen),
            "at_risk": format_yuan(n.at_risk_fen),
            "children": [build(c) for c in kids.get(n.node_id, [])],
        }

    return [build(r) for r in kids.get(None, [])]


def trace_out(tr: Trace) -> TraceOut:
    return TraceOut(
        root_event_ids=list(tr.root_event_ids),
        rule=tr.rule.value,
        truncated=tr.truncated,
        depth=tr.depth,
        traced_fen=tr.traced_fen,
        at_risk_fen=tr.at_risk_fen,
        nodes=[_node(n) for n in tr.nodes],
        accounts=[
            AccountOut(
                account=mask_account(e.account),
                level=e.level,
                received_fen=e.received_fen,
                at_risk_fen=e.at_risk_fen,
                first_at=e.first_at,
            )
            for e in tr.exposures()
        ],
        tree=tree_json(tr),
    )


def visible_trace(
    request: Request, session: DbSession, principal: Principal, event_id: str, settings: TraceSettings
) -> Trace | None:
    """The trace of a victim transfer, if the caller's units cover the victim's account (else None).

    Every trace shown is audited: it names the accounts that received a victim's money.
    """
    root = StoreGraph(session).transfer(event_id)
    unit_id = FundsRepository(session).unit_of_account(root.payer) if root is not None else None
    if root is None or not principal.can_see(unit_id):
        return None
    audit(
        request,
        principal,
        Action.FUNDS_VIEW,
        object_type="transfer",
        object_id=event_id,
        object_unit_id=unit_id,
        fields=("masked",),
    )
    return service.trace_event(session, event_id, settings)


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
) -> TraceOut:
    """The fund chain of a victim's transfer: level-1, level-2 … accounts with the amount at risk on each."""
    tr = visible_trace(request, session, principal, event_id, TraceSettings(rule=rule, max_depth=depth))
    if tr is None:
        raise HTTPException(status_code=404, detail="transfer not found")
    return trace_out(tr)


class StopOut(BaseModel):
    order_id: str
    unit_id: str | None
    account: str  # masked
    layer: int
    status: str
    amount_fen: int
    stopped_at: datetime | None
    expires_at: datetime | None
    stop_count: int
    last_error: str | None


@router.get("/stops")
def list_stops(session: DbSession, principal: FundsViewer) -> list[StopOut]:
    """Stop-payment orders of the caller's units, newest first."""
    scope = None if principal.unit_scope is None else sorted(principal.unit_scope)
    return [
        StopOut(
            order_id=o.order_id,
            unit_id=o.unit_id,
            account=mask_account(o.payee_account),
            layer=o.layer,
            status=o.status.value,
            amount_fen=o.amount_fen,
            stopped_at=o.stopped_at,
            expires_at=o.expires_at,
            stop_count=o.stop_count,
            last_error=o.last_error,
        )
        for o in FundsRepository(session).list_stops(unit_ids=scope)
        if principal.can_see(o.unit_id)
    ]


class StatsOut(BaseModel):
    unit_id: str | None
    period: str
    stopped_fen: int
    stopped_accounts: int
    frozen_fen: int
    frozen_accounts: int
    returned_fen: int
    returned_people: int


@router.get("/stats")
def stats(session: DbSession, principal: StatsViewer, period: Period = Period.MONTH) -> list[StatsOut]:
    """Statistics feed: amounts stopped, frozen and returned, by unit and period (Beijing time)."""
    rows = service.statistics(session, period, DISPLAY_TZ)
    return [StatsOut.model_validate(r, from_attributes=True) for r in rows if principal.can_see(r.unit_id)]
