"""The commands a user runs, end to end, including a process killed mid-ingest and restarted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from fanzha.cli.main import app
from fanzha.masking import mask_name
from fanzha.store.engine import make_engine, session_factory
from fanzha.store.tables import EventRow, WarningRow

runner = CliRunner()


def invoke(args: list[str], db_url: str) -> str:
    result = runner.invoke(app, args, env={"DATABASE_URL": db_url, "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def count(db_url: str, table: type) -> int:
    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as session:
            return int(session.scalar(select(func.count()).select_from(table)) or 0)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("city")
    result = runner.invoke(app, ["sim", "generate", "--out", str(out), "--population", "300", "--days", "3"])
    assert result.exit_code == 0, result.output
    return out


def test_generate_load_ingest_and_list(city: Path, db_url: str) -> None:
    assert (city / "events.parquet").exists()
    truth = json.loads((city / "truth.json").read_text(encoding="utf-8"))
    assert truth["episodes"]
    invoke(["reference", "load", str(city)], db_url)
    out = invoke(["ingest", str(city / "events.jsonl"), "--event-time"], db_url)
    assert "warnings opened" in out
    events = count(db_url, EventRow)
    with (city / "events.jsonl").open(encoding="utf-8") as lines:  # closed: warnings are errors
        assert events == sum(1 for _ in lines)
    listed = invoke(["warnings", "list", "--limit", "500"], db_url)
    assert "预警指令" in listed
    assert count(db_url, WarningRow) > 0
    # Same events from Parquet: all duplicates, nothing new.
    again = invoke(["ingest", str(city / "events.parquet")], db_url)
    assert count(db_url, EventRow) == events
    assert str(events) in again


def test_warnings_list_masks_people(city: Path, sqlite_url: str) -> None:
    invoke(["reference", "load", str(city)], sqlite_url)
    invoke(["ingest", str(city / "events.jsonl")], sqlite_url)
    listed = invoke(["warnings", "list", "--limit", "500"], sqlite_url)
    with (city / "persons.jsonl").open(encoding="utf-8") as lines:
        persons = {p["person_id"]: p["name"] for p in map(json.loads, lines)}
    engine = make_engine(sqlite_url)
    with session_factory(engine)() as session:
        warned = [pid for pid in session.scalars(select(WarningRow.person_id)) if pid]
    engine.dispose()
    assert warned, "the city must produce warnings about known people for this test to mean anything"
    assert all(mask_name(persons[pid]) in listed for pid in warned)
    full_names = {name for name in persons.values() if len(name) > 1}
    assert not any(name in listed for name in full_names)


def test_missing_input_is_a_clear_error(sqlite_url: str, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["ingest", str(tmp_path / "nope.jsonl")], env={"DATABASE_URL": sqlite_url, "COLUMNS": "200"}
    )
    assert result.exit_code == 2
    assert "no such file" in " ".join(result.output.split())  # Rich wraps long paths


def test_bad_reference_data_loads_nothing(sqlite_url: str, tmp_path: Path) -> None:
    (tmp_path / "units.jsonl").write_text(
        '{"unit_id": "S1", "name": "x", "level": "STATION"}\n', encoding="utf-8"
    )
    result = runner.invoke(app, ["reference", "load", str(tmp_path)], env={"DATABASE_URL": sqlite_url})
    assert result.exit_code == 1
    assert "units.jsonl:1" in result.output


def test_demo_runs_the_city_through_and_prints_a_summary(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["demo", "--no-serve", "--population", "200", "--days", "2", "--workdir", str(tmp_path / "d")],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "处理汇总" in result.output
    db = tmp_path / "d" / "fanzha.db"
    assert db.exists()
    assert count(f"sqlite:///{db}", EventRow) > 1000


def test_killed_mid_ingest_then_restarted_loses_and_duplicates_nothing(city: Path, tmp_path: Path) -> None:
    """SIGKILL the real process after some batches are committed; rerun; every event is stored once."""
    db_url = f"sqlite:///{tmp_path / 'kill.db'}"
    env = {**os.environ, "DATABASE_URL": db_url, "FANZHA_BATCH_SIZE": "200"}
    invoke(["reference", "load", str(city)], db_url)
    events_file = city / "events.jsonl"
    with events_file.open(encoding="utf-8") as lines:
        total = sum(1 for _ in lines)
    cmd = [sys.executable, "-m", "fanzha.cli", "ingest", str(events_file)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            try:
                stored = count(db_url, EventRow)
            except Exception:  # the schema may not exist yet
                continue
            if stored >= 400:
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    killed_at = count(db_url, EventRow)
    assert 0 < killed_at < total, "the kill must land mid-ingest for this test to mean anything"
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, timeout=300)
    assert count(db_url, EventRow) == total


def test_bench_startup_prints_each_command_against_the_bare_interpreter() -> None:
    result = runner.invoke(app, ["bench", "startup", "--runs", "1"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if "│" in line]
    labels = [row.split("│")[1].strip() for row in rows]
    assert labels == ["python -c pass (baseline)", "fanzha --help", "fanzha text score (one line)"]
    baseline_ratio = rows[0].split("│")[-2].strip()
    assert baseline_ratio == "1.0"
