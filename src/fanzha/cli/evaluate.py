"""`fanzha evaluate`: a simulated city through the platform and two baselines, officers closing the loop."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from fanzha.cli.common import console, progress_bar
from fanzha.event.codes import FraudType, RiskLevel

if TYPE_CHECKING:
    from fanzha.evaluate.metrics import Figures, Spread
    from fanzha.evaluate.recovery import Recovered
    from fanzha.evaluate.seeds import Summary
    from fanzha.evaluate.suite import SuiteOptions, SuiteResult
    from fanzha.evaluate.workflow_metrics import WorkflowFigures


RUN_TITLES = {
    "platform": "本平台\nplatform",
    "blacklist_only": "仅黑名单\nblacklist only",
    "upstream_only": "仅上级推送\nupstream only",
}
RUN_SHORT = {"platform": "平台", "blacklist_only": "黑名单", "upstream_only": "上级"}


def evaluate(
    population: Annotated[int, typer.Option(min=10, help="residents of the simulated city")] = 20_000,
    days: Annotated[int, typer.Option(min=1, max=60, help="days of activity")] = 7,
    seed: Annotated[int, typer.Option(help="random seed of the city, the officers and the victims")] = 7,
    json_out: Annotated[Path | None, typer.Option("--json", help="write every figure as JSON here")] = None,
    chart: Annotated[Path | None, typer.Option(help="write a PNG chart here")] = None,
    officers: Annotated[int | None, typer.Option(min=0, help="officers on duty per unit (default 2)")] = None,
    seeds: Annotated[
        str | None, typer.Option(help="several cities, e.g. 7,11,13: mean and min–max of the headlines")
    ] = None,
    repeat: Annotated[int | None, typer.Option(min=1, help="several cities: seeds S, S+1, … S+N-1")] = None,
    publicity: Annotated[
        bool, typer.Option("--publicity", help="also targeted and flood publicity against none (same luck)")
    ] = False,
) -> None:
    """Run the simulated stream through the platform and two baselines; report who was warned in time."""
    from fanzha.evaluate.suite import SuiteOptions

    chosen = _seeds(seed, seeds, repeat)
    options = SuiteOptions(seed=chosen[0])
    if officers is not None:
        options = replace(options, officers=replace(options.officers, officers_per_unit=officers))
    if publicity:
        from fanzha.evaluate.publicity import PublicityConfig
        from fanzha.jobs.prevention import setup_from_settings
        from fanzha.settings import Settings

        setup = setup_from_settings(Settings())  # FANZHA_PREVENTION_FILE / _TARGETS_FILE, else the shipped
        options = replace(
            options, publicity=PublicityConfig(prevention=setup.config, targeting=setup.targeting)
        )
    if len(chosen) > 1:
        if chart is not None:
            raise typer.BadParameter("a chart shows one city: leave out --chart", param_hint="--chart")
        _evaluate_seeds(population, days, options, chosen, json_out)
        return
    started = time.perf_counter()
    result = _run(population, days, options)
    print_result(result)
    _throughput([result], started)
    if json_out is not None:
        data = result.to_json() | {"parameters": result.parameters | {"population": population, "days": days}}
        _write_json(json_out, data)
    if chart is not None:
        from fanzha.evaluate.chart import write_chart

        title = f"fanzha evaluation: population {population:,}, {days} days, seed {chosen[0]}"
        console.print(f"chart: {write_chart(result, chart, title)}")


def _seeds(seed: int, seeds: str | None, repeat: int | None) -> list[int]:
    """The seeds to run: `--seeds` as given, `--repeat N` from `--seed` on, else `--seed` alone."""
    if seeds is not None and repeat is not None:
        raise typer.BadParameter("give --seeds or --repeat, not both", param_hint="--repeat")
    if repeat is not None:
        return [seed + i for i in range(repeat)]
    if seeds is None:
        return [seed]
    try:
        chosen = [int(part) for part in seeds.split(",") if part.strip()]
    except ValueError:
        raise typer.BadParameter(
            "a comma-separated list of integers, e.g. 7,11,13", param_hint="--seeds"
        ) from None
    if not chosen or len(set(chosen)) != len(chosen):
        raise typer.BadParameter("at least one seed, each once", param_hint="--seeds")
    return chosen


def _evaluate_seeds(
    population: int, days: int, options: SuiteOptions, chosen: list[int], json_out: Path | None
) -> None:
    """The suite on one city per seed; the headline figures' mean and min–max over the cities."""
    from fanzha.evaluate.seeds import headlines, summarise

    started = time.perf_counter()
    results = [_run(population, days, replace(options, seed=s)) for s in chosen]
    per_seed = [
        {name: headlines(report, r.recovery.get(name)) for name, report in r.reports.items()} for r in results
    ]
    summary = summarise(per_seed)
    print_summary(summary, chosen, results)
    for s, r in zip(chosen, results, strict=True):
        if r.publicity is not None:
            from fanzha.cli.evaluate_publicity import publicity_table

            console.print(publicity_table(r.publicity, f"宣防效果 publicity, seed {s}"))
    _throughput(results, started)
    if json_out is not None:
        data = {
            "parameters": {"seeds": chosen, "population": population, "days": days},
            "summary": {run: {f: s.to_json() for f, s in figs.items()} for run, figs in summary.items()},
            "per_seed": {
                str(s): r.to_json() | {"parameters": r.parameters | {"population": population, "days": days}}
                for s, r in zip(chosen, results, strict=True)
            },
        }
        _write_json(json_out, data)


