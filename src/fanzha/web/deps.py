"""Request-scoped dependencies shared by the API and the console: one read-only database session per
request, who is asking (and with which right), audit, the clocks and settings of the workflow and the
funds, and sending a committed change's instructions to the bank.

The caller is resolved once per request by `web.security.AuthMiddleware` (session cookie for the
console, `Authorization: Bearer <token>` for machine clients). Routes declare what they need:

    principal: CurrentPrincipal                                   # any signed-in caller
    principal: Annotated[Principal, require(Permission.WARNING_REVEAL)]  # a role right as well

and check `principal.can_see(unit_id)` on every unit-owned record (404 when it fails).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import Depends, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker

from fanzha.audit.model import Action, AuditEntry
from fanzha.auth.model import SYSTEM, Permission, Principal
from fanzha.clock import Clock
from fanzha.funds.service import FundsSettings
from fanzha.jobs.bank import exchange
from fanzha.jobs.bank.adapter import BankAdapter
from fanzha.settings import Settings
from fanzha.uow import UnitOfWork

__all__ = [
    "AUTH_ERRORS",
    "NO_WARNING",
    "SYSTEM",
    "CurrentPrincipal",
    "DbSession",
    "ForbiddenError",
    "FormFields",
    "LoginRequiredError",
    "Principal",
    "audit",
    "client_address",
    "current_principal",
    "not_visible",
    "require",
]


def get_session(request: Request) -> Iterator[Session]:
    """A session from the app's `sessionmaker`; the web layer only reads, so it is never committed."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    session = factory()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


DbSession = Annotated[Session, Depends(get_session)]


def form_fields(content_type: str, body: bytes) -> dict[str, str]:
    """An urlencoded form's fields (first value of each); other bodies yield nothing."""
    if not content_type.startswith("application/x-www-form-urlencoded"):
        return {}
    parsed = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {key: values[0] for key, values in parsed.items()}


async def read_form(request: Request) -> dict[str, str]:
    """The request's urlencoded form, so that routes reading a form can stay synchronous."""
    return form_fields(request.headers.get("content-type", ""), await request.body())


FormFields = Annotated[dict[str, str], Depends(read_form)]


class LoginRequiredError(Exception):
    """No valid session or token: 401 for the API, a redirect to /login for console pages."""


class ForbiddenError(Exception):
    """Signed in, but the role lacks the permission: 403."""

    def __init__(self, permission: str) -> None:
        super().__init__(permission)
        self.permission = permission


def current_principal(request: Request) -> Principal:
    """The signed-in caller, as resolved by the auth middleware."""
    principal = getattr(request.state, "principal", None)
    if not isinstance(principal, Principal):
        raise LoginRequiredError
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require(permission: Permission) -> Any:
    """A dependency: the caller, who must hold `permission` (403 otherwise, and audited)."""

    def dependency(request: Request, principal: CurrentPrincipal) -> Principal:
        if not principal.may(permission):
            audit(
                request,
                principal,
                Action.DENIED,
                object_type="permission",
                object_id=permission,
                outcome="denied",
            )
            raise ForbiddenError(permission)
        return principal

    return Depends(dependency)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def audit(
    request: Request,
    principal: Principal,
    action: str,
    *,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_unit_id: str | None = None,
    fields: Iterable[str] = (),
    purpose: str | None = None,
    outcome: str = "ok",
) -> None:
    """Append one row to the audit log, in its own committed transaction."""
    entry = AuditEntry(
        at=datetime.now(UTC),
        actor=principal.user_id,
        role=principal.role,
        unit_id=principal.unit_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        object_unit_id=object_unit_id,
        fields=tuple(fields),
        purpose=purpose,
        address=client_address(request),
        outcome=outcome,
    )
    write_audit(request.app.state.session_factory, entry)
    request.state.audited = True


def write_audit(factory: sessionmaker[Session], entry: AuditEntry) -> None:
    with UnitOfWork(factory) as uow:
        uow.audit.append(entry)
        uow.commit()


def not_visible(
    request: Request,
    principal: Principal,
    object_type: str,
    object_id: str | int,
    make: Callable[[], Exception],
) -> Exception:
    """Audit a refused look at another unit's record and return the (404) error to raise."""
    audit(
        request, principal, Action.DENIED, object_type=object_type, object_id=object_id, outcome="not_visible"
    )
    return make()


# Who may: the rights routes ask for -------------------------------------------------------------------
Lister = Annotated[Principal, require(Permission.WARNING_LIST)]
Viewer = Annotated[Principal, require(Permission.WARNING_VIEW)]
StatsViewer = Annotated[Principal, require(Permission.STATS_VIEW)]
FundsViewer = Annotated[Principal, require(Permission.FUNDS_VIEW)]
FundsActor = Annotated[Principal, require(Permission.FUNDS_ACT)]


class ErrorOut(BaseModel):
    detail: str


AUTH_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "no valid session or token"},
    403: {"model": ErrorOut, "description": "the role lacks the permission"},
}
NO_WARNING: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorOut, "description": "no such warning in your units"}
}


# Units of work, clocks and settings --------------------------------------------------------------------
def new_uow(request: Request) -> UnitOfWork:
    """A unit of work on the app's database, for a route that changes something (it commits)."""
    return UnitOfWork(request.app.state.session_factory)


def workflow_now(request: Request) -> datetime:
    now: datetime = request.app.state.workflow_clock.now()
    return now


def funds_clock(request: Request) -> Clock:
    clock: Clock = getattr(request.app.state, "funds_clock", None) or request.app.state.workflow_clock
    return clock


def funds_now(request: Request) -> datetime:
    return funds_clock(request).now()


def funds_config(request: Request) -> FundsSettings:
    cfg = getattr(request.app.state, "funds_settings", None)
    return cfg if isinstance(cfg, FundsSettings) else FundsSettings()


def bank_delivery(request: Request, target_id: str, first: tuple[str, str] | None = None) -> str:
    """Send what a committed change queued for the bank (and `first`, a STOP/FREEZE): QUEUED when no
    bank is configured (`fanzha funds retry` sends it later), else DONE, PENDING or RETRY."""
    settings: Settings = request.app.state.settings
    if not settings.funds_bank_url:
        return "QUEUED"
    with BankAdapter(settings.funds_bank_url, timeout_s=settings.funds_bank_timeout_s) as bank:
        outcome: str = exchange.deliver(
            bank, lambda: new_uow(request), funds_clock(request), target_id, first
        )
    return outcome


def stop_delivery(request: Request, order_id: str) -> str:
    """Send a new stop order: QUEUED (no bank configured), SENT, PENDING or RETRY."""
    settings: Settings = request.app.state.settings
    if not settings.funds_bank_url:
        return "QUEUED"
    with BankAdapter(settings.funds_bank_url, timeout_s=settings.funds_bank_timeout_s) as bank:
        outcome: str = exchange.deliver_stop(bank, lambda: new_uow(request), funds_clock(request), order_id)
    return outcome
