"""All SQL of accounts, sessions, API tokens and login attempts. Nothing here commits.

Rows never leave this module: readers get the frozen records of `auth/model.py`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from fanzha.auth.model import Account, ApiToken, ConsoleSession
from fanzha.store.tables import UnitRow
from fanzha.store.tables_auth import ApiTokenRow, LoginAttemptRow, SessionRow, UserRow


def _account(row: UserRow) -> Account:
    return Account(
        user_id=row.user_id,
        username=row.username,
        display_name=row.display_name,
        password_hash=row.password_hash,
        role=row.role,
        unit_id=row.unit_id,
        active=row.active,
        locked_until=row.locked_until,
        created_at=row.created_at,
    )


def _token(row: ApiTokenRow) -> ApiToken:
    return ApiToken(
        token_id=row.token_id,
        name=row.name,
        token_hash=row.token_hash,
        role=row.role,
        unit_id=row.unit_id,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked=row.revoked,
        last_used_at=row.last_used_at,
    )


def _session_record(row: SessionRow) -> ConsoleSession:
    return ConsoleSession(
        token_hash=row.token_hash,
        user_id=row.user_id,
        csrf_token=row.csrf_token,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        expires_at=row.expires_at,
        revoked=row.revoked,
        address=row.address,
    )


class AuthRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # --- users -------------------------------------------------------------------------------
    def add_user(
        self, *, username: str, display_name: str, password_hash: str, role: str, unit_id: str, now: datetime
    ) -> int:
        row = UserRow(
            username=username,
            display_name=display_name,
            password_hash=password_hash,
            role=role,
            unit_id=unit_id,
            active=True,
            created_at=now,
        )
        self._session.add(row)
        self._session.flush()
        return row.user_id

    def user_by_name(self, username: str) -> Account | None:
        row = self._session.scalars(select(UserRow).where(UserRow.username == username)).one_or_none()
        return _account(row) if row is not None else None

    def user(self, user_id: int) -> Account | None:
        row = self._session.get(UserRow, user_id)
        return _account(row) if row is not None else None

    def set_locked_until(self, user_id: int, until: datetime | None) -> None:
        self._session.execute(update(UserRow).where(UserRow.user_id == user_id).values(locked_until=until))

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self._session.execute(
            update(UserRow).where(UserRow.user_id == user_id).values(password_hash=password_hash)
        )

    def unit_tree(self) -> list[tuple[str, str, str | None]]:
        """(unit_id, level, parent_id) of every unit, for scope computation."""
        stmt = select(UnitRow.unit_id, UnitRow.level, UnitRow.parent_id)
        return [(u, lvl, p) for u, lvl, p in self._session.execute(stmt)]

    def unit_exists(self, unit_id: str) -> bool:
        return self._session.get(UnitRow, unit_id) is not None

    def unit_names(self) -> list[tuple[str, str]]:
        """(unit id, name) of every unit, by id."""
        rows = self._session.execute(select(UnitRow.unit_id, UnitRow.name).order_by(UnitRow.unit_id))
        return [(u, n) for u, n in rows]

    # --- login attempts ----------------------------------------------------------------------
    def record_attempt(self, *, username: str, address: str, at: datetime, success: bool) -> None:
        self._session.execute(
            insert(LoginAttemptRow).values(
                username=username[:64], address=address[:64], at=at, success=success
            )
        )

    def failures_since(self, username: str, since: datetime, after: datetime | None = None) -> int:
        """Failed logins of `username` after `since`, after its last successful login and after
        `after` (the end of its last lock, so an unlocked account starts counting afresh)."""
        last_ok = self._session.scalar(
            select(func.max(LoginAttemptRow.at)).where(
                LoginAttemptRow.username == username, LoginAttemptRow.success.is_(True)
            )
        )
        start = max(t for t in (since, last_ok, after) if t is not None)
        return self._count_failures(LoginAttemptRow.username == username, start)

    def address_failures_since(self, address: str, since: datetime) -> int:
        return self._count_failures(LoginAttemptRow.address == address, since)

    def _count_failures(self, condition: ColumnElement[bool], since: datetime) -> int:
        stmt = (
            select(func.count())
            .select_from(LoginAttemptRow)
            .where(condition, LoginAttemptRow.success.is_(False), LoginAttemptRow.at > since)
        )
        return int(self._session.scalar(stmt) or 0)

    # --- sessions ----------------------------------------------------------------------------
    def add_session(
        self,
        *,
        token_hash: str,
        user_id: int,
        csrf_token: str,
        now: datetime,
        expires_at: datetime,
        address: str,
    ) -> None:
        self._session.add(
            SessionRow(
                token_hash=token_hash,
                user_id=user_id,
                csrf_token=csrf_token,
                created_at=now,
                last_seen_at=now,
                expires_at=expires_at,
                revoked=False,
                address=address[:64],
            )
        )

    def session(self, token_hash: str) -> ConsoleSession | None:
        row = self._session.get(SessionRow, token_hash)
        return _session_record(row) if row is not None else None

    def touch_session(self, token_hash: str, now: datetime) -> None:
        self._session.execute(
            update(SessionRow).where(SessionRow.token_hash == token_hash).values(last_seen_at=now)
        )

    def revoke_session(self, token_hash: str) -> None:
        self._session.execute(
            update(SessionRow).where(SessionRow.token_hash == token_hash).values(revoked=True)
        )

    def revoke_sessions_of(self, user_id: int, keep: str | None = None) -> int:
        """Revoke every live session of the user except the one whose hash is `keep`; how many."""
        stmt = update(SessionRow).where(SessionRow.user_id == user_id, SessionRow.revoked.is_(False))
        if keep is not None:
            stmt = stmt.where(SessionRow.token_hash != keep)
        result = self._session.execute(stmt.values(revoked=True))
        return int(getattr(result, "rowcount", 0) or 0)

    def users_in(self, unit_ids: frozenset[str] | None) -> list[Account]:
        """Users of these units (None: every user), by unit then name."""
        stmt = select(UserRow).order_by(UserRow.unit_id, UserRow.username)
        if unit_ids is not None:
            stmt = stmt.where(UserRow.unit_id.in_(sorted(unit_ids)))
        return [_account(r) for r in self._session.scalars(stmt)]

    def set_active(self, user_id: int, active: bool) -> None:
        self._session.execute(update(UserRow).where(UserRow.user_id == user_id).values(active=active))

    # --- API tokens --------------------------------------------------------------------------
    def add_token(
        self,
        *,
        name: str,
        token_hash: str,
        role: str,
        unit_id: str,
        now: datetime,
        expires_at: datetime | None,
    ) -> int:
        row = ApiTokenRow(
            name=name,
            token_hash=token_hash,
            role=role,
            unit_id=unit_id,
            created_at=now,
            expires_at=expires_at,
            revoked=False,
        )
        self._session.add(row)
        self._session.flush()
        return row.token_id

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        stmt = select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash)
        row = self._session.scalars(stmt).one_or_none()
        return _token(row) if row is not None else None

    def touch_token(self, token_id: int, now: datetime) -> None:
        self._session.execute(
            update(ApiTokenRow).where(ApiTokenRow.token_id == token_id).values(last_used_at=now)
        )

    def revoke_token(self, name: str) -> bool:
        result = self._session.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.name == name, ApiTokenRow.revoked.is_(False))
            .values(revoked=True)
        )
        return bool(getattr(result, "rowcount", 0))

    def tokens(self) -> list[ApiToken]:
        return [_token(r) for r in self._session.scalars(select(ApiTokenRow).order_by(ApiTokenRow.token_id))]

    def token(self, token_id: int) -> ApiToken | None:
        row = self._session.get(ApiTokenRow, token_id)
        return _token(row) if row is not None else None

    def revoke_token_id(self, token_id: int) -> None:
        self._session.execute(
            update(ApiTokenRow).where(ApiTokenRow.token_id == token_id).values(revoked=True)
        )
