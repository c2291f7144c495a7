"""`fanzha bench trace`: tracing over a synthetic 10-million-transfer graph, against a naive full scan."""

from __future__ import annotations

import resource
import time
from typing import TYPE_CHECKING

from fanzha.cli.common import console
from fanzha.funds.model import Edge

if TYPE_CHECKING:
    from fanzha.funds.trace import TraceSettings, TransferGraph


def _time(graph: TransferGraph, roots: list[Edge], settings: TraceSettings) -> tuple[list[float], list[int]]:
    from fanzha.funds.trace import trace

    ms, sizes = [], []
    for root in roots:
        start = time.perf_counter()
        tr = trace(graph, [root], settings)
        ms.append((time.perf_counter() - start) * 1000)
        sizes.append(len(tr.nodes))
    return ms, sizes


def run_trace_bench(*, transfers: int, victims: int, depth: int, baseline_victims: int) -> None:
    import numpy as np

    from fanzha.funds.arrays import CsrGraph, ScanGraph, synthetic_city
    from fanzha.funds.trace import TraceSettings

    start = time.perf_counter()
    city = synthetic_city(transfers, victims=victims)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    graph = CsrGraph(city.transfers, city.accounts)
    built = time.perf_counter() - start
    roots = [city.transfers.edge(i) for i in city.victim_transfers]
    settings = TraceSettings(max_depth=depth)
    ms, sizes = _time(graph, roots, settings)
    scan_ms, scan_sizes = _time(ScanGraph(city.transfers), roots[:baseline_victims], settings)
    if scan_sizes != sizes[:baseline_victims]:
        raise SystemExit("baseline and indexed traces differ")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p50, p99 = float(np.percentile(ms, 50)), float(np.percentile(ms, 99))
    base50 = float(np.percentile(scan_ms, 50))
    console.print(f"transfers            {len(city.transfers.payer):,} ({city.accounts:,} accounts)")
    console.print(f"generate             {generated:.1f} s")
    console.print(f"build CSR index      {built:.1f} s")
    console.print(
        f"memory               arrays {city.transfers.nbytes / 2**20:.0f} MiB, "
        f"index {graph.index_nbytes / 2**20:.0f} MiB, peak RSS {rss_mb:.0f} MiB"
    )
    console.print(
        f"trace {depth} levels       {len(roots)} victims, nodes/victim median {int(np.median(sizes))}"
    )
    console.print(f"ms per victim        p50 {p50:.2f}  p99 {p99:.2f}  max {max(ms):.2f}")
    console.print(f"naive full scan      p50 {base50:.1f} ms over {len(scan_ms)} victims (same trees)")
    console.print(f"speed-up (p50)       {base50 / p50:.0f}x")
