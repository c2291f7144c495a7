"""All SQL of accounts, sessions, API tokens, login attempts and the audit log. Nothing here commits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from fanzha.audit.model import AuditEntry
from fanzha.store.tables import UnitRow
from fanzha.store.tables_auth import (
    ApiTokenRow,
    AuditRow,
    LoginAttemptRow,
    SessionRow,
    UserRow,
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

    def user_by_name(self, username: str) -> UserRow | None:
        return self._session.scalars(select(UserRow).where(UserRow.username == username)).one_or_none()

    def user(self, user_id: int) -> UserRow | None:
        return self._session.get(UserRow, user_id)

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

    def session(self, token_hash: str) -> SessionRow | None:
        return self._session.get(SessionRow, token_hash)

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

    def users_in(self, unit_ids: frozenset[str] | None) -> list[UserRow]:
        """Users of these units (None: every user), by unit then name."""
        stmt = select(UserRow).order_by(UserRow.unit_id, UserRow.username)
        if unit_ids is not None:
            stmt = stmt.where(UserRow.unit_id.in_(sorted(unit_ids)))
        return list(self._session.scalars(stmt))

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

    def token_by_hash(self, token_hash: str) -> ApiTokenRow | None:
        stmt = select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash)
        return self._session.scalars(stmt).one_or_none()

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

    def tokens(self) -> list[ApiTokenRow]:
        return list(self._session.scalars(select(ApiTokenRow).order_by(ApiTokenRow.token_id)))

    def token(self, token_id: int) -> ApiTokenRow | None:
        return self._session.get(ApiTokenRow, token_id)

    def revoke_token_id(self, token_id: int) -> None:
        self._session.execute(
            update(ApiTokenRow).where(ApiTokenRow.token_id == token_id).values(revoked=True)
        )


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Filters of an audit search; None means any."""

    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    unit_ids: frozenset[str] | None = None  # the searcher's scope: actor unit or object unit within it
    limit: int = 200
    offset: int = 0


class AuditRepository:
    """Appends to and searches the audit log. There is deliberately no update or delete."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def append(self, entry: AuditEntry) -> None:
        self._session.execute(
            insert(AuditRow).values(
                at=entry.at,
                actor=entry.actor[:80],
                role=entry.role[:32],
                unit_id=entry.unit_id,
                action=entry.action[:64],
                object_type=entry.object_type,
                object_id=entry.object_id[:80] if entry.object_id else None,
                object_unit_id=entry.object_unit_id,
                fields=list(entry.fields),
                purpose=entry.purpose[:200] if entry.purpose else None,
                address=entry.address[:64] if entry.address else None,
                outcome=entry.outcome[:16],
            )
        )

    def search(self, query: AuditQuery) -> list[AuditRow]:
        stmt = select(AuditRow)
        for column, value in (
            (AuditRow.actor, query.actor),
            (AuditRow.action, query.action),
            (AuditRow.object_type, query.object_type),
            (AuditRow.object_id, query.object_id),
        ):
            if value:
                stmt = stmt.where(column == value)
        if query.since is not None:
            stmt = stmt.where(AuditRow.at >= query.since)
        if query.until is not None:
            stmt = stmt.where(AuditRow.at < query.until)
        if query.unit_ids is not None:
            units = sorted(query.unit_ids)
            stmt = stmt.where(or_(AuditRow.unit_id.in_(units), AuditRow.object_unit_id.in_(units)))
        stmt = stmt.order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(query.limit).offset(query.offset)
        return list(self._session.scalars(stmt))

    def count(self, actions: Iterable[str] | None = None) -> int:
        stmt = select(func.count()).select_from(AuditRow)
        if actions is not None:
            stmt = stmt.where(AuditRow.action.in_(list(actions)))
        return int(self._session.scalar(stmt) or 0)
