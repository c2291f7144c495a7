"""紧急止付 from the trace page: one form per level-1/level-2 account, for funds.act roles.

The form names the transfer that brought the victim's money to the account (never the account itself,
which the page shows only masked) and carries an idempotency key: the order id is derived from it, so a
stale double submit finds the first order instead of creating a second one. The order is sent through
the bank exchange when `FANZHA_FUNDS_BANK_URL` is set; otherwise it waits for `fanzha funds retry`.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fanzha.audit.model import Action
from fanzha.funds import service
from fanzha.funds.repository import FundsRepository, StoreGraph
from fanzha.funds.stop_payment import StopLimitError
from fanzha.funds.trace import Trace, TraceNode, TraceSettings
from fanzha.jobs.bank import exchange
from fanzha.jobs.bank.adapter import BankAdapter
from fanzha.masking import mask_account
from fanzha.settings import Settings
from fanzha.uow import UnitOfWork
from fanzha.web.deps import Principal, audit
from fanzha.web.funds_orders import funds_clock, funds_config

STOP_LEVELS = (1, 2)
KEY = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True, slots=True)
class StopCandidate:
    via_event_id: str
    level: int
    account: str  # masked
    amount_fen: int
    at_risk_fen: int
    at: Any
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


def order_id_for(key: str, via_event_id: str, user_id: str) -> str:
    digest = hashlib.sha256(f"{key}|{via_event_id}|{user_id}".encode()).hexdigest()
    return f"ZF{digest[:12].upper()}"


def _node(tr: Trace, via_event_id: str) -> TraceNode | None:
    return next((n for n in tr.nodes if n.level in STOP_LEVELS and n.via_event_id == via_event_id), None)


class StopFormError(ValueError):
    """A refused stop, with the Chinese message for the page and its HTTP status."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


def create_stop(
    request: Request, principal: Principal, event_id: str, fields: dict[str, str]
) -> tuple[str, bool]:
    """Create the order for the posted account: (order id, created). Raises StopFormError or LookupError."""
    key, via = fields.get("idempotency_key", ""), fields.get("via_event_id", "")
    if not KEY.match(key) or not via:
        raise StopFormError("表单已失效，请刷新页面后重试。")
    order_id = order_id_for(key, via, principal.user_id)
    with UnitOfWork(request.app.state.session_factory) as uow:
        repo = FundsRepository(uow.session)
        root = StoreGraph(uow.session).transfer(event_id)
        if root is None or not principal.can_see(repo.unit_of_account(root.payer)):
            raise LookupError(event_id)
        if repo.get_stop(order_id) is not None:
            return order_id, False
        tr = service.trace_event(uow.session, event_id, TraceSettings(max_depth=max(STOP_LEVELS)))
        node = _node(tr, via) if tr is not None else None
        if node is None:
            raise StopFormError("该账户不是本笔转账的一级或二级账户。")
        payer = node.payer.removeprefix("account:")
        try:
            service.new_stop(
                uow.session,
                unit_id=principal.unit_id,
                payee_account=node.account,
                amount_fen=node.amount_fen,
                txn_time=node.at,
                payer_account=payer,
                layer=node.level,
                parent_account=payer if node.level > 1 else None,
                settings=funds_config(request),
                order_id=order_id,
                payee_bank=repo.bank_of(node.account),
            )
            uow.commit()
        except StopLimitError as exc:
            raise StopFormError(
                f"该账户已被止付 {exc.prior} 次，同一账户最多止付 {exc.limit} 次，不能再次止付；请办理冻结。"
            ) from exc
        except IntegrityError:  # the same key posted twice at once: the other request created it
            return order_id, False
    audit(
        request,
        principal,
        Action.CHANGE,
        object_type="stop_order",
        object_id=order_id,
        object_unit_id=principal.unit_id,
        purpose="stop",
    )
    return order_id, True


def send_stop(request: Request, order_id: str) -> str:
    """Send the order to the bank if an endpoint is configured; the notice code for the page."""
    settings: Settings = request.app.state.settings
    if not settings.funds_bank_url:
        return "stop_queued"
    factory = request.app.state.session_factory
    with BankAdapter(settings.funds_bank_url, timeout_s=settings.funds_bank_timeout_s) as bank:
        outcomes = exchange.send(lambda: UnitOfWork(factory), bank, "STOP", order_id, funds_clock(request))
    if not outcomes:
        return "stop_pending"
    return "stop_sent" if "APPLIED" in outcomes else "stop_retry"


def stop_response(request: Request, order_id: str, created: bool) -> Response:
    notice = send_stop(request, order_id) if created else "stop_duplicate"
    return RedirectResponse(f"/funds/orders?notice={notice}&order={order_id}", status_code=303)
