"""The Flink job's settings: what `launch` passes on the command line, and the Flink configuration
(thread mode, RocksDB, checkpoints, and every endpoint on 127.0.0.1)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from fanzha.stream.flink.eventtime import TimePolicy


@dataclass(frozen=True)
class JobConfig:
    source: Path
    database_url: str
    state_dir: Path
    parallelism: int = 1
    bounded: bool = False
    ticks: int = 0  # bounded runs: how many chunks to read
    chunk: int = 500
    poll_seconds: float = 0.5
    checkpoint_ms: int = 10_000
    out_of_orderness_s: float = 300
    lateness_s: float = 86_400
    dedup_hours: float = 24
    sink_batch: int = 500
    sink_flush_ms: int = 1000
    incremental: bool = True
    resume_from: str | None = None
    max_rate: float = 0  # records per second the intake reads at most (0: no limit)
    state_ttl_days: float = 0  # a backstop on detector state in processing time (0: off)

    @property
    def policy(self) -> TimePolicy:
        return TimePolicy(timedelta(seconds=self.out_of_orderness_s), timedelta(seconds=self.lateness_s))

    @property
    def shards(self) -> int:
        return 4 * self.parallelism


def flink_settings(cfg: JobConfig, python: str) -> dict[str, str]:
    """Flink settings: thread mode, RocksDB, checkpoints, and every endpoint on 127.0.0.1."""
    settings = {
        "python.execution-mode": "thread",
        "python.executable": python,
        "python.client.executable": python,
        "state.backend.type": "rocksdb",
        "state.backend.incremental": str(cfg.incremental).lower(),
        "execution.checkpointing.dir": (cfg.state_dir / "checkpoints").resolve().as_uri(),
        "execution.checkpointing.interval": f"{cfg.checkpoint_ms} ms",
        "execution.checkpointing.unaligned.enabled": "true",
        "execution.checkpointing.externalized-checkpoint-retention": "RETAIN_ON_CANCELLATION",
        "execution.checkpointing.num-retained": "2",
        "restart-strategy.type": "fixed-delay",
        "restart-strategy.fixed-delay.attempts": "2",
        "restart-strategy.fixed-delay.delay": "2 s",
        "io.tmp.dirs": str((cfg.state_dir / "tmp").resolve()),
        "rest.bind-address": "127.0.0.1",
        "rest.address": "127.0.0.1",
        "rest.port": "0",
        "jobmanager.rpc.address": "127.0.0.1",
        "jobmanager.bind-host": "127.0.0.1",
        "taskmanager.bind-host": "127.0.0.1",
        "taskmanager.host": "127.0.0.1",
    }
    if cfg.resume_from:
        settings["execution.state-recovery.path"] = cfg.resume_from
    return settings


def parse_args(argv: list[str]) -> JobConfig:
    p = argparse.ArgumentParser(prog="python -m fanzha.stream.flink.job")
    p.add_argument("--source", type=Path, required=True)
    p.add_argument("--database-url", required=True)
    p.add_argument("--state-dir", type=Path, required=True)
    p.add_argument("--parallelism", type=int, default=1)
    p.add_argument("--bounded", action="store_true")
    p.add_argument("--ticks", type=int, default=0)
    p.add_argument("--chunk", type=int, default=500)
    p.add_argument("--checkpoint-ms", type=int, default=10_000)
    p.add_argument("--out-of-orderness-s", type=float, default=300)
    p.add_argument("--lateness-s", type=float, default=86_400)
    p.add_argument("--dedup-hours", type=float, default=24)
    p.add_argument("--full-checkpoints", action="store_true")
    p.add_argument("--resume-from")
    p.add_argument("--max-rate", type=float, default=0)
    p.add_argument("--state-ttl-days", type=float, default=0)
    a = p.parse_args(argv)
    return JobConfig(
        source=a.source,
        database_url=a.database_url,
        state_dir=a.state_dir,
        parallelism=a.parallelism,
        bounded=a.bounded,
        ticks=a.ticks,
        chunk=a.chunk,
        checkpoint_ms=a.checkpoint_ms,
        out_of_orderness_s=a.out_of_orderness_s,
        lateness_s=a.lateness_s,
        dedup_hours=a.dedup_hours,
        incremental=not a.full_checkpoints,
        resume_from=a.resume_from,
        max_rate=a.max_rate,
        state_ttl_days=a.state_ttl_days,
    )