HEADLINE_TITLES = {
    "warned_before_loss": "首笔损失前预警 warned before 1st loss",
    "precision": "预警准确率 precision",
    "precision_high_critical": "高危+准确率 precision HIGH+CRITICAL",
    "loss_prevented": "挽损比例 loss prevented",
    "recovered": "未挽损中追回 recovered (of not prevented)",
}


def print_summary(
    summary: dict[str, dict[str, Summary]], chosen: list[int], results: list[SuiteResult]
) -> None:
    """One row per headline figure, one column per run: mean (min–max) over the cities."""
    from fanzha.evaluate.seeds import HEADLINES

    victims = [r.reports[next(iter(r.reports))].overall for r in results]
    seeds = ", ".join(map(str, chosen))
    table = Table(title=f"{len(chosen)} 个模拟城市 cities (seeds {seeds}): 均值 mean (最小–最大 min–max)")
    table.add_column("指标 metric")
    for name in summary:
        table.add_column(RUN_TITLES.get(name, name), justify="right")
    for figure in HEADLINES:
        table.add_row(HEADLINE_TITLES[figure], *(_range(summary[n][figure]) for n in summary))
    table.caption = "受害人/无平台损失 victims / loss per city: " + "; ".join(
        f"{s}: {f.victims} / {_yuan(f.loss_fen)}" for s, f in zip(chosen, victims, strict=True)
    )
    console.print(table)


def _range(summary: Summary) -> str:
    if summary.mean is None:
        return "—"
    return f"{_pct(summary.mean)} ({_pct(summary.low)}–{_pct(summary.high)})"


def _throughput(results: list[SuiteResult], started: float) -> None:
    runs = [r for result in results for r in result.runs.values()]
    events, seconds = sum(r.events for r in runs), sum(r.seconds for r in runs)
    console.print(
        f"吞吐 throughput: {events / seconds if seconds else 0:,.0f} events/s through the pipeline "
        f"({_runs_of(results)}); total {time.perf_counter() - started:.1f} s"
    )


def _runs_of(results: list[SuiteResult]) -> str:
    if len(results) == 1:
        return f"{len(results[0].runs)} runs of {results[0].parameters['events']:,} events"
    events = sum(r.parameters["events"] for r in results)
    return f"{sum(len(r.runs) for r in results)} runs over {len(results)} cities of {events:,} events"


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    console.print(f"JSON: {path}")


