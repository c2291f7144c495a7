"""The audit log is append-only in the database itself; retention respects legal holds; accounts by CLI."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from fanzha.audit.model import AuditEntry
from fanzha.audit.repository import AuditRepository
from fanzha.auth.retention import retention_policy
from fanzha.cli.main import app
from fanzha.event.codes import FraudType, RiskLevel
from fanzha.jobs.retention import place_hold, purge
from fanzha.risk.model import Reason
from fanzha.store.engine import make_engine, migrate, session_factory
from fanzha.store.tables import EventRow, UnitRow, WarningRow
from fanzha.store.tables_auth import AuditRow, UserRow
from fanzha.uow import UnitOfWork
from fanzha.warning.model import Warning, WarningStatus

NOW = datetime(2026, 6, 1, tzinfo=UTC)
OLD = NOW - timedelta(days=400)


def _append(engine: Engine) -> None:
    with UnitOfWork(session_factory(engine)) as uow:
        AuditRepository(uow.session).append(
            AuditEntry(at=NOW, actor="a", role="analyst", unit_id="C0", action="warning.view", object_id="1")
        )
        uow.commit()


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"]
)
def test_the_database_rejects_changes_to_the_audit_log(engine: Engine, statement: str) -> None:
    _append(engine)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    with session_factory(engine)() as s:
        rows = s.scalars(select(AuditRow)).all()
    assert [(r.actor, r.action) for r in rows] == [("a", "warning.view")]


def _warning(subject: str, status: WarningStatus) -> Warning:
    reason = Reason(
        code="PAYEE_LISTED",
        summary="向涉诈账户转账",
        weight=60,
        fraud_type=FraudType.LOAN,
        at=OLD,
        event_id=f"e-{subject}",
        evidence={"payee_account": "6222020200112233"},
    )
    return Warning(
        warning_id=None,
        subject_key=f"phone:{subject}",
        person_id="P1",
        unit_id="U1",
        level=RiskLevel.HIGH,
        score=80,
        fraud_type=FraudType.LOAN,
        status=status,
        reasons=(reason,),
        policy_version="v",
        created_at=OLD,
        updated_at=OLD,
        first_event_id=f"e-{subject}",
        last_event_id=f"e-{subject}",
        signal_count=1,
        propose_stop_payment=False,
    )


def test_purge_anonymises_and_deletes_but_spares_legal_holds(engine: Engine) -> None:
    with UnitOfWork(session_factory(engine)) as uow:
        free = uow.warnings.save(_warning("13800000001", WarningStatus.CLOSED))
        held = uow.warnings.save(_warning("13800000002", WarningStatus.CLOSED))
        for phone in ("13800000001", "13800000002"):
            uow.session.add(
                EventRow(
                    event_id=f"e-{phone}",
                    kind="call",
                    occurred_at=OLD,
                    subject_key=f"phone:{phone}",
                    payload={},
                    ingested_at=OLD,
                )
            )
        assert place_hold(uow.session, warning_id=held, reason="案件 A-1", placed_by="t", now=NOW)
        uow.commit()
    policy = retention_policy()
    with UnitOfWork(session_factory(engine)) as uow:  # a dry run: the same work, rolled back
        dry = purge(uow.session, policy, NOW)
    with UnitOfWork(session_factory(engine)) as uow:
        report = purge(uow.session, policy, NOW)
        uow.commit()
    assert dry == report
    assert report.deleted["events"] == 1
    assert report.anonymised["closed_warnings"] == 1
    assert report.held_warnings == 1
    with session_factory(engine)() as s:
        rows = {w.warning_id: w for w in s.scalars(select(WarningRow))}
        events = s.scalars(select(EventRow.event_id)).all()
    assert rows[free].subject_key == f"anon:w{free}"
    assert rows[free].person_id is None
    assert rows[free].reasons[0]["evidence"] == {}
    assert rows[free].reasons[0]["code"] == "PAYEE_LISTED"  # statistics keep the reason
    assert rows[held].subject_key == "phone:13800000002"  # held: untouched
    assert rows[held].reasons[0]["evidence"] == {"payee_account": "6222020200112233"}
    assert events == ["e-13800000002"]
    # A shorter configured period reaches the held warning's events too, and still spares them.
    with UnitOfWork(session_factory(engine)) as uow:
        again = purge(uow.session, replace(policy, days={**policy.days, "events": 1}), NOW)
    assert again.deleted["events"] == 0


runner = CliRunner()


def test_cli_creates_the_first_admin_users_and_tokens_with_secrets_shown_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    migrate(engine)
    with UnitOfWork(session_factory(engine)) as uow:
        uow.session.add(UnitRow(unit_id="C0", name="市局", level="CITY", parent_id=None, area_codes=[]))
        uow.session.add(UnitRow(unit_id="S1", name="所", level="STATION", parent_id="C0", area_codes=[]))
        uow.commit()
    env = {"DATABASE_URL": url, "COLUMNS": "200"}
    admin = runner.invoke(app, ["users", "create-admin", "--username", "chief"], env=env)
    assert admin.exit_code == 0, admin.output
    password = re.search(r"password: (\S+)", admin.output)
    assert password
    assert len(password.group(1)) >= 16
    officer = runner.invoke(app, ["users", "add", "li", "--role", "station_officer", "--unit", "S1"], env=env)
    assert officer.exit_code == 0, officer.output
    bad = runner.invoke(app, ["users", "add", "x", "--role", "emperor", "--unit", "S1"], env=env)
    assert bad.exit_code == 2
    assert "unknown role" in bad.output
    token = runner.invoke(
        app, ["tokens", "create", "bank-1", "--role", "bank_liaison", "--unit", "C0"], env=env
    )
    assert token.exit_code == 0
    assert re.search(r"token: fzt_\S{40,}", token.output)
    with session_factory(engine)() as s:
        users = {u.username: u for u in s.scalars(select(UserRow))}
        actions = s.scalars(select(AuditRow.action)).all()
    assert users["chief"].role == "city_admin"
    assert users["chief"].unit_id == "C0"
    assert password.group(1) not in users["chief"].password_hash
    assert sorted(actions) == ["token.created", "user.created", "user.created"]
    engine.dispose()


def test_retention_cli_dry_run_changes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    engine = make_engine(url)
    migrate(engine)
    with UnitOfWork(session_factory(engine)) as uow:
        uow.session.add(
            EventRow(
                event_id="old",
                kind="call",
                occurred_at=datetime(2000, 1, 1, tzinfo=UTC),
                subject_key="phone:1",
                payload={},
                ingested_at=NOW,
            )
        )
        uow.commit()
    env = {"DATABASE_URL": url, "COLUMNS": "200"}
    dry = runner.invoke(app, ["retention", "purge", "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert re.search(r"events\s*│\s*180\s*│\s*1", dry.output)
    with session_factory(engine)() as s:
        assert s.scalars(select(EventRow.event_id)).all() == ["old"]
    real = runner.invoke(app, ["retention", "purge"], env=env)
    assert real.exit_code == 0, real.output
    with session_factory(engine)() as s:
        assert s.scalars(select(EventRow.event_id)).all() == []
    cfg = tmp_path / "ret.yaml"
    cfg.write_text("login_attempts: 30\n", encoding="utf-8")  # below the CSL floor of 6 months
    refused = runner.invoke(app, ["retention", "purge", "--config", str(cfg)], env=env)
    assert refused.exit_code == 2
    assert "may not be below 180" in refused.output
    engine.dispose()
