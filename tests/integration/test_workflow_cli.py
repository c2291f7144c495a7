"""`fanzha units import` and `fanzha sms-gateway` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import select
from typer.testing import CliRunner

from fanzha.cli.main import app
from fanzha.store.engine import make_engine, session_factory
from fanzha.store.tables import UnitRow

runner = CliRunner()
GOOD = """unit_id,name,level,parent_id,area_codes
C01,示范市公安局反诈中心,市局,,9900
B01,东湖分局,BRANCH,C01,9901
B01S01,湖滨派出所,派出所,B01,990101;990111
B01S01C1,湖滨一社区,COMMUNITY,B01S01,
"""


def test_units_import_builds_the_tree(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    csv_file = tmp_path / "units.csv"
    csv_file.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["units", "import", str(csv_file)], env={"DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    assert "imported 4 units" in result.output
    engine = make_engine(url)
    with session_factory(engine)() as session:
        rows = {r.unit_id: (r.level, r.parent_id, r.area_codes) for r in session.scalars(select(UnitRow))}
    engine.dispose()
    assert rows["B01S01"] == ("STATION", "B01", ["990101", "990111"])
    assert rows["C01"] == ("CITY", None, ["9900"])


def test_a_bad_units_file_changes_nothing_and_names_the_lines(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + "X9,,STATION,B01,\nX8,某所,STATION,NOPE,\n", encoding="utf-8")
    result = runner.invoke(app, ["units", "import", str(bad)], env={"DATABASE_URL": url})
    assert result.exit_code == 2
    assert "line 6: invalid name" in result.output
    assert "unit X8: parent not in the file" in result.output
    no_header = tmp_path / "nohead.csv"
    no_header.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["units", "import", str(no_header)], env={"DATABASE_URL": url})
    assert result.exit_code == 2
    assert "missing columns" in result.output


def test_the_fake_sms_gateway_command_serves_http(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "fanzha.cli", "sms-gateway", "--port", "0", "--fail-next", "1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        url = line.split("fake SMS gateway on ")[1].split()[0]
        deadline = time.monotonic() + 10
        first = None
        while first is None and time.monotonic() < deadline:
            try:
                first = httpx.post(
                    f"{url}/sms",
                    json={"to": "13900000000", "text": "测试"},
                    headers={"Idempotency-Key": "k1"},
                )
            except httpx.ConnectError:
                time.sleep(0.1)
        assert first is not None
        assert first.status_code == 503
        second = httpx.post(
            f"{url}/sms", json={"to": "13900000000", "text": "测试"}, headers={"Idempotency-Key": "k1"}
        )
        assert second.status_code == 200
        assert json.loads(httpx.get(f"{url}/messages").text)[0]["to"] == "139****0000"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
