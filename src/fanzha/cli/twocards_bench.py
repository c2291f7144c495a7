"""`fanzha bench twocards`: scoring the accounts of a large transfer table, against plain pandas."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from fanzha.cli.common import console

if TYPE_CHECKING:
    import polars as pl


def synthetic_transfers(transfers: int, accounts: int, seed: int) -> pl.DataFrame:
    """`transfers` payments among `accounts` accounts over 90 days: heavy-tailed payees (merchants),
    habitual amounts, daytime hours; account numbers as 16-digit strings."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    payer = rng.integers(0, accounts, transfers)
    popular = (rng.pareto(1.2, transfers) * 50).astype(np.int64) % accounts
    payee = np.where(rng.random(transfers) < 0.5, rng.integers(0, accounts, transfers), popular)
    habit = rng.lognormal(np.log(300), 0.9, accounts)
    amount = np.round(habit[payer] * rng.lognormal(0, 0.2, transfers), 2)
    ts = 1_790_000_000 + rng.integers(0, 90, transfers) * 86_400 + rng.integers(0, 14 * 3600, transfers)
    frame = pl.DataFrame({"payer": payer, "payee": payee, "amount": amount, "ts": ts})
    return frame.select(
        (pl.lit("62") + pl.col("payer").cast(pl.String).str.zfill(14)).alias("payer"),
        (pl.lit("62") + pl.col("payee").cast(pl.String).str.zfill(14)).alias("payee"),
        "amount",
        "ts",
    )


def bench_twocards(
    transfers: Annotated[int, typer.Option(min=1000, help="transfers to score")] = 10_000_000,
    accounts: Annotated[int, typer.Option(min=100, help="accounts they run between")] = 2_000_000,
    seed: Annotated[int, typer.Option()] = 3,
    threads: Annotated[int, typer.Option(min=1, help="LightGBM prediction threads")] = 2,
    baseline: Annotated[bool, typer.Option(help="also build the features with plain pandas")] = True,
    model: Annotated[Path | None, typer.Option(help="model file (default: the packaged model)")] = None,
) -> None:
    """Seconds to score every account of N transfers (features with Polars, two LightGBM passes, reasons
    for flagged accounts), and the same features built with plain pandas as the baseline."""
    from fanzha.sim.writer import peak_rss_mb
    from fanzha.twocards import accounts as acc

    with console.status("生成转账 (generating transfers)…"):
        frame = synthetic_transfers(transfers, accounts, seed)
    scorer = acc.AccountModel.load(model or acc.DEFAULT_MODEL)
    started, cpu0 = time.perf_counter(), time.process_time()
    g = acc.graph(frame, has_clock=True)
    built, cpu1 = time.perf_counter(), time.process_time()
    scored = acc.score_graph(scorer, g, threads=threads)
    done, cpu2 = time.perf_counter(), time.process_time()
    fast, total, n = built - started, done - started, g.names.len()
    slow, slow_cpu = _pandas_seconds(g) if baseline else (float("nan"), float("nan"))
    table = Table(title=f"两卡 account scoring: {frame.height:,} transfers, {n:,} accounts")
    for column in ("step", "seconds", "CPU seconds", "accounts/s", "vs plain pandas"):
        table.add_column(column, justify="right")
    ratio = f"{slow / fast:.1f}× faster"
    table.add_row("features (Polars)", f"{fast:.1f}", f"{cpu1 - cpu0:.1f}", f"{n / fast:,.0f}", ratio)
    table.add_row("score (2 passes, reasons)", f"{done - built:.1f}", f"{cpu2 - cpu1:.1f}", "", "")
    table.add_row("total", f"{total:.1f}", f"{cpu2 - cpu0:.1f}", f"{n / total:,.0f}", "")
    table.add_row("features (plain pandas)", f"{slow:.1f}", f"{slow_cpu:.1f}", f"{n / slow:,.0f}", "baseline")
    console.print(table)
    load = os.getloadavg()[0]
    console.print(f"flagged {int(scored['flag'].sum()):,}; peak RSS {peak_rss_mb():,.0f} MB; load {load:.1f}")


def _pandas_seconds(g: object) -> tuple[float, float]:
    """Wall and CPU seconds of the same features built with plain pandas."""
    try:
        from fanzha.twocards import pandas_baseline
    except ImportError:  # pandas is a development dependency
        console.print("[yellow]pandas is not installed: no baseline (uv sync --dev)[/yellow]")
        return float("nan"), float("nan")
    started, cpu = time.perf_counter(), time.process_time()
    pandas_baseline.first_pass(g.tx, g.names.len(), has_clock=True)  # type: ignore[attr-defined]
    return time.perf_counter() - started, time.process_time() - cpu
