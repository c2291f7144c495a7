"""`fanzha funds …` end to end on SQLite, against the simulated bank on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from fanzha.cli.main import app
from fanzha.funds.bank.sim_server import SimulatedBank
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
