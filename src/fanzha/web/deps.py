"""Request-scoped dependencies: one read-only database session per request, and who is asking."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker


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


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking, in which role, and which units' data their duty covers.

    `unit_scope` is the set of unit ids they may see (their unit and the units below it);
    None means every unit. Every route that returns or changes unit-owned data checks
    `can_see(unit_id)` and answers 404 when it fails, so ids cannot be probed.
    """

    user_id: str
    role: str
    unit_id: str | None
    unit_scope: frozenset[str] | None = None

    def can_see(self, unit_id: str | None) -> bool:
        return self.unit_scope is None or (unit_id is not None and unit_id in self.unit_scope)


SYSTEM = Principal(user_id="system", role="city_admin", unit_id=None, unit_scope=None)


def current_principal(request: Request) -> Principal:
    """The caller. Until accounts exist (issue 8) every request acts as the city-wide system principal."""
    return SYSTEM


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
