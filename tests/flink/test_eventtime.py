"""The event-time order and late policy both runners share (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fanzha.event.parse import Rejection
from fanzha.stream.flink.eventtime import Stamp, Stamper, TimePolicy, Verdict, in_processing_order, to_ms

POLICY = TimePolicy(out_of_orderness=timedelta(seconds=10), allowed_lateness=timedelta(seconds=100))


class Timed:
    """Stands in for an event: the order only reads `occurred_at`."""

    def __init__(self, ms: int) -> None:
        self.occurred_at = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)


def order(pairs: list[tuple[Any, Any]]) -> tuple[list[tuple[Any, Stamp]], list[Any]]:
    handed: list[Any] = []
    out = list(in_processing_order(pairs, POLICY, lambda item, _stamp: handed.append(item)))
    return out, handed


def test_verdicts_follow_the_watermark_of_the_records_before() -> None:
    stamper = Stamper(POLICY)
    assert stamper.stamp(1_000_000).verdict is Verdict.ON_TIME
    assert stamper.stamp(995_000).verdict is Verdict.ON_TIME  # 5 s behind: within the bound
    late = stamper.stamp(980_000)  # 20 s behind: behind the watermark, within the lateness
    assert late.verdict is Verdict.LATE
    assert late.sort_ms == 1_000_000 - 10_000  # processed just after the watermark it arrived behind
    assert stamper.stamp(800_000).verdict is Verdict.TOO_LATE
    assert [stamper.seq, stamper.max_ms] == [4, 1_000_000]  # only on-time records move the watermark


def test_a_rejection_passes_through_and_too_late_records_are_handed_over() -> None:
    bad = Rejection("x:1", "not valid JSON", "{")
    out, handed = order([("a", Timed(1_000_000)), ("b", bad), ("c", Timed(700_000)), ("d", Timed(999_000))])
    assert [item for item, _ in out] == ["b", "d", "a"]
    assert handed == ["c"]


@given(st.lists(st.integers(min_value=0, max_value=400_000), max_size=60))
def test_processing_order_is_sorted_never_early_and_loses_nothing(times: list[int]) -> None:
    out, handed = order([(i, Timed(t)) for i, t in enumerate(times)])
    keys = [(stamp.sort_ms, stamp.seq) for _, stamp in out]
    assert keys == sorted(keys)
    assert sorted([i for i, _ in out] + handed) == list(range(len(times)))
    for i, stamp in out:
        assert stamp.sort_ms >= to_ms(Timed(times[i]).occurred_at)
        assert (stamp.verdict is Verdict.ON_TIME) == (stamp.sort_ms == times[i])


def test_the_job_binds_every_endpoint_to_loopback_and_runs_python_in_thread_mode() -> None:
    from pathlib import Path

    from fanzha.stream.flink.jobconfig import flink_settings, parse_args

    cfg = parse_args(
        ["--source", "in", "--database-url", "sqlite://", "--state-dir", "st", "--lateness-s", "60"]
    )
    settings = flink_settings(cfg, "/py")
    assert settings["python.execution-mode"] == "thread"
    assert settings["state.backend.type"] == "rocksdb"
    for name in ("rest.bind-address", "rest.address", "jobmanager.rpc.address", "jobmanager.bind-host",
                 "taskmanager.bind-host", "taskmanager.host"):  # fmt: skip
        assert settings[name] == "127.0.0.1", name
    assert cfg.policy.allowed_lateness == timedelta(seconds=60)
    assert settings["execution.checkpointing.dir"] == (Path("st") / "checkpoints").resolve().as_uri()