def _run(population: int, days: int, options: SuiteOptions) -> SuiteResult:
    """Generate the city, parse its events once, and run the suite with progress bars."""
    from fanzha.evaluate.loop import prepare
    from fanzha.evaluate.suite import run_suite
    from fanzha.sim.world import generate
    from fanzha.text.model import default_scorer

    with console.status("生成模拟城市 (generating the simulated city)…"):
        world = generate(population, days, options.seed)
    console.print(
        f"模拟城市: {population:,} residents, {days} days, {len(world.events):,} events, "
        f"{len(world.episodes)} fraud episodes (seed {options.seed})"
    )
    with progress_bar() as progress:
        parse_task = progress.add_task("解析事件 parse", total=len(world.events))
        prepared = prepare(world, lambda n: progress.advance(parse_task, n), text_scorer=default_scorer())

        def tracker(name: str) -> Callable[[int], None]:
            task = progress.add_task(f"闭环运行 {name}", total=len(prepared.events))
            return lambda n: progress.advance(task, n)

        return run_suite(prepared, options, tracker)


def print_result(result: SuiteResult) -> None:
    """The comparison table, the per-type table and the trade-off curve."""
    names = list(result.reports)
    table = Table(title="闭环评估 closed-loop evaluation (same stream, same officers)")
    table.add_column("指标 metric")
    for name in names:
        table.add_column(RUN_TITLES.get(name, name), justify="right")
    rows: list[tuple[str, Callable[[Figures], str]]] = [
        ("受害人 victims", lambda f: str(f.victims)),
        ("首笔损失前预警 warned before 1st loss", lambda f: _part(f.warned_before_loss, f.victims)),
        ("事中预警 warned in the episode", lambda f: _part(f.warned_in_episode, f.victims)),
        ("曾被预警 warned at all", lambda f: _part(f.warned_at_all, f.victims)),
        ("损失前联系到 reached before 1st loss", lambda f: _part(f.contacted_before_loss, f.victims)),
        ("信号→预警 signal→warning min p50/p95", lambda f: _spread(f.signal_to_warning)),
        ("信号→联系 signal→contact min p50/p95", lambda f: _spread(f.signal_to_contact)),
        ("预警数(真实) warnings (real fraud)", lambda f: f"{f.warnings} ({f.real_warnings})"),
        ("预警准确率 precision", lambda f: _pct(f.precision)),
        ("高危+准确率 precision HIGH+CRITICAL (visits)", _visit_precision),
        ("联系尝试 contact attempts", lambda f: str(f.contacts)),
        ("无平台损失 loss, no platform", lambda f: _yuan(f.loss_fen)),
        ("挽回损失 loss prevented", lambda f: _yuan(f.prevented_fen)),
        ("挽损比例 share prevented", lambda f: _pct(f.prevented_share)),
    ]
    for label, cell in rows:
        table.add_row(label, *(cell(result.reports[n].overall) for n in names))
    console.print(table)
    console.print(_by_type(result, names))
    if result.workflow:
        console.print(_workflow(result, names))
    if result.recovery:
        console.print(_recovery(result, names))
    console.print(_curve(result))
    if result.publicity is not None:
        from fanzha.cli.evaluate_publicity import publicity_table

        console.print(publicity_table(result.publicity))


def _visit_precision(figures: Figures) -> str:
    visits = sum(n for level, (n, _) in figures.by_level.items() if level >= RiskLevel.HIGH)
    return f"{_pct(figures.visit_precision)} of {visits}"


