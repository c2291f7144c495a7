"""Account administration within a unit subtree, and a user's own password change.

A city administrator manages the users and API tokens of their unit and the units below it
(`Principal.can_see`); records outside that scope are looked up as if they did not exist.
Generated passwords are returned once and stored only as Argon2id hashes. Every change that
invalidates credentials revokes the affected sessions. Nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanzha.auth.lockout import LockoutPolicy
from fanzha.auth.model import Principal, Role
from fanzha.auth.passwords import Passwords, generate_password, password_problem
from fanzha.auth.tokens import hash_secret
from fanzha.masking import mask_name
from fanzha.store.accounts import AccountError, LoginResult, authenticate, create_user
from fanzha.store.auth_repository import AuthRepository
from fanzha.store.tables import UnitRow
from fanzha.store.tables_auth import ApiTokenRow, UserRow


@dataclass(frozen=True, slots=True)
class UserView:
    """One account as the administrator sees it: the personal name masked, no hash."""

    user_id: int
    username: str
    masked_name: str
    role: str
    role_label: str
    unit_id: str
    active: bool
    locked: bool
    created_at: datetime


def _role_label(role: str) -> str:
    try:
        return Role(role).label
    except ValueError:
        return role


def user_view(row: UserRow, now: datetime) -> UserView:
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
    rows = session.execute(select(UnitRow.unit_id, UnitRow.name).order_by(UnitRow.unit_id))
    return [(u, n) for u, n in rows if principal.can_see(u)]


def tokens_of(session: Session, principal: Principal) -> list[ApiTokenRow]:
    return [t for t in AuthRepository(session).tokens() if principal.can_see(t.unit_id)]


def scoped_user(session: Session, principal: Principal, user_id: int) -> UserRow | None:
    """The user if it exists within the principal's units, else None (404 for the caller)."""
    row = AuthRepository(session).user(user_id)
    return row if row is not None and principal.can_see(row.unit_id) else None


def scoped_token(session: Session, principal: Principal, token_id: int) -> ApiTokenRow | None:
    row = AuthRepository(session).token(token_id)
    return row if row is not None and principal.can_see(row.unit_id) else None


def add_user(
    session: Session,
    passwords: Passwords,
    principal: Principal,
    *,
    username: str,
    display_name: str,
    role: str,
    unit_id: str,
    now: datetime,
) -> tuple[int, str]:
    """Create an account in the principal's units with a generated password: (user id, password)."""
    username = username.strip()
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        raise AccountError("用户名须为 1 至 64 个字符，且不含空白")
    if role not in {r.value for r in Role}:
        raise AccountError("请选择有效的角色")
    if not principal.can_see(unit_id) or not AuthRepository(session).unit_exists(unit_id):
        raise AccountError("单位不存在或不在您的管辖范围内")
    if AuthRepository(session).user_by_name(username) is not None:
        raise AccountError("用户名已被使用")
    password = generate_password(username)
    user_id = create_user(
        session,
        passwords,
        username=username,
        password=password,
        role=role,
        unit_id=unit_id,
        now=now,
        display_name=display_name.strip()[:100] or None,
    )
    return user_id, password


def set_active(session: Session, user: UserRow, active: bool) -> None:
    """Enable or disable an account; disabling ends all its sessions at once."""
    repo = AuthRepository(session)
    repo.set_active(user.user_id, active)
    if not active:
        repo.revoke_sessions_of(user.user_id)


def unlock(session: Session, user: UserRow, now: datetime) -> None:
    """End a lock now. The lock's end is kept (`locked_until = now`) so failures before it no longer
    count towards the next lock."""
    AuthRepository(session).set_locked_until(user.user_id, now)


def reset_password(session: Session, passwords: Passwords, user: UserRow) -> tuple[str, int]:
    """A new generated password (returned once) and every session of the user revoked: (password, n)."""
    repo = AuthRepository(session)
    password = generate_password(user.username)
    repo.set_password_hash(user.user_id, passwords.hash(password))
    return password, repo.revoke_sessions_of(user.user_id)


def revoke_token(session: Session, token: ApiTokenRow) -> None:
    AuthRepository(session).revoke_token_id(token.token_id)


@dataclass(frozen=True, slots=True)
class PasswordChange:
    """The outcome of a self-service change: `problem` is a message safe to show, None on success."""

    problem: str | None
    result: LoginResult = LoginResult.OK
    just_locked: bool = False


def change_password(
    session: Session,
    passwords: Passwords,
    policy: LockoutPolicy,
    *,
    username: str,
    current: str,
    new: str,
    address: str,
    now: datetime,
    keep_session: str | None,
) -> PasswordChange:
    """Check the current password as a login would (attempt recorded, lockout applies), then set the
    new one under the creation rules and revoke every other session of the user."""
    login = authenticate(
        session, passwords, policy, username=username, password=current, address=address, now=now
    )
    if login.result is not LoginResult.OK or login.user is None:
        message = (
            "当前密码错误" if login.result is LoginResult.BAD_CREDENTIALS else "尝试次数过多，请稍后再试"
        )
        return PasswordChange(message, login.result, login.just_locked)
    problem = password_problem(new, username)
    if problem is None and new == current:
        problem = "新密码不能与当前密码相同"
    if problem is not None:
        return PasswordChange(problem)
    repo = AuthRepository(session)
    repo.set_password_hash(login.user.user_id, passwords.hash(new))
    repo.revoke_sessions_of(login.user.user_id, keep=hash_secret(keep_session) if keep_session else None)
    return PasswordChange(None)
