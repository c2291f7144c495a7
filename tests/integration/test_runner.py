"""The embedded runner against real stores: bad input, duplicates, restarts and failures."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, func, select

from fanzha.detection.registry import DETECTORS
from fanzha.event.entities import Account, Person, Phone, Unit
from fanzha.event.parse import parse_mapping
from fanzha.pipeline import evaluate
from fanzha.store.directory import replace_reference_data
from fanzha.store.engine import session_factory
from fanzha.store.tables import DeadLetterRow, EventRow
from fanzha.stream.runner import Runner
from fanzha.stream.sources import read_records
from fanzha.uow import UnitOfWork
from tests.factories import FRAUD_ACCOUNT, VICTIM_ACCOUNT, VICTIM_PHONE, call, fraud_lists, install, transfer


def seed(engine: Engine) -> None:
    with UnitOfWork(session_factory(engine)) as uow:
        replace_reference_data(
            uow.session,
            units=[
                Unit(unit_id="C01", name="市局", level="CITY"),
                Unit(unit_id="S01", name="湖滨派出所", level="STATION", parent_id="C01"),
            ],
            persons=[Person(person_id="P1", name="测试甲", unit_id="S01")],
            phones=[Phone(phone=VICTIM_PHONE, person_id="P1")],
            accounts=[Account(account=VICTIM_ACCOUNT, person_id="P1")],
            indicators=fraud_lists(),
        )
        uow.commit()


def write_jsonl(path: Path, lines: list[str | dict]) -> Path:
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
        encoding="utf-8",
    )
    return path


def counts(engine: Engine) -> dict[str, int]:
    with UnitOfWork(session_factory(engine)) as uow:
        return {
            "events": uow.events.count(),
            "assessments": uow.assessments.count(),
            "warnings": len(uow.warnings.list(open_only=False)),
            "dead": uow.dead_letters.count(),
        }


STORY = [transfer(-30), call(0), install(2), transfer(20), transfer(25, payee=FRAUD_ACCOUNT)]


def test_bad_lines_go_to_dead_letters_and_the_stream_goes_on(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    lines: list[str | dict] = [
        STORY[0],
        "{broken json",
        STORY[1],
        {"kind": "fax", "event_id": "x1"},
        "",
        STORY[2],
        STORY[3],
        STORY[4],
    ]
    path = write_jsonl(tmp_path / "events.jsonl", lines)
    summary = Runner(engine, batch_size=3).run(read_records(path), source=str(path))
    assert (summary.read, summary.accepted, summary.rejected) == (7, 5, 2)
    assert [ref for ref, _ in summary.rejections] == ["events.jsonl:2", "events.jsonl:4"]
    assert "unknown event kind 'fax'" in summary.rejections[1][1]
    assert counts(engine) == {"events": 5, "assessments": 4, "warnings": 1, "dead": 2}
    with session_factory(engine)() as session:
        raws = set(session.scalars(select(DeadLetterRow.raw)))
    assert "{broken json" in raws


def test_reingesting_the_same_file_creates_no_duplicates(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    path = write_jsonl(tmp_path / "events.jsonl", [*STORY, "{broken"])
    Runner(engine).run(read_records(path), source=str(path))
    before = counts(engine)
    again = Runner(engine)
    again.warm_up()
    summary = again.run(read_records(path), source=str(path))
    assert summary.duplicates == len(STORY)
    assert summary.accepted == 0
    assert counts(engine) == before


def test_duplicates_inside_one_file_are_stored_once(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    path = write_jsonl(tmp_path / "events.jsonl", [STORY[0], STORY[0], STORY[1]])
    summary = Runner(engine).run(read_records(path), source=str(path))
    assert (summary.accepted, summary.duplicates) == (2, 1)


def test_a_restarted_runner_rebuilds_state_from_stored_events(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    first = write_jsonl(tmp_path / "a.jsonl", [call(0)])
    second = write_jsonl(tmp_path / "b.jsonl", [transfer(30)])
    Runner(engine).run(read_records(first), source="a")

    # Control: without warm-up, a restarted runner has forgotten the contact and sees nothing.
    cold = Runner(engine)
    payment = parse_mapping(json.loads(second.read_text(encoding="utf-8")), "b:1")
    assert evaluate(payment, cold.state, cold.ctx).signals == ()  # type: ignore[arg-type]

    restarted = Runner(engine)
    assert restarted.warm_up() == 1
    summary = restarted.run(read_records(second), source="b")
    assert summary.assessments == 1
    with UnitOfWork(session_factory(engine)) as uow:
        (warning,) = uow.warnings.list()
    assert {r.code for r in warning.reasons} >= {"TRANSFER_AFTER_FRAUD_CONTACT"}


def test_a_record_that_breaks_a_detector_is_dead_lettered_and_its_batch_survives(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(engine)
    poison = install(3) | {"event_id": "poison"}
    detector = DETECTORS["screen_share"]
    original = detector.observe

    def explode(event, subject, state, ctx):  # type: ignore[no-untyped-def]
        if event.event_id == "poison":
            raise RuntimeError("detector bug")
        return original(event, subject, state, ctx)

    monkeypatch.setattr(detector, "observe", explode)
    path = write_jsonl(tmp_path / "events.jsonl", [call(0), poison, transfer(20)])
    summary = Runner(engine, batch_size=10).run(read_records(path), source=str(path))
    assert (summary.accepted, summary.rejected) == (2, 1)
    assert summary.rejections[0] == ("events.jsonl:2", "processing failed: RuntimeError")
    with UnitOfWork(session_factory(engine)) as uow:
        (warning,) = uow.warnings.list()
    # The failed batch's state writes were discarded, so the retried contact counts once.
    assert warning.signal_count == 2
    assert counts(engine)["events"] == 2


def test_parquet_rows_flow_like_jsonl_lines(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    rows = [*STORY, transfer(40) | {"amount_fen": -1}]
    path = tmp_path / "events.parquet"
    pl.DataFrame(rows, infer_schema_length=None).write_parquet(path)
    summary = Runner(engine).run(read_records(path), source=str(path))
    assert (summary.accepted, summary.rejected) == (5, 1)
    assert summary.rejections[0][0] == "events.parquet:row 6"
    assert "amount_fen" in summary.rejections[0][1]
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(EventRow)) == 5
