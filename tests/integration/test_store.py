"""The store on SQLite and PostgreSQL: migrations, round trips, and the rules the database enforces."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, update
from sqlalchemy.exc import IntegrityError

from fanzha.event.codes import FraudType, RiskLevel
from fanzha.event.parse import Rejection
from fanzha.risk.model import Reason
from fanzha.store.engine import migrate, session_factory
from fanzha.store.tables import Base, WarningRow
from fanzha.uow import UnitOfWork
from fanzha.warning.model import Warning, WarningStatus

T = datetime(2026, 3, 1, 9, tzinfo=timezone(timedelta(hours=8)))


def warning(subject: str = "person:P1", level: RiskLevel = RiskLevel.HIGH) -> Warning:
    reason = Reason(
        "PAYEE_LISTED",
        "向涉诈账户转账",
        90,
        FraudType.LOAN,
        T,
        "e1",
        {"payee_account": "6200999900000009", "amount_fen": 500_000},
    )
    return Warning(
        None,
        subject,
        "P1",
        "S01",
        level,
        90,
        FraudType.LOAN,
        WarningStatus.RECEIVED,
        (reason,),
        "v1",
        T,
        T,
        "e1",
        "e1",
        1,
        False,
    )


def test_migrations_match_the_table_definitions(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert {"events", "assessments", "warnings", "dead_letters", "indicators", "persons", "units"} <= set(
        inspect(engine).get_table_names()
    )


def test_migrating_twice_is_harmless(engine: Engine) -> None:
    migrate(engine)
    assert inspect(engine).has_table("warnings")


def test_warning_round_trip_keeps_reasons_evidence_and_utc_times(engine: Engine) -> None:
    factory = session_factory(engine)
    with UnitOfWork(factory) as uow:
        wid = uow.warnings.save(warning())
        uow.commit()
    with UnitOfWork(factory) as uow:
        loaded = uow.warnings.get(wid)
    assert loaded is not None
    assert loaded.created_at == T
    assert loaded.created_at.tzinfo is not None
    assert loaded.reasons[0].evidence["amount_fen"] == 500_000
    assert loaded.level is RiskLevel.HIGH
    assert loaded.fraud_type is FraudType.LOAN


def test_the_database_allows_one_open_warning_per_subject(engine: Engine) -> None:
    factory = session_factory(engine)
    with UnitOfWork(factory) as uow:
        first = uow.warnings.save(warning())
        uow.commit()
    with UnitOfWork(factory) as uow, pytest.raises(IntegrityError):
        uow.warnings.save(warning())  # the insert itself is refused
    with UnitOfWork(factory) as uow:
        # Status belongs to the workflow (version-checked); enrichment through save() never writes it.
        uow.session.execute(update(WarningRow).where(WarningRow.warning_id == first).values(status="CLOSED"))
        uow.warnings.save(warning())
        uow.commit()
    with UnitOfWork(factory) as uow:
        assert len(uow.warnings.list(open_only=False)) == 2
        assert len(uow.warnings.list()) == 1


def test_list_orders_most_urgent_first(engine: Engine) -> None:
    factory = session_factory(engine)
    with UnitOfWork(factory) as uow:
        uow.warnings.save(warning("person:A", RiskLevel.LOW))
        uow.warnings.save(warning("person:B", RiskLevel.CRITICAL))
        uow.warnings.save(warning("person:C", RiskLevel.MEDIUM))
        uow.commit()
    with UnitOfWork(factory) as uow:
        assert [w.level for w in uow.warnings.list()] == [RiskLevel.CRITICAL, RiskLevel.MEDIUM, RiskLevel.LOW]
        assert uow.warnings.count_by_level() == {4: 1, 2: 1, 1: 1}


def test_dead_letters_keep_raw_text_once(engine: Engine) -> None:
    factory = session_factory(engine)
    rejection = Rejection("events.jsonl:3", "not valid JSON", "{oops 张三")
    with UnitOfWork(factory) as uow:
        assert uow.dead_letters.add(rejection, source="events.jsonl")
        uow.commit()
    with UnitOfWork(factory) as uow:
        assert not uow.dead_letters.add(rejection, source="events.jsonl")
        assert uow.dead_letters.count() == 1
        assert uow.dead_letters.list()[0].raw == "{oops 张三"


def test_leaving_a_unit_of_work_without_commit_writes_nothing(engine: Engine) -> None:
    factory = session_factory(engine)
    with UnitOfWork(factory) as uow:
        uow.warnings.save(warning())
        uow.dead_letters.add(Rejection("r", "e", "x"), source="s")
    with UnitOfWork(factory) as uow:
        assert uow.warnings.list(open_only=False) == []
        assert uow.dead_letters.count() == 0


def test_enrichment_does_not_overwrite_the_workflow_status(engine: Engine) -> None:
    factory = session_factory(engine)
    with UnitOfWork(factory) as uow:
        warning_id = uow.warnings.save(warning())
        uow.commit()
    with UnitOfWork(factory) as uow:
        stale = uow.warnings.get(warning_id)
        assert stale is not None
    with UnitOfWork(factory) as uow:  # an officer signs in between
        uow.session.execute(
            update(WarningRow)
            .where(WarningRow.warning_id == warning_id)
            .values(status="SIGNED", unit_id="S02")
        )
        uow.commit()
    with UnitOfWork(factory) as uow:
        uow.warnings.save(replace(stale, score=99, signal_count=2))
        uow.commit()
    with UnitOfWork(factory) as uow:
        now = uow.warnings.get(warning_id)
        assert now is not None
        assert (now.status, now.unit_id, now.score) == (WarningStatus.SIGNED, "S02", 99)