def _workflow(result: SuiteResult, names: list[str]) -> Table:
    short = " / ".join(RUN_SHORT.get(n, n) for n in names)
    table = Table(title=f"处置流程 workflow KPIs by level (warning/kpis.py, §3.8) — {short}")
    for column in (
        "等级 level",
        "预警 warnings",
        "按时签收 sign-off on time",
        "按时首次联系 1st contact on time",
        "见面率 meet rate",
        "超时 overdue",
        "督办 escalations",
        "办结(无结果) closed (no outcome)",
    ):
        table.add_column(column, justify="right")
    levels = sorted({lv for n in names for lv in result.workflow[n].by_level}, reverse=True)
    rows: list[tuple[str, list[WorkflowFigures | None]]] = [
        ("全部 all", [result.workflow[n].overall for n in names])
    ]
    rows += [(lv.name, [result.workflow[n].by_level.get(lv) for n in names]) for lv in levels]
    cells: list[Callable[[WorkflowFigures], str]] = [
        lambda f: str(f.warnings),
        lambda f: _pct(f.sign_on_time.value, 0),
        lambda f: _pct(f.contact_on_time.value, 0),
        lambda f: _pct(f.meet_rate.value, 0),
        lambda f: str(f.overdue),
        lambda f: str(f.escalations),
        lambda f: f"{f.closed} ({f.closed_without_outcome})",
    ]
    for label, figs in rows:
        table.add_row(label, *(" / ".join(cell(f) if f else "—" for f in figs) for cell in cells))
    refused = {n: result.workflow[n].refusals for n in names}
    table.caption = "流程拒绝的步骤 steps the lifecycle refused: " + ", ".join(
        f"{n} {k}" for n, k in refused.items()
    )
    return table


def _recovery(result: SuiteResult, names: list[str]) -> Table:
    delay = next(iter(result.recovery.values())).delay_minutes
    table = Table(title=f"资金挽回 money recovered: stops {delay:.0f} min after the warning (or the payment)")
    table.add_column("类型 type")
    for name in names:
        table.add_column(f"{RUN_TITLES.get(name, name)}\nnot prevented → recovered", justify="right")
    types = sorted({t for n in names for t in result.recovery[n].by_type}, key=lambda t: t.value)
    rows: list[tuple[str, list[Recovered | None]]] = [
        ("全部 all", [result.recovery[n].overall for n in names])
    ]
    rows += [(t.label, [result.recovery[n].by_type.get(t) for n in names]) for t in types]
    for label, figs in rows:
        table.add_row(
            label,
            *(
                f"{_yuan(f.lost_fen)} → {_yuan(f.recovered_fen)} ({_pct(f.share, 0)})" if f else "—"
                for f in figs
            ),
        )
    return table


def _by_type(result: SuiteResult, names: list[str]) -> Table:
    short = " / ".join(RUN_SHORT.get(n, n) for n in names)
    table = Table(title="分类型 per fraud type (victims by true type; precision by the warning's type)")
    table.add_column("类型 type")
    table.add_column("受害人 victims", justify="right")
    table.add_column(f"损失前预警 warned before loss\n{short}", justify="right")
    table.add_column(f"挽损 prevented\n{short}", justify="right")
    table.add_column(f"准确率 precision\n{RUN_SHORT.get(names[0], names[0])}", justify="right")
    types: set[FraudType] = set()
    for rep in result.reports.values():
        types |= set(rep.by_type)
    for fraud_type in sorted(types, key=lambda t: t.value):
        figs = [result.reports[n].by_type.get(fraud_type) for n in names]
        first = next((f for f in figs if f is not None), None)
        table.add_row(
            fraud_type.label,
            str(first.victims if first else 0),
            " / ".join(str(f.warned_before_loss) if f else "—" for f in figs),
            " / ".join(_pct(f.prevented_share, 0) if f else "—" for f in figs),
            _pct(figs[0].precision) if figs[0] else "—",
        )
    return table


def _curve(result: SuiteResult) -> Table:
    table = Table(title="阈值权衡 trade-off over warn-score thresholds (platform)")
    for column in ("阈值 threshold", "预警数 warnings", "准确率 precision", "损失前预警 warned before loss"):
        table.add_column(column, justify="right")
    for point in result.curve:
        table.add_row(
            str(point.threshold),
            str(point.warnings),
            _pct(point.precision),
            _pct(point.share_warned_before_loss),
        )
    return table


def _part(part: int, whole: int) -> str:
    return f"{part} ({_pct(part / whole if whole else None, 0)})"


def _pct(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{100 * value:.{digits}f}%"


def _spread(value: Spread) -> str:
    if value.median is None or value.p95 is None:
        return "—"
    return f"{value.median:,.0f} / {value.p95:,.0f}"


def _yuan(fen: int) -> str:
    return f"¥{fen // 100:,}.{fen % 100:02d}"
