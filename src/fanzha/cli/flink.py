"""`fanzha flink run` and `fanzha bench flink`: the scale-out runner on Apache Flink (docs/scale-out.md)."""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from fanzha.cli.common import console, err_console, open_store

app = typer.Typer(help="The scale-out runner on Apache Flink (docs/scale-out.md).", no_args_is_help=True)


@app.command("run")
def run(
    source: Annotated[Path, typer.Option("--source", help="directory of .jsonl/.parquet parts, watched")],
    parallelism: Annotated[int, typer.Option(min=1, max=64)] = 1,
    state_dir: Annotated[Path, typer.Option(help="checkpoints, RocksDB files and logs")] = Path(
        ".fanzha-flink"
    ),
    bounded: Annotated[bool, typer.Option(help="read the parts present now, then stop")] = False,
    fresh: Annotated[bool, typer.Option(help="ignore earlier checkpoints")] = False,
    checkpoint_seconds: Annotated[float, typer.Option(min=0.5)] = 10.0,
    out_of_order_minutes: Annotated[float, typer.Option(min=0)] = 5.0,
    lateness_hours: Annotated[float, typer.Option(min=0)] = 24.0,
    max_rate: Annotated[float, typer.Option(help="records/s the intake reads at most (0: no limit)")] = 0.0,
    state_ttl_days: Annotated[
        float, typer.Option(help="processing-time backstop on detector state (0: off)")
    ] = 0.0,
) -> None:
    """Run the detectors on a local Flink cluster (127.0.0.1), resuming from the last checkpoint.

    Warnings go into the configured store (DATABASE_URL), as `fanzha ingest` writes them; Ctrl-C stops
    the job, and running the command again resumes it."""
    from fanzha.settings import Settings
    from fanzha.stream.flink import launch  # heavy (the store, the pipeline): loaded by this command only

    if not source.is_dir():
        err_console.print(f"[red]{source}: not a directory[/red]")
        raise typer.Exit(2)
    settings = Settings()
    open_store(settings).dispose()  # migrated before the workers connect
    job = launch.Launch(
        source=source,
        database_url=settings.database_url,
        state_dir=state_dir,
        parallelism=parallelism,
        bounded=bounded,
        checkpoint_ms=int(checkpoint_seconds * 1000),
        out_of_orderness_s=timedelta(minutes=out_of_order_minutes).total_seconds(),
        lateness_s=timedelta(hours=lateness_hours).total_seconds(),
        resume=not fresh,
        max_rate=max_rate,
        state_ttl_days=state_ttl_days,
    )
    try:
        console.print(f"Flink 作业启动: 并行度 {parallelism}, 状态目录 {state_dir} (Ctrl-C 停止)")
        outcome = launch.run(job)
    except launch.FlinkNotInstalledError as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    if outcome.resumed_from:
        console.print(f"从检查点恢复: {outcome.resumed_from}")
    console.print(
        f"运行 {outcome.seconds:.1f} s, 检查点 {len(outcome.checkpoints)} 个, 退出码 {outcome.returncode}"
    )
    if outcome.returncode not in (0, -15):
        err_console.print(f"[red]作业失败, 见 {state_dir / 'job.out'}[/red]")
        raise typer.Exit(1)


def bench(
    population: Annotated[int, typer.Option(min=10)] = 2000,
    days: Annotated[int, typer.Option(min=1)] = 2,
    seed: int = 7,
    parallelism: Annotated[list[int] | None, typer.Option(help="repeat for several")] = None,
    pg_admin_url: str = os.environ.get(
        "FANZHA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    ),
) -> None:
    """Events/s of the Flink job at parallelism 1 and 2 against the embedded runner, state bytes per key,
    checkpoint size and time."""
    from fanzha.stream.flink.bench import bench as run_bench

    with tempfile.TemporaryDirectory(prefix="fanzha-bench-flink-") as tmp:
        result = run_bench(
            population=population, days=days, seed=seed, parallelisms=tuple(parallelism or (1, 2)),
            admin_url=pg_admin_url, scratch=Path(tmp),
        )  # fmt: skip
    base = result.runs[0]
    console.print(
        f"{result.events} events, {result.subjects} subjects; rates from first to last event stored"
    )
    for r in result.runs:
        ratio = f"{r.rate / base.rate:.2f}" if base.rate else "-"
        same = "identical" if r.identical else "DIFFERENT"
        console.print(
            f"  {r.name:<11} {r.rate:>8.0f} events/s  × embedded {ratio}  "
            f"(busy {r.busy_s:.1f} s, wall {r.wall_s:.1f} s, store {same})"
        )
        if r.checkpoints:
            # The checkpoint over the most keys: an early one holds buffered events of few subjects.
            size, millis, keys = max(r.checkpoints, key=lambda c: (c[2], c[0]))
            mean = sum(c[1] for c in r.checkpoints) / len(r.checkpoints)
            biggest = max(c[0] for c in r.checkpoints)
            per_key = f"{size / keys:.0f} B/key" if keys else "no keys stored yet"
            console.print(
                f"  {'':<11} checkpoints {len(r.checkpoints)} (full RocksDB snapshots): "
                f"{size / 1e6:.2f} MB over {keys} keys = {per_key}, {millis} ms; "
                f"largest {biggest / 1e6:.2f} MB; mean {mean:.0f} ms"
            )
    state_per_key = result.embedded_state_bytes / max(result.embedded_state_keys, 1)
    console.print(
        f"  embedded state at the end: {result.embedded_state_bytes / 1e6:.2f} MB over "
        f"{result.embedded_state_keys} keys = {state_per_key:.0f} B/key (pickled values and key names)"
    )
