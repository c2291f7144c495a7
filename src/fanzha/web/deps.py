"""Request-scoped dependencies: one read-only database session per request, who is asking, and audit.

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
from sqlalchemy.orm import Session, sessionmaker

from fanzha.audit.model import Action, AuditEntry
from fanzha.audit.repository import AuditRepository
from fanzha.auth.model import SYSTEM, Permission, Principal
from fanzha.uow import UnitOfWork

__all__ = [
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
        AuditRepository(uow.session).append(entry)
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
