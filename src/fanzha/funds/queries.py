"""The funds' read side: frozen, masked read models that the console, the API and the CLI all render.

Accounts are masked everywhere (`6222****1234`); amounts stay in fen (the views format yuan).
Scoping by unit is the caller's principal: a record outside it is treated as missing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from fanzha.auth.model import Principal
from fanzha.funds import followups
from fanzha.funds.labels import FreezeView, HoldView, StopView, freeze_view, hold_view, stop_view
from fanzha.funds.model import Edge, FreezeOrder, HoldStatus, ProtectiveHold, StopPaymentOrder
from fanzha.funds.repository import FundsRepository, StoreGraph
from fanzha.funds.returns import ReturnDecision, ReturnPlan
from fanzha.funds.service import FundsSettings
from fanzha.funds.trace import Trace, TraceNode
from fanzha.masking import mask_account
from fanzha.present import format_yuan

STOP_LEVELS = (1, 2)  # 紧急止付 is offered on the level-1 and level-2 accounts of a trace


# -- tracing ----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class NodeView:
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


@dataclass(frozen=True, slots=True)
class AccountView:
    account: str  # masked
    level: int
    received_fen: int
    at_risk_fen: int
    first_at: datetime


@dataclass(frozen=True, slots=True)
class TraceView:
    root_event_ids: tuple[str, ...]
    rule: str
    truncated: bool
    depth: int
    traced_fen: int
    at_risk_fen: int
    nodes: tuple[NodeView, ...]
    accounts: tuple[AccountView, ...]
    tree: list[dict[str, Any]]  # nested {name, value, children} for the console's ECharts tree


def transfer_owner(session: Session, event_id: str) -> tuple[Edge | None, str | None]:
    """A victim's transfer and the unit of the person whose account paid it (who may see its trace)."""
    root = StoreGraph(session).transfer(event_id)
    unit_id = FundsRepository(session).unit_of_account(root.payer) if root is not None else None
    return root, unit_id


def transfer(session: Session, event_id: str) -> Edge | None:
    return StoreGraph(session).transfer(event_id)


