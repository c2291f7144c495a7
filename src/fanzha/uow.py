"""The unit of work: one transaction and every repository that works in it. The one place that commits.

It composes the store's ingest repositories (events, assessments, dead letters, indicator lists) and
the domains' repositories (warnings and their workflow, dispatch, funds, accounts, audit, prevention).
Services take a unit of work (or its session) and stage changes; only the edge that opened the unit of
work calls `commit`. Leaving the block without committing rolls back.

    with UnitOfWork(session_factory(engine)) as uow:
        service.sign(uow, warning_id=7, actor="u1", clock=clock)
        uow.commit()
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from fanzha.audit.repository import AuditRepository
from fanzha.auth.repository import AuthRepository
from fanzha.dispatch.repository import OutboxRepository
from fanzha.funds.repository import FundsRepository
from fanzha.prevention.records_repository import RecordsRepository
from fanzha.prevention.repository import PreventionRepository
from fanzha.store.lists import ListRepository
from fanzha.store.repositories import AssessmentRepository, DeadLetterRepository, EventRepository
from fanzha.warning.repository import ShadowRepository, WarningRepository
from fanzha.warning.workflow_repository import WorkflowRepository


class UnitOfWork:
    """One transaction and the repositories that work in it.

    Used as a context manager; nothing is written unless `commit` is called, and leaving the block
    without committing rolls back.
    """

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory

    def __enter__(self) -> UnitOfWork:
        self.session = session = self._factory()
        self.events = EventRepository(session)
        self.assessments = AssessmentRepository(session)
        self.dead_letters = DeadLetterRepository(session)
        self.lists = ListRepository(session)
        self.shadow = ShadowRepository(session)
        self.warnings = WarningRepository(session)
        self.workflow = WorkflowRepository(session)
        self.outbox = OutboxRepository(session)
        self.funds = FundsRepository(session)
        self.auth = AuthRepository(session)
        self.audit = AuditRepository(session)
        self.prevention, self.publicity = PreventionRepository(session), RecordsRepository(session)
        return self

    def commit(self) -> None:
        # Buffered rows go in dependency order: events before the assessments that cite them.
        self.events.flush()
        self.assessments.flush()
        self.shadow.flush()
        self.session.commit()

    def rollback(self) -> None:
        self.events.discard()
        self.assessments.discard()
        self.shadow.discard()
        self.session.rollback()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.rollback()
        self.session.close()
