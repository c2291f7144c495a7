"""Seeded test streams for the runner equivalence suite and `fanzha bench flink`.

A simulated city slice (`fanzha.sim`), written as a directory of JSONL and Parquet parts in *arrival*
order: most events arrive in time, some a little out of order (within the bounded out-of-orderness),
some late (within the allowed lateness), some too late, some twice, and a few lines are not events at
all. The same seed gives the same directory; nothing here decides what the runners should conclude.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Engine

from fanzha.sim.world import World, generate
from fanzha.store.directory import replace_reference_data
from fanzha.store.engine import session_factory
from fanzha.stream.flink.eventtime import TimePolicy
from fanzha.uow import UnitOfWork


@dataclass(frozen=True)
class Disorder:
    """Shares of events that arrive out of order, late, too late or twice, and bad lines per part."""

    out_of_order: float = 0.10
    late: float = 0.02
    too_late: float = 0.005
    duplicates: float = 0.01
    bad_lines: int = 1


@dataclass(frozen=True)
class StreamSpec:
    population: int = 300
    days: int = 2
    seed: int = 7
    victim_rate: float = 0.05
    part_events: int = 500
    parquet_every: int = 3  # every third part is Parquet, the rest JSONL
    disorder: Disorder = Disorder()


def city(spec: StreamSpec) -> World:
    return generate(spec.population, spec.days, spec.seed, victim_rate=spec.victim_rate)


def load_reference(engine: Engine, world: World) -> None:
    """Units, persons, phones, accounts and lists of the simulated city into the store."""
    with UnitOfWork(session_factory(engine)) as uow:
        replace_reference_data(
            uow.session,
            units=world.units,
            persons=world.persons,
            phones=world.phones,
            accounts=world.accounts,
            indicators=world.indicators,
        )
        uow.commit()


def _delay(rng: random.Random, disorder: Disorder, policy: TimePolicy) -> timedelta:
    bound, lateness = policy.out_of_orderness, policy.allowed_lateness
    roll = rng.random()
    if roll < disorder.too_late:
        return bound + lateness * rng.uniform(1.2, 2.0)
    roll -= disorder.too_late
    if roll < disorder.late:
        return bound * 2 + (lateness - bound * 2) * rng.uniform(0.05, 0.8)
    roll -= disorder.late
    if roll < disorder.out_of_order:
        return bound * rng.uniform(0.05, 0.9)
    return timedelta(0)


def arrivals(world: World, spec: StreamSpec, policy: TimePolicy) -> list[dict[str, Any]]:
    """The city's events in the order they arrive."""
    rng = random.Random(spec.seed)
    timed: list[tuple[datetime, int, dict[str, Any]]] = []
    for i, event in enumerate(world.events):
        at = datetime.fromisoformat(str(event["occurred_at"]))
        timed.append((at + _delay(rng, spec.disorder, policy), 2 * i, event))
        if rng.random() < spec.disorder.duplicates:
            timed.append((at + timedelta(minutes=rng.uniform(1, 120)), 2 * i + 1, event))
    timed.sort(key=lambda t: (t[0], t[1]))
    return [event for _, _, event in timed]


def write_stream(out: Path, spec: StreamSpec, policy: TimePolicy, world: World | None = None) -> World:
    """Write the seeded stream's parts under `out` (created); returns the city."""
    world = world or city(spec)
    events = arrivals(world, spec, policy)
    out.mkdir(parents=True, exist_ok=True)
    for number, start in enumerate(range(0, len(events), spec.part_events)):
        part = events[start : start + spec.part_events]
        name = f"part-{number:05d}"
        if spec.parquet_every and number % spec.parquet_every == spec.parquet_every - 1:
            pl.DataFrame(part, infer_schema_length=None).write_parquet(out / f"{name}.parquet")
            continue
        lines = [json.dumps(e, ensure_ascii=False) for e in part]
        for k in range(spec.disorder.bad_lines):
            lines.insert(
                (k * 37 + number) % (len(lines) + 1),
                '{"kind": "transfer", "event_id": "bad-' + name + "-" + str(k) + '"',
            )
        (out / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return world
