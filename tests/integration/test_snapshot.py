"""Runner snapshots: a clean stop resumes from the snapshot, a crash after a commit falls back to
replay, and either way the warnings are the same as an uninterrupted run's."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from fanzha.store.engine import make_engine, migrate, session_factory
from fanzha.stream.runner import Runner
from fanzha.stream.snapshot import FORMAT, Snapshot, read_snapshot
from fanzha.stream.sources import read_records
from fanzha.uow import UnitOfWork
from tests.factories import FRAUD_ACCOUNT, call, incoming, install, transfer
from tests.integration.test_runner import seed, write_jsonl

PART_1 = [call(0, duration_s=900), incoming(5, amount_fen=1_500), install(10)]
PART_2 = [transfer(20, payee="6200777700000001", amount_fen=60_000), transfer(30, payee=FRAUD_ACCOUNT)]
PART_3 = [transfer(40, payee="6200777700000002", amount_fen=90_000)]


def warnings_of(engine: Engine) -> list[tuple]:
    with UnitOfWork(session_factory(engine)) as uow:
        return sorted(
            (w.subject_key, w.level, w.score, w.signal_count, tuple(sorted(r.code for r in w.reasons)))
            for w in uow.warnings.list(open_only=False)
        )


def ingest(engine: Engine, path: Path, snapshot: Path | None) -> tuple[str, int]:
    runner = Runner(engine, event_time=True, snapshot_path=snapshot)
    how = runner.resume()
    runner.run(read_records(path), source=path.name)
    return how


def reference_run(tmp_path: Path) -> list[tuple]:
    engine = make_engine(f"sqlite:///{tmp_path / 'reference.db'}")
    migrate(engine)
    seed(engine)
    ingest(engine, write_jsonl(tmp_path / "all.jsonl", [*PART_1, *PART_2, *PART_3]), None)
    return warnings_of(engine)


def test_resume_from_snapshot_gives_the_same_warnings(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    snap = tmp_path / "state.snapshot"
    assert ingest(engine, write_jsonl(tmp_path / "1.jsonl", PART_1), snap) == ("replay", 0)
    assert read_snapshot(snap) is not None
    how, keys = ingest(engine, write_jsonl(tmp_path / "2.jsonl", PART_2), snap)
    assert how == "snapshot"
    assert keys > 0
    assert ingest(engine, write_jsonl(tmp_path / "3.jsonl", PART_3), snap)[0] == "snapshot"
    assert warnings_of(engine) == reference_run(tmp_path)


def test_a_crash_after_a_commit_falls_back_to_replay_and_loses_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    seed(engine)
    snap = tmp_path / "state.snapshot"
    ingest(engine, write_jsonl(tmp_path / "1.jsonl", PART_1), snap)
    # Killed after committing part 2 but before any snapshot: the snapshot is now behind the store.
    crashed = Runner(engine, event_time=True, snapshot_path=snap)
    crashed.resume()
    crashed.save_snapshot = lambda: False  # type: ignore[method-assign]
    crashed.run(read_records(write_jsonl(tmp_path / "2.jsonl", PART_2)), source="2")
    how, replayed = ingest(engine, write_jsonl(tmp_path / "3.jsonl", PART_3), snap)
    assert how == "replay"
    assert replayed == len(PART_1) + len(PART_2)
    assert warnings_of(engine) == reference_run(tmp_path)


def test_a_tampered_snapshot_is_refused(tmp_path: Path) -> None:
    """A well-formed snapshot whose state, when unpickled, would call a function: refused unrun."""
    import pickle

    marker = tmp_path / "code-ran"

    class Payload:
        def __reduce__(self) -> tuple:
            return (Path.touch, (marker,))

    path = tmp_path / "evil.snapshot"
    path.write_bytes(pickle.dumps((FORMAT, Snapshot(0, "x", {"k": Payload()}, None))))
    assert read_snapshot(path) is None
    assert not marker.exists()
