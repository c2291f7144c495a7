"""`fanzha lists`, `fanzha backtest`, `fanzha bench`, and shadow decisions stored by the runner."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from fanzha.cli.main import app
from fanzha.detection.lists import IndicatorLists
from fanzha.event.codes import IndicatorKind
from fanzha.risk.policy import default_policy
from fanzha.store.engine import session_factory
from fanzha.stream.runner import Runner
from fanzha.stream.sources import read_records
from fanzha.uow import UnitOfWork
from tests.factories import FRAUD_ACCOUNT, at, call, install, transfer
from tests.integration.test_runner import seed, write_jsonl

cli = CliRunner()
CANDIDATE = """
version: candidate-1
thresholds: {CRITICAL: 95, HIGH: 80, MEDIUM: 60, LOW: 50}
warn_level: HIGH
weights: {PAYEE_LISTED: 60, FRAUD_NUMBER_LONG_CALL: 10, TRANSFER_AFTER_FRAUD_CONTACT: 30}
"""


def invoke(args: list[str], db_url: str) -> str:
    result = cli.invoke(app, args, env={"DATABASE_URL": db_url, "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_list_import_stores_valid_rows_reports_bad_ones_and_lists_match(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    csv = tmp_path / "nafc.csv"
    csv.write_text(
        "kind,value,source,fraud_type,listed_at,expires_at\n"
        "account,6200999900000009,NAFC,LOAN,2026-03-01T08:00:00+08:00,\n"
        "PHONE,+8617000000009,,FAKE_AUTHORITY,,2026-03-02T00:00:00+00:00\n"
        "FAX,123,NAFC,,,\n"
        "URL,https://www.kefu-tuikuan.top/x,MIIT,FAKE_CS_REFUND,not-a-date,\n",
        encoding="utf-8",
    )
    out = invoke(["lists", "import", str(csv)], db_url)
    assert "4 rows read, 2 stored, 2 rejected" in out
    assert "nafc.csv:4: invalid kind" in out
    assert "nafc.csv:5: invalid listed_at" in out
    assert "6200999900000009" not in out  # errors name the line and field, never the value
    invoke(["lists", "import", str(csv)], db_url)  # importing again replaces, never duplicates
    assert "ACCOUNT" in invoke(["lists", "stats"], db_url)
    with UnitOfWork(session_factory(engine)) as uow:
        assert uow.lists.count_by_kind() == {"ACCOUNT": 1, "PHONE": 1}
        lists: IndicatorLists = uow.lists.load()
    assert lists.match(IndicatorKind.ACCOUNT, FRAUD_ACCOUNT, at(60)) is not None
    assert lists.match(IndicatorKind.PHONE, "17000000009", at(60 * 24 * 2)) is None  # expired


def test_shadow_policy_is_recorded_and_never_opens_warnings(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    from fanzha.risk.policy import load_policy

    path = write_jsonl(
        tmp_path / "e.jsonl", [call(0), install(2), transfer(20), transfer(25, payee=FRAUD_ACCOUNT)]
    )
    Runner(engine, event_time=True, shadow_policy=load_policy(CANDIDATE)).run(read_records(path), source="e")
    with UnitOfWork(session_factory(engine)) as uow:
        assert uow.shadow.count("candidate-1") == uow.assessments.count() > 0
        assert uow.shadow.count(default_policy().version) == 0
        (warning,) = uow.warnings.list()
    assert warning.policy_version == default_policy().version


def test_backtest_compares_a_candidate_with_the_active_policy(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    seed(engine)
    events = write_jsonl(
        tmp_path / "e.jsonl", [call(0), transfer(20), "{bad", transfer(25, payee=FRAUD_ACCOUNT)]
    )
    policy = tmp_path / "candidate.yaml"
    policy.write_text(CANDIDATE, encoding="utf-8")
    out = invoke(["backtest", "--policy", str(policy), "--events", str(events)], db_url)
    assert "4 records (1 rejected)" in out
    cells = [c.strip() for c in next(r for r in out.splitlines() if "warnings opened" in r).split("│")]
    # Active: listed payee + contact → a warning. Candidate: 75 < its warning cut-off of 80 → none.
    assert cells[2:4] == ["1", "0"]
    # Nothing was written.
    with UnitOfWork(session_factory(engine)) as uow:
        assert uow.events.count() == 0
    policy.write_text("version: x\n", encoding="utf-8")
    bad = cli.invoke(
        app, ["backtest", "--policy", str(policy), "--events", str(events)], env={"DATABASE_URL": db_url}
    )
    assert bad.exit_code == 2


def test_bench_lists_prints_numbers_and_the_dict_baseline() -> None:
    result = cli.invoke(
        app, ["bench", "lists", "--entries", "3000", "--csv-rows", "1000", "--lookups", "2000"]
    )
    assert result.exit_code == 0, result.output
    assert "plain dict baseline" in result.output
    assert "rows/s" in result.output
