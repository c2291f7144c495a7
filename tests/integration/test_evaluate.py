"""The closed loop on a small simulated city, the suite's JSON, and `fanzha evaluate` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fanzha.cli.main import app
from fanzha.detection.registry import select_detectors
from fanzha.evaluate.loop import Loop, Prepared, prepare
from fanzha.evaluate.metrics import report
from fanzha.evaluate.officers import OfficerConfig, Officers
from fanzha.evaluate.suite import SuiteOptions, run_suite
from fanzha.evaluate.victims import VictimConfig, Victims
from fanzha.sim.world import generate

# A city small enough to run in a second, in which every run raises warnings (seed chosen for that).
POPULATION, DAYS, SEED = 800, 4, 5


@pytest.fixture(scope="module")
def prepared() -> Prepared:
    return prepare(generate(POPULATION, DAYS, SEED))


def closed_loop(prepared: Prepared, officers: OfficerConfig, victims: VictimConfig) -> Loop:
    return Loop(
        prepared,
        select_detectors(None),
        responder=Officers(officers, "t-officers"),
        victims=Victims(prepared.truth.episodes, victims, "t-victims"),
    )


def test_instant_officers_and_certain_victims_prevent_loss(prepared: Prepared) -> None:
    loop = closed_loop(prepared, OfficerConfig.instant(), VictimConfig.certain())
    run = loop.run("platform")
    figures = report(run, prepared.truth).overall
    assert figures.prevented_fen > 0
    assert figures.victims_stopped > 0
    payments = {p.event_id for e in prepared.truth.episodes for p in e.payments}
    assert run.withheld
    assert run.withheld <= payments
    assert not run.withheld & loop.uow.stored  # withheld payments never reach the store
    assert run.events == len(loop.uow.stored) == len(prepared.events) - len(run.withheld)


def test_with_nobody_on_duty_nothing_is_prevented_and_warnings_match_the_open_loop(
    prepared: Prepared,
) -> None:
    closed = closed_loop(prepared, OfficerConfig(officers_per_unit=0), VictimConfig.certain()).run("closed")
    opened = Loop(prepared, select_detectors(None)).run("open")

    def keys(run_warnings: tuple) -> set[tuple]:
        return {(w.person_id, w.opened_at, w.first_event_id, w.level, w.score) for w in run_warnings}

    assert closed.contacts == ()
    assert closed.withheld == frozenset()
    assert report(closed, prepared.truth).overall.prevented_fen == 0
    assert opened.warnings
    assert keys(closed.warnings) == keys(opened.warnings)


@pytest.mark.parametrize(
    ("names", "allowed"),
    [
        (("payee_listed",), {"PAYEE_LISTED"}),
        (("upstream_lead",), {"LEAD_LOW", "LEAD_MEDIUM", "LEAD_HIGH", "LEAD_CRITICAL"}),
    ],
)
def test_baselines_raise_only_their_own_signals(
    prepared: Prepared, names: tuple[str, ...], allowed: set[str]
) -> None:
    loop = Loop(prepared, select_detectors(names))
    run = loop.run("baseline")
    codes = {r.code for w in loop.uow.all_warnings.values() for r in w.reasons}
    assert run.warnings
    assert codes <= allowed
    everything = Loop(prepared, select_detectors(None))
    everything.run("platform")
    assert {r.code for w in everything.uow.all_warnings.values() for r in w.reasons} - allowed


def test_an_unknown_detector_name_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown detector"):
        select_detectors(("payee_listed", "no_such_detector"))


def test_suite_json_schema_and_determinism(prepared: Prepared) -> None:
    first = run_suite(prepared, SuiteOptions(seed=SEED)).to_json()
    second = run_suite(prepared, SuiteOptions(seed=SEED)).to_json()
    json.dumps(first)  # serialisable as is
    assert set(first) == {"parameters", "runs", "tradeoff_curve"}
    assert set(first["runs"]) == {"platform", "blacklist_only", "upstream_only"}
    metric_keys = {
        "victims",
        "warned_at_all",
        "warned_in_episode",
        "warned_before_loss",
        "share_warned_before_loss",
        "contacted_before_loss",
        "victims_stopped",
        "signal_to_warning_minutes",
        "signal_to_contact_minutes",
        "warnings",
        "real_warnings",
        "precision",
        "precision_high_critical",
        "by_level",
        "contacts",
        "loss_fen",
        "prevented_fen",
        "prevented_share",
    }
    for run in first["runs"].values():
        assert set(run["overall"]) == metric_keys
        assert set(run["overall"]["signal_to_warning_minutes"]) == {"n", "median", "p95"}
        assert run["by_type"]
        assert all(set(f) == metric_keys for f in run["by_type"].values())
        assert run["events_per_second"] > 0
    assert [p["threshold"] for p in first["tradeoff_curve"]] == list(range(25, 100, 5))

    def without_timing(data: dict) -> dict:
        return {
            n: {k: v for k, v in r.items() if k not in ("seconds", "events_per_second")}
            for n, r in data.items()
        }

    assert without_timing(first["runs"]) == without_timing(second["runs"])


def test_suite_officers_work_through_the_lifecycle_and_money_is_traced(prepared: Prepared) -> None:
    result = run_suite(prepared, SuiteOptions(seed=SEED))
    for name, run in result.runs.items():
        assert run.refusals == (), name  # the lifecycle accepted every step the officers took
        assert run.cases
        assert len(run.cases) == len(run.warnings)
        assert all(c.facts.outcome is not None for c in run.cases if c.facts.closed)
        flow = result.workflow[name].overall
        assert flow.warnings == len(run.cases)
        assert flow.closed_without_outcome == 0
        money = result.recovery[name].overall
        assert 0 <= money.recovered_fen <= money.lost_fen
        assert (
            money.lost_fen
            == result.reports[name].overall.loss_fen - result.reports[name].overall.prevented_fen
        )
    data = result.to_json()["runs"]["platform"]
    assert set(data["workflow"]) == {"overall", "by_level", "lifecycle_refusals"}
    assert set(data["money_recovered"]["overall"]) == {
        "not_prevented_fen",
        "recovered_fen",
        "recovered_share",
    }


def test_cli_evaluate_end_to_end(tmp_path: Path) -> None:
    out, chart = tmp_path / "eval.json", tmp_path / "eval.png"
    result = CliRunner().invoke(
        app,
        [
            "evaluate",
            "--population",
            "300",
            "--days",
            "3",
            "--seed",
            "3",
            "--json",
            str(out),
            "--chart",
            str(chart),
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "events/s" in result.output
    assert "blacklist" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["parameters"]["population"] == 300
    assert set(data["runs"]) == {"platform", "blacklist_only", "upstream_only"}
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_evaluate_over_several_seeds(tmp_path: Path) -> None:
    out = tmp_path / "seeds.json"
    args = ["evaluate", "--population", "300", "--days", "2", "--seeds", "3,4", "--json", str(out)]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "min–max" in result.output
    assert "6 runs over 2 cities" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["parameters"]["seeds"] == [3, 4]
    assert set(data["per_seed"]) == {"3", "4"}
    prevented = data["summary"]["platform"]["loss_prevented"]
    per_seed = [data["per_seed"][s]["runs"]["platform"]["overall"]["prevented_share"] for s in ("3", "4")]
    assert prevented["per_seed"] == per_seed
    assert prevented["min"] <= prevented["mean"] <= prevented["max"]


@pytest.mark.parametrize(
    "extra",
    [
        ["--seeds", "3,x"],
        ["--seeds", "3,3"],
        ["--seeds", "3", "--repeat", "2"],
        ["--repeat", "2", "--chart", "c.png"],
    ],
)
def test_cli_evaluate_rejects_bad_seed_options(extra: list[str]) -> None:
    result = CliRunner().invoke(app, ["evaluate", "--population", "50", "--days", "1", *extra])
    assert result.exit_code == 2, result.output
