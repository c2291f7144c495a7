"""`fanzha evaluate --publicity`: targeted, flood and none on the same stream with the same luck."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fanzha.cli.main import app
from fanzha.evaluate.loop import Prepared, prepare
from fanzha.evaluate.publicity import PublicityConfig, PublicityGate
from fanzha.evaluate.publicity_metrics import outcome
from fanzha.evaluate.suite import SuiteOptions, run_one, run_suite
from fanzha.sim.world import generate

KEYS = {"messages", "officer_hours", "victims", "loss_fen", "victims_avoided_per_1000_messages"}


@pytest.fixture(scope="module")
def prepared() -> Prepared:
    return prepare(generate(1500, 4, 5))


def test_no_publicity_is_the_platform_run_itself(prepared: Prepared) -> None:
    """A gate with no tips changes nothing: `none` may be read from the platform run (same luck)."""
    options = SuiteOptions(seed=5)
    platform = run_one(prepared, "platform", None, options)
    empty = run_one(
        prepared,
        "empty",
        None,
        options,
        gate=PublicityGate(prepared.truth.episodes, [], PublicityConfig(), "x"),
    )
    assert empty.withheld == platform.withheld
    assert empty.contacts == platform.contacts
    assert [w.warning_id for w in empty.warnings] == [w.warning_id for w in platform.warnings]


def test_the_suite_compares_targeted_flood_and_none(prepared: Prepared) -> None:
    generous = PublicityConfig(messages_per_resident=0.3)
    options = replace(SuiteOptions(seed=5), runs={"platform": None}, publicity=generous)
    result = run_suite(prepared, options)
    assert result.publicity is not None
    data = result.to_json()["publicity"]
    assert list(data) == ["targeted", "flood", "none"]
    assert all(set(data[name]) >= KEYS for name in data)
    targeted, flood, none = (result.publicity.strategies[n] for n in ("targeted", "flood", "none"))
    assert targeted.messages == flood.messages >= round(0.3 * 1500 * 0.5)
    assert none.messages == 0
    assert none.victims_avoided_per_1000_messages is None
    baseline = outcome(result.runs["platform"], prepared.truth.episodes)
    assert (none.victims, none.loss_fen) == (baseline.victims, baseline.loss_fen)
    assert targeted.victims <= none.victims  # publicity only ever withholds payments
    assert flood.victims <= none.victims
    assert targeted.officer_hours >= flood.officer_hours  # the same campaigns, plus special groups' visits
    assert result.parameters["publicity"]["budget"] == 450


def test_cli_evaluate_publicity_writes_the_names_we_read(tmp_path: Path) -> None:
    out = tmp_path / "eval.json"
    args = [
        "evaluate",
        "--population",
        "300",
        "--days",
        "3",
        "--seed",
        "3",
        "--publicity",
        "--json",
        str(out),
    ]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "精准滴灌 targeted" in result.output
    assert "每千条短信避免受害" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data["publicity"]) == {"targeted", "flood", "none"}
    for figures in data["publicity"].values():
        assert set(figures) >= KEYS
    assert data["publicity"]["targeted"]["messages"] == data["publicity"]["flood"]["messages"] > 0
