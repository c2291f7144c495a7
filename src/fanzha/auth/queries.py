"""Read side of the accounts: users and tokens of a principal's units, names masked, never a hash.

Records outside the principal's scope are looked up as if they did not exist (404 for the caller).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from fanzha.auth.lockout import LockoutPolicy
from fanzha.auth.model import Account, ApiToken, Principal, Role
from fanzha.auth.repository import AuthRepository
from fanzha.masking import mask_name


@dataclass(frozen=True, slots=True)
class UserSummary:
    """One account as listed (the API's shape): the personal name masked, no hash."""

    user_id: int
    username: str
    masked_name: str
    role: str
    unit_id: str
    active: bool
    locked: bool


@dataclass(frozen=True, slots=True)
class UserView(UserSummary):
    """One account as the administrator's page shows it."""

    role_label: str
    created_at: datetime


def _role_label(role: str) -> str:
    try:
        return Role(role).label
    except ValueError:
        return role


def user_view(row: Account, now: datetime) -> UserView:
    return UserView(
        user_id=row.user_id,
        username=row.username,
        masked_name=mask_name(row.display_name),
        role=row.role,
        role_label=_role_label(row.role),
        unit_id=row.unit_id,
        active=row.active,
        locked=LockoutPolicy().is_locked(row.locked_until, now),
        created_at=row.created_at,
    )


def users_of(session: Session, principal: Principal, now: datetime) -> list[UserView]:
    rows = AuthRepository(session).users_in(principal.unit_scope)
    return [user_view(r, now) for r in rows if principal.can_see(r.unit_id)]


def units_of(session: Session, principal: Principal) -> list[tuple[str, str]]:
    """(unit id, name) of the units the principal may put accounts in."""
    return [(u, n) for u, n in AuthRepository(session).unit_names() if principal.can_see(u)]


def tokens_of(session: Session, principal: Principal) -> list[ApiToken]:
    return [t for t in AuthRepository(session).tokens() if principal.can_see(t.unit_id)]


def scoped_user(session: Session, principal: Principal, user_id: int) -> Account | None:
    """The user if it exists within the principal's units, else None (404 for the caller)."""
    row = AuthRepository(session).user(user_id)
    return row if row is not None and principal.can_see(row.unit_id) else None


def scoped_token(session: Session, principal: Principal, token_id: int) -> ApiToken | None:
    row = AuthRepository(session).token(token_id)
    return row if row is not None and principal.can_see(row.unit_id) else None
