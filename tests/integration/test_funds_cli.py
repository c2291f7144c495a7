"""`fanzha funds …` end to end on SQLite, against the simulated bank on 127.0.0.1."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from fanzha.cli.main import app
from fanzha.funds.model import FreezeOrder, FreezeStatus
from fanzha.funds.repository import FundsRepository
from fanzha.jobs.bank.sim_server import SimulatedBank
from fanzha.store.engine import make_engine, migrate, session_factory
from fanzha.uow import UnitOfWork
from tests.factories import record

runner = CliRunner()


def invoke(args: list[str], db_url: str, code: int = 0) -> str:
    result = runner.invoke(app, args, env={"DATABASE_URL": db_url, "COLUMNS": "200"})
    assert result.exit_code == code, result.output
    return result.output


def test_trace_stop_and_stats_from_the_command_line(tmp_path: Path, sqlite_url: str) -> None:
    events = [
        record(
            "transfer",
            0,
            event_id="cv1",
            payer_account="6222000000000001",
            payee_account="6200000000000101",
            amount_fen=1_000_000,
        ),
        record(
            "transfer",
            5,
            event_id="cm1",
            payer_account="6200000000000101",
            payee_account="6200000000000202",
            amount_fen=600_000,
        ),
    ]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps(e) for e in events) + "\n")
    invoke(["ingest", str(path), "--event-time"], sqlite_url)
    out = invoke(["funds", "trace", "--event-id", "cv1"], sqlite_url)
    assert "L1 6200****0101" in out
    assert "L2 6200****0202" in out
    assert "6200000000000101" not in out
    invoke(["funds", "trace", "--event-id", "missing"], sqlite_url, code=1)
    with SimulatedBank() as bank:
        out = invoke(
            ["funds", "stop", "--event-id", "cv1", "--bank-url", bank.url, "--unit", "U1"], sqlite_url
        )
        assert "APPLIED" in out
        invoke(["funds", "stop", "--event-id", "cv1", "--bank-url", bank.url, "--unit", "U1"], sqlite_url)
        refused = invoke(["funds", "stop", "--event-id", "cv1", "--bank-url", bank.url], sqlite_url, code=1)
        assert "at most 2" in refused
    stats = invoke(["funds", "stats"], sqlite_url)
    assert "¥20,000.00" in stats  # two stops of ¥10,000 on one account


def test_protective_hold_from_the_command_line(sqlite_url: str) -> None:
    out = invoke(
        ["funds", "hold", "create", "--subject", "P1", "--account", "6222000011112222", "--unit", "U1"],
        sqlite_url,
    )
    assert "PROPOSED" in out
    assert "6222****2222" in out
    assert "6222000011112222" not in out
    hold_id = out.split("hold ", 1)[1].split(":", 1)[0]
    invoke(["funds", "hold", "confirm", hold_id, "--by", " "], sqlite_url, code=1)
    out = invoke(["funds", "hold", "confirm", hold_id, "--by", "officer-1", "--hours", "24"], sqlite_url)
    assert "ACTIVE" in out
    assert "NOTIFY_SUBJECT" in out
    assert "1 holds" in invoke(["funds", "hold", "list", "--unit", "U1"], sqlite_url)
    out = invoke(
        ["funds", "hold", "release", hold_id, "--by", "officer-1", "--reason", "已见面核实"], sqlite_url
    )
    assert "RELEASED" in out
    invoke(["funds", "hold", "release", hold_id, "--by", "o", "--reason", "x"], sqlite_url, code=1)
    invoke(["funds", "hold", "confirm", "nope", "--by", "o"], sqlite_url, code=1)


def test_returns_plan_notice_decide_from_the_command_line(tmp_path: Path, sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    migrate(engine)
    now = datetime.now(UTC)
    frozen = FreezeOrder(
        freeze_id="DJ1",
        unit_id="U1",
        notice_no="DJ1",
        account="6200000000000101",
        account_name=None,
        amount_fen=900_000,
        requested_at=now,
        status=FreezeStatus.ACTIVE,
        starts_at=now,
        ends_at=now + timedelta(days=180),
    )
    with UnitOfWork(session_factory(engine)) as uow:
        FundsRepository(uow.session).save_freeze(frozen)
        uow.commit()
    engine.dispose()

    def application(victim: str, account: str, loss: int, traced: int) -> dict[str, object]:
        return {
            "victim_id": victim,
            "return_account": account,
            "case_unit": "东城分局",
            "case_no": "A2025-1",
            "involved_account": "6200000000000101",
            "loss_fen": loss,
            "traced_fen": traced,
            "case_officers": ["警员1", "警员2"],
            "freeze_officers": ["警员3", "警员4"],
        }

    apps = tmp_path / "apps.json"
    body = {
        "prefix": "东",
        "applications": [
            application("V1", "6222000000000001", 600_000, 500_000),
            application("V2", "6222000000000002", 400_000, 0),
        ],
    }
    apps.write_text(json.dumps(body, ensure_ascii=False))
    planned = json.loads(
        invoke(["funds", "returns", "plan", "DJ1", "--applications", str(apps), "--json"], sqlite_url)
    )
    assert planned["frozen_fen"] == 900_000
    assert planned["pro_rata"] == "AWAITING_NOTICE"
    assert planned["payable_fen"] == 500_000
    assert [(s["victim_id"], s["traced_fen"], s["pro_rata_fen"]) for s in planned["shares"]] == [
        ("V1", 500_000, 80_000),  # ¥4,000 left, shared by remaining loss 1:4
        ("V2", 0, 320_000),
    ]
    table = invoke(["funds", "returns", "plan", "DJ1", "--applications", str(apps)], sqlite_url)
    assert "¥5,000.00" in table
    assert "30 日公告" in table
    decided = invoke(["funds", "returns", "decide", "DJ1", "--applications", str(apps)], sqlite_url)
    assert "东公(刑)返字" in decided
    assert "6200****0101 → 6222****0001" in decided
    assert "¥5,000.00" in decided
    for raw in ("6200000000000101", "6222000000000001"):
        assert raw not in decided
    refused = invoke(["funds", "returns", "decide", "DJ1", "--applications", str(apps)], sqlite_url, code=1)
    assert "30-day notice" in refused
    assert "published" in invoke(["funds", "returns", "notice", "DJ1"], sqlite_url)
    invoke(["funds", "returns", "notice", "DJ1"], sqlite_url, code=1)
    invoke(["funds", "returns", "plan", "NOPE", "--applications", str(apps)], sqlite_url, code=1)
    apps.write_text("[{}]")
    invoke(["funds", "returns", "plan", "DJ1", "--applications", str(apps)], sqlite_url, code=1)


def test_retry_without_arguments_sends_queued_hold_instructions(sqlite_url: str) -> None:
    out = invoke(["funds", "hold", "create", "--subject", "P1", "--account", "6222000000000301"], sqlite_url)
    hold_id = out.split()[1].rstrip(":")
    invoke(["funds", "hold", "confirm", hold_id, "--by", "officer-1"], sqlite_url)
    with SimulatedBank() as bank:
        out = invoke(["funds", "retry", "--bank-url", bank.url], sqlite_url)
        assert f"HOLD:{hold_id}:0: APPLIED" in out
        assert bank.state.held == {"6222000000000301"}
        assert "0 follow-up instructions sent" in invoke(
            ["funds", "retry", "--bank-url", bank.url], sqlite_url
        )