def _node(n: TraceNode) -> NodeView:
    return NodeView(
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


def trace_view(tr: Trace) -> TraceView:
    return TraceView(
        root_event_ids=tuple(tr.root_event_ids),
        rule=tr.rule.value,
        truncated=tr.truncated,
        depth=tr.depth,
        traced_fen=tr.traced_fen,
        at_risk_fen=tr.at_risk_fen,
        nodes=tuple(_node(n) for n in tr.nodes),
        accounts=tuple(
            AccountView(mask_account(e.account), e.level, e.received_fen, e.at_risk_fen, e.first_at)
            for e in tr.exposures()
        ),
        tree=tree_json(tr),
    )


@dataclass(frozen=True, slots=True)
class StopCandidate:
    """A level-1/level-2 account of a trace, offered for 紧急止付 with a fresh form key."""

    via_event_id: str
    level: int
    account: str  # masked
    amount_fen: int
    at_risk_fen: int
    at: datetime
    stops: int  # stops already counted on the account
    max_stops: int
    key: str  # a fresh idempotency key for this form


def candidates(session: Session, tr: Trace, max_stops: int) -> list[StopCandidate]:
    """The level-1 and level-2 accounts of a trace, each with its stop count and a fresh form key."""
    repo = FundsRepository(session)
    return [
        StopCandidate(
            via_event_id=n.via_event_id,
            level=n.level,
            account=mask_account(n.account),
            amount_fen=n.amount_fen,
            at_risk_fen=n.at_risk_fen,
            at=n.at,
            stops=repo.stops_on(n.account),
            max_stops=max_stops,
            key=uuid.uuid4().hex,
        )
        for n in sorted(tr.nodes, key=lambda n: (n.level, -n.at_risk_fen))
        if n.level in STOP_LEVELS
    ]


# -- orders, freezes, holds ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class StopSummary:
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


def _scope(principal: Principal) -> list[str] | None:
    return None if principal.unit_scope is None else sorted(principal.unit_scope)


def stop_summaries(session: Session, principal: Principal) -> list[StopSummary]:
    """Stop-payment orders of the principal's units, newest first."""
    return [
        StopSummary(
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
        for o in FundsRepository(session).list_stops(unit_ids=_scope(principal))
        if principal.can_see(o.unit_id)
    ]


@dataclass(frozen=True, slots=True)
class HoldDetail:
    """A protective hold as the API shows it: accounts masked."""

    hold_id: str
    unit_id: str | None
    subject_id: str
    accounts: tuple[str, ...]  # masked
    imposed_by: str
    status: HoldStatus
    proposed_at: datetime
    confirmed_by: str | None
    starts_at: datetime | None
    planned_end: datetime | None
    released_at: datetime | None
    release_reason: str | None


def hold_detail(h: ProtectiveHold) -> HoldDetail:
    return HoldDetail(
        hold_id=h.hold_id,
        unit_id=h.unit_id,
        subject_id=h.subject_id,
        accounts=tuple(mask_account(a) for a in h.accounts),
        imposed_by=h.imposed_by,
        status=h.status,
        proposed_at=h.proposed_at,
        confirmed_by=h.confirmed_by,
        starts_at=h.starts_at,
        planned_end=h.planned_end,
        released_at=h.released_at,
        release_reason=h.release_reason,
    )


def hold_details(session: Session, principal: Principal) -> list[HoldDetail]:
    """Protective holds of the principal's units, newest change first."""
    holds = FundsRepository(session).list_holds(unit_ids=_scope(principal))
    return [hold_detail(h) for h in holds if principal.can_see(h.unit_id)]


@dataclass(frozen=True, slots=True)
class Orders:
    """The 止付冻结 page: stops with their countdown, freezes, holds awaiting or in force, alerts."""

    stops: tuple[StopView, ...]
    freezes: tuple[FreezeView, ...]
    proposed: tuple[HoldView, ...]
    holds: tuple[HoldView, ...]
    alerts: tuple[StopView | FreezeView, ...]


def orders(session: Session, principal: Principal, now: datetime, cfg: FundsSettings) -> Orders:
    repo, scope = FundsRepository(session), _scope(principal)
    stops = [stop_view(o, now, cfg) for o in repo.list_stops(unit_ids=scope) if principal.can_see(o.unit_id)]
    visible = [f for f in repo.list_freezes(unit_ids=scope) if principal.can_see(f.unit_id)]
    holds = [h for h in repo.list_holds(unit_ids=scope) if principal.can_see(h.unit_id)]
    follow: dict[str, list[followups.FollowUp]] = {}
    for f in followups.follow_ups(
        session, target_ids=[x.freeze_id for x in visible] + [h.hold_id for h in holds]
    ):
        follow.setdefault(f.target_id, []).append(f)
    freezes = [freeze_view(f, now, cfg, tuple(follow.get(f.freeze_id, ()))) for f in visible]
    return Orders(
        stops=tuple(stops),
        freezes=tuple(freezes),
        proposed=tuple(hold_view(h) for h in holds if h.status is HoldStatus.PROPOSED),
        holds=tuple(
            hold_view(h, tuple(follow.get(h.hold_id, ())))
            for h in holds
            if h.status is not HoldStatus.PROPOSED
        ),
        alerts=tuple([s for s in stops if s.alert] + [f for f in freezes if f.alert]),
    )


# -- returns -----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ShareView:
    victim_id: str
    traced_fen: int
    pro_rata_fen: int


@dataclass(frozen=True, slots=True)
class PlanView:
    frozen_fen: int
    pro_rata: str
    notice_ends_at: datetime | None
    payable_fen: int
    remainder_fen: int
    shares: tuple[ShareView, ...]


@dataclass(frozen=True, slots=True)
class DecisionView:
    decision_no: str
    victim_id: str
    from_account: str  # masked
    to_account: str  # masked
    amount_fen: int
    basis: str
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class DecidedView:
    plan: PlanView
    decisions: tuple[DecisionView, ...]
    pro_rata_refused: bool


def plan_view(p: ReturnPlan) -> PlanView:
    return PlanView(
        frozen_fen=p.frozen_fen,
        pro_rata=p.pro_rata.value,
        notice_ends_at=p.notice_ends_at,
        payable_fen=p.payable_fen,
        remainder_fen=p.remainder_fen,
        shares=tuple(ShareView(s.victim_id, s.traced_fen, s.pro_rata_fen) for s in p.shares),
    )


def decision_view(d: ReturnDecision) -> DecisionView:
    return DecisionView(
        decision_no=d.decision_no,
        victim_id=d.victim_id,
        from_account=mask_account(d.from_account),
        to_account=mask_account(d.to_account),
        amount_fen=d.amount_fen,
        basis=d.basis,
        decided_at=d.decided_at,
    )


def decided_view(
    plan: ReturnPlan, decisions: tuple[ReturnDecision, ...], pro_rata_refused: bool
) -> DecidedView:
    return DecidedView(plan_view(plan), tuple(decision_view(d) for d in decisions), pro_rata_refused)


# -- single records, for scope checks (the caller masks what it shows) ------------------------------------
def freeze(session: Session, freeze_id: str) -> FreezeOrder | None:
    return FundsRepository(session).get_freeze(freeze_id)


def hold(session: Session, hold_id: str) -> ProtectiveHold | None:
    return FundsRepository(session).get_hold(hold_id)


def stop(session: Session, order_id: str) -> StopPaymentOrder | None:
    return FundsRepository(session).get_stop(order_id)


def bank_of(session: Session, account: str) -> str | None:
    return FundsRepository(session).bank_of(account)
