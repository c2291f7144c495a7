"""Runner equivalence, the way Beam tests its runners: one seeded stream through the embedded runner and
through a local Flink cluster at parallelism 1 and 2 must store the same warnings, assessments, events
and dead letters. And a job killed mid-stream and restarted from its last checkpoint loses and doubles
nothing. The stream holds out-of-order, late, too-late and duplicated events and bad lines; checkpoints
are taken every second, so buffered events and expiry timers cross them.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from fanzha.sim.world import World
from fanzha.store.engine import make_engine
from fanzha.store.tables import EventRow
from fanzha.stream.flink import launch
from fanzha.stream.flink.compare import differences, digest
from fanzha.stream.flink.reference import run_embedded
from tests.flink.conftest import POLICY

pytestmark = pytest.mark.flink


@pytest.fixture(scope="module")
def reference(seeded: tuple[Path, World], new_store: Callable[[], str]) -> dict[str, list[tuple[Any, ...]]]:
    engine = make_engine(new_store())
    run_embedded(engine, seeded[0], policy=POLICY)
    stored = digest(engine)
    engine.dispose()
    # The stream is worth comparing: warnings, and every kind of trouble the policy handles.
    assert len(stored["warnings"]) >= 10
    errors = [error for _, error in stored["dead_letters"]]
    assert any("late record" in e for e in errors)
    assert any("JSON" in e for e in errors)
    return stored


def job(parts: Path, url: str, state: Path, parallelism: int, **extra: Any) -> launch.Launch:
    return launch.Launch(
        source=parts,
        database_url=url,
        state_dir=state,
        parallelism=parallelism,
        bounded=True,
        checkpoint_ms=1000,
        out_of_orderness_s=POLICY.out_of_orderness.total_seconds(),
        lateness_s=POLICY.allowed_lateness.total_seconds(),
        chunk=200,
        **extra,
    )


@pytest.mark.parametrize("parallelism", [1, 2])
def test_flink_stores_what_the_embedded_runner_stores(
    flink_ready: None,
    seeded: tuple[Path, World],
    new_store: Callable[[], str],
    reference: dict[str, list[tuple[Any, ...]]],
    tmp_path: Path,
    parallelism: int,
) -> None:
    url = new_store()
    outcome = launch.run(job(seeded[0], url, tmp_path / "state", parallelism), timeout=900)
    assert outcome.returncode == 0, (tmp_path / "state" / "job.out").read_text()[-3000:]
    assert outcome.checkpoints, "no checkpoint completed during the run"
    assert differences(reference, stored_digest(url)) == []


def stored_digest(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = make_engine(url)
    try:
        return digest(engine)
    finally:
        engine.dispose()


def stored_events(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        count = int(conn.execute(select(func.count()).select_from(EventRow)).scalar_one())
    engine.dispose()
    return count


def test_killed_mid_stream_the_job_resumes_from_its_checkpoint_without_loss_or_duplicates(
    flink_ready: None,
    seeded: tuple[Path, World],
    new_store: Callable[[], str],
    reference: dict[str, list[tuple[Any, ...]]],
    tmp_path: Path,
) -> None:
    url = new_store()
    total = len(reference["events"])
    state = tmp_path / "state"
    first = job(seeded[0], url, state, 2, max_rate=250)  # paced, so the kill lands mid-stream
    proc, resumed = launch.start(first)
    assert resumed is None
    addresses: list[str] = []
    try:
        for _ in range(1200):  # bounded: at most ~10 minutes of polling
            if proc.poll() is not None:
                break
            if not addresses:
                addresses = launch.listening(launch.process_tree(proc.pid))
            if launch.latest_checkpoint(state) is not None and stored_events(url) > 0:
                break
            time.sleep(0.5)
    finally:
        launch.stop(proc, signal.SIGKILL)
    before = stored_events(url)
    assert 0 < before < total, f"the kill did not land mid-stream ({before} of {total} events stored)"
    # Every endpoint of the job bound to the loopback interface only.
    assert addresses, "the job listened on no port while running"
    assert all(a.rsplit(":", 1)[0].strip("[]").removeprefix("::ffff:") == "127.0.0.1" for a in addresses), (
        addresses
    )

    outcome = launch.run(job(seeded[0], url, state, 2), timeout=900)
    assert outcome.resumed_from is not None
    assert outcome.returncode == 0, (state / "job.out").read_text()[-3000:]
    assert differences(reference, stored_digest(url)) == []
