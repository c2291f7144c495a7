"""Account services: create users and tokens, log in with lockout, resolve sessions and tokens, and the
city administrator's changes within a unit subtree (add, disable, unlock, reset, revoke) and a user's own
password change.

They work inside a caller's transaction (a `UnitOfWork` session) and never commit themselves.
A city administrator manages the users and API tokens of their unit and the units below it
(`Principal.can_see`; see `auth/queries.py` for the scoped look-ups). Generated passwords are returned
once and stored only as Argon2id hashes. Every change that invalidates credentials revokes the
affected sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from fanzha.auth.lockout import LockoutPolicy
from fanzha.auth.model import Account, ApiToken, Principal, Role
from fanzha.auth.passwords import Passwords, generate_password, password_problem
from fanzha.auth.repository import AuthRepository
from fanzha.auth.scope import unit_scope
from fanzha.auth.tokens import hash_secret, new_api_token, new_secret

TOUCH_EVERY = timedelta(minutes=1)  # write last_seen at most once a minute per session


class AccountError(ValueError):
    """A user or token that cannot be created as asked; the message is safe to show."""


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)


class LoginResult(StrEnum):
    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"  # the account is locked (even a correct password fails)
    THROTTLED = "throttled"  # too many failures from this address


@dataclass(frozen=True, slots=True)
class Login:
    result: LoginResult
    user: Account | None = None
    just_locked: bool = False


@dataclass(frozen=True, slots=True)
class OpenedSession:
    token: str  # goes into the cookie; only its hash is stored
    csrf_token: str


def _check_role_unit(repo: AuthRepository, role: str, unit_id: str) -> None:
    try:
        Role(role)
    except ValueError:
        raise AccountError(f"unknown role: {role}; one of {', '.join(r.value for r in Role)}") from None
    if not repo.unit_exists(unit_id):
        raise AccountError(f"unknown unit: {unit_id}")


def create_user(
    session: Session,
    passwords: Passwords,
    *,
    username: str,
    password: str,
    role: str,
    unit_id: str,
    now: datetime,
    display_name: str | None = None,
) -> int:
    """A new active user; weak passwords, unknown roles or units and taken names are refused."""
    repo = AuthRepository(session)
    username = username.strip()
    if not username or len(username) > 64:
        raise AccountError("username must be 1 to 64 characters")
    _check_role_unit(repo, role, unit_id)
    problem = password_problem(password, username)
    if problem is not None:
        raise AccountError(problem)
    if repo.user_by_name(username) is not None:
        raise AccountError(f"username already taken: {username}")
    return repo.add_user(
        username=username,
        display_name=display_name or username,
        password_hash=passwords.hash(password),
        role=role,
        unit_id=unit_id,
        now=now,
    )


def create_token(
    session: Session, *, name: str, role: str, unit_id: str, now: datetime, valid_days: int | None
) -> str:
    """A new API token for a machine client; the returned secret is shown once and stored hashed."""
    repo = AuthRepository(session)
    _check_role_unit(repo, role, unit_id)
    if any(t.name == name for t in repo.tokens()):
        raise AccountError(f"token name already taken: {name}")
    token = new_api_token()
    expires = now + timedelta(days=valid_days) if valid_days else None
    repo.add_token(
        name=name, token_hash=hash_secret(token), role=role, unit_id=unit_id, now=now, expires_at=expires
    )
    return token


def authenticate(
    session: Session,
    passwords: Passwords,
    policy: LockoutPolicy,
    *,
    username: str,
    password: str,
    address: str,
    now: datetime,
) -> Login:
    """Check a login, record the attempt, and lock the account when failures reach the limit."""
    repo = AuthRepository(session)
    if policy.address_throttled(repo.address_failures_since(address, policy.window_start(now))):
        repo.record_attempt(username=username, address=address, at=now, success=False)
        return Login(LoginResult.THROTTLED)
    user = repo.user_by_name(username)
    if user is not None and policy.is_locked(user.locked_until, now):
        repo.record_attempt(username=username, address=address, at=now, success=False)
        return Login(LoginResult.LOCKED, user)
    ok = passwords.verify(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        repo.record_attempt(username=username, address=address, at=now, success=False)
        if user is None:
            return Login(LoginResult.BAD_CREDENTIALS)
        failures = repo.failures_since(username, policy.window_start(now), user.locked_until)
        until = policy.lock_after(failures, now)
        if until is not None:
            repo.set_locked_until(user.user_id, until)
            return Login(LoginResult.LOCKED, user, just_locked=True)
        return Login(LoginResult.BAD_CREDENTIALS, user)
    repo.record_attempt(username=username, address=address, at=now, success=True)
    if user.locked_until is not None:
        repo.set_locked_until(user.user_id, None)
    if passwords.needs_rehash(user.password_hash):
        repo.set_password_hash(user.user_id, passwords.hash(password))
    return Login(LoginResult.OK, user)


def open_session(
    session: Session, policy: SessionPolicy, *, user_id: int, address: str, now: datetime
) -> OpenedSession:
    token, csrf = new_secret(), new_secret()
    AuthRepository(session).add_session(
        token_hash=hash_secret(token),
        user_id=user_id,
        csrf_token=csrf,
        now=now,
        expires_at=now + policy.absolute,
        address=address,
    )
    return OpenedSession(token=token, csrf_token=csrf)


def principal_for(repo: AuthRepository, user_id: str, role: str, unit_id: str, name: str) -> Principal:
    return Principal(
        user_id=user_id,
        role=role,
        unit_id=unit_id,
        unit_scope=unit_scope(unit_id, repo.unit_tree()),
        display_name=name,
    )


@dataclass(frozen=True, slots=True)
class Resolved:
    principal: Principal
    csrf_token: str | None  # None for API tokens, which need no CSRF protection


def resolve_session(session: Session, policy: SessionPolicy, token: str, now: datetime) -> Resolved | None:
    """The principal behind a session cookie, or None if it is unknown, revoked, idle or expired."""
    repo = AuthRepository(session)
    token_hash = hash_secret(token)
    row = repo.session(token_hash)
    if row is None or row.revoked or now >= row.expires_at or now - row.last_seen_at >= policy.idle:
        return None
    user = repo.user(row.user_id)
    if user is None or not user.active:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        repo.touch_session(token_hash, now)
    principal = principal_for(repo, user.username, user.role, user.unit_id, user.display_name)
    return Resolved(principal, row.csrf_token)


def resolve_token(session: Session, token: str, now: datetime) -> Resolved | None:
    """The principal behind an API token, or None if it is unknown, revoked or expired."""
    repo = AuthRepository(session)
    row = repo.token_by_hash(hash_secret(token))
    if row is None or row.revoked or (row.expires_at is not None and now >= row.expires_at):
        return None
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        repo.touch_token(row.token_id, now)
    return Resolved(principal_for(repo, f"token:{row.name}", row.role, row.unit_id, row.name), None)


def end_session(session: Session, token: str) -> None:
    AuthRepository(session).revoke_session(hash_secret(token))


# Administration within the principal's units ---------------------------------------------------------


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


def set_active(session: Session, user: Account, active: bool) -> None:
    """Enable or disable an account; disabling ends all its sessions at once."""
    repo = AuthRepository(session)
    repo.set_active(user.user_id, active)
    if not active:
        repo.revoke_sessions_of(user.user_id)


def unlock(session: Session, user: Account, now: datetime) -> None:
    """End a lock now. The lock's end is kept (`locked_until = now`) so failures before it no longer
    count towards the next lock."""
    AuthRepository(session).set_locked_until(user.user_id, now)


def reset_password(session: Session, passwords: Passwords, user: Account) -> tuple[str, int]:
    """A new generated password (returned once) and every session of the user revoked: (password, n)."""
    repo = AuthRepository(session)
    password = generate_password(user.username)
    repo.set_password_hash(user.user_id, passwords.hash(password))
    return password, repo.revoke_sessions_of(user.user_id)


def revoke_token(session: Session, token: ApiToken) -> None:
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
