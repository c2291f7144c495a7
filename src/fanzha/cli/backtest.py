"""`fanzha backtest`: what a candidate policy would have done on stored events, beside the active one.

Nothing is written and nothing is dispatched: events go through the pure `evaluate` with the
active policy and the candidate as its shadow, and the virtual warnings of each are counted."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from fanzha.cli.common import console, err_console, open_store
from fanzha.clock import ManualClock
from fanzha.event.codes import RiskLevel

if TYPE_CHECKING:
    from fanzha.event.model import Event
    from fanzha.risk.policy import Policy
    from fanzha.warning.dedup import ShadowDecision


@dataclass
class Tally:
    """What one policy would have done."""

    assessments: int = 0
    warnings: int = 0
    raised: int = 0
    stop_payment: int = 0
    by_level: Counter[str] = field(default_factory=Counter)
    warned: set[str] = field(default_factory=set)

    def count(self, decision: ShadowDecision) -> None:
        a = decision.assessment
        self.assessments += 1
        if decision.opens and a.level is not None:
            self.warnings += 1
            self.by_level[a.level.label] += 1
            self.warned.add(a.subject_key)
            self.stop_payment += a.propose_stop_payment
        self.raised += decision.raises


def backtest(
    policy: Annotated[Path, typer.Option(help="candidate policy YAML")],
    events: Annotated[Path, typer.Option(help="a .jsonl/.parquet file or a directory of them")],
    active: Annotated[Path | None, typer.Option(help="active policy YAML (default: the shipped one)")] = None,
) -> None:
    """Compare a candidate policy with the active one on stored events, without writing anything."""
    from fanzha.detection.context import DetectionContext
    from fanzha.detection.state import InMemoryState
    from fanzha.pipeline import PipelineContext, evaluate
    from fanzha.risk.policy import default_policy
    from fanzha.settings import Settings
    from fanzha.store.directory import load_directory, load_indicators, load_profiles
    from fanzha.store.engine import session_factory
    from fanzha.warning.dedup import virtual_warning

    candidate, current = _policy(policy), _policy(active) if active else default_policy()
    if candidate.version == current.version:
        err_console.print("[red]error:[/red] the candidate must carry a version of its own")
        raise typer.Exit(2)
    engine = open_store(Settings())
    with session_factory(engine)() as session:
        detection = DetectionContext(lists=load_indicators(session), profiles=load_profiles(session))
        directory = load_directory(session)
    clock = ManualClock(datetime(2000, 1, 1, tzinfo=UTC))
    ctx = PipelineContext(
        clock=clock, policy=current, detection=detection, directory=directory, shadow_policy=candidate
    )
    tallies = {current.version: Tally(), candidate.version: Tally()}
    state = InMemoryState()
    read = rejected = 0
    for event in _events(events):
        read += 1
        if event is None:
            rejected += 1
            continue
        clock.set(event.occurred_at)
        result = evaluate(event, state, ctx)
        if result.assessment is not None and result.shadow is not None:
            active_decision = virtual_warning(state, result.assessment, event.occurred_at, current.window)
            tallies[current.version].count(active_decision)
            tallies[candidate.version].count(result.shadow)
    _print(tallies, current.version, candidate.version, read, rejected)


def _policy(path: Path) -> Policy:
    from pydantic import ValidationError

    from fanzha.risk.policy import load_policy

    try:
        return load_policy(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        err_console.print(f"[red]error:[/red] {path}: no such file")
        raise typer.Exit(2) from exc
    except (ValidationError, ValueError) as exc:
        err_console.print(f"[red]error:[/red] {path}: invalid policy: {exc}")
        raise typer.Exit(2) from exc


def _events(path: Path) -> list[Event | None]:
    """All events at `path` in event-time order (None for each rejected record)."""
    from fanzha.event.parse import Rejection, parse_line, parse_mapping
    from fanzha.stream.sources import SourceError, files_in, read_records

    try:
        files = files_in(path)
    except SourceError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    parsed: list[Event | None] = []
    for file in files:
        for record in read_records(file):
            data = record.data
            event = parse_line(data, record.ref) if isinstance(data, str) else parse_mapping(data, record.ref)
            parsed.append(None if isinstance(event, Rejection) else event)
    good = sorted((e for e in parsed if e is not None), key=lambda e: e.occurred_at)
    return [*good, *(None for e in parsed if e is None)]


def _print(tallies: dict[str, Tally], active: str, candidate: str, read: int, rejected: int) -> None:
    a, c = tallies[active], tallies[candidate]
    table = Table(title=f"回测 backtest: {read:,} records ({rejected:,} rejected)")
    table.add_column("")
    table.add_column(f"active {active}", justify="right")
    table.add_column(f"candidate {candidate}", justify="right")
    rows = [
        ("assessments", a.assessments, c.assessments),
        ("warnings opened", a.warnings, c.warnings),
        ("warnings raised in level", a.raised, c.raised),
        ("stop-payment proposals", a.stop_payment, c.stop_payment),
        *(
            (f"  {lv.label}", a.by_level[lv.label], c.by_level[lv.label])
            for lv in sorted(RiskLevel, reverse=True)
        ),
        ("subjects warned", len(a.warned), len(c.warned)),
        ("warned by this policy only", len(a.warned - c.warned), len(c.warned - a.warned)),
    ]
    for label, x, y in rows:
        table.add_row(label, f"{x:,}", f"{y:,}")
    console.print(table)
