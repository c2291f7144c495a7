"""Generate a simulated city and write it out: events (JSONL and Parquet), reference data, truth."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import BaseModel

from fanzha.event.entities import Account, Indicator, Person, Phone, Unit
from fanzha.sim.city import build_population
from fanzha.sim.emit import Emitter
from fanzha.sim.fraud import build_ring, cold_calls, journey, pick_type, upstream_lead
from fanzha.sim.life import normal_life
from fanzha.sim.people import Numbers
from fanzha.sim.truth import Episode

CST = timezone(timedelta(hours=8), "CST")
DEFAULT_START = datetime(2026, 10, 1, tzinfo=CST)


@dataclass(frozen=True, slots=True)
class World:
    units: list[Unit]
    persons: list[Person]
    phones: list[Phone]
    accounts: list[Account]
    indicators: list[Indicator]
    events: list[dict[str, Any]]
    episodes: list[Episode]
    seed: int


def generate(
    population: int, days: int, seed: int, *, start: datetime = DEFAULT_START, victim_rate: float = 0.01
) -> World:
    """A deterministic city: the same arguments give the same world."""
    rng = random.Random(seed)
    numbers = Numbers(rng, set())
    pop = build_population(population, rng, numbers, start.year)
    ring = build_ring(rng, numbers, start, days, size=max(5, population // 200))
    out = Emitter(prefix=f"sim{seed}-")
    normal_life(pop, rng=rng, numbers=numbers, start=start, days=days, out=out)
    cold_calls(pop, ring, rng=rng, start=start, days=days, out=out)
    victims = rng.sample(pop.persons, k=max(1, round(population * victim_rate)))
    episodes = []
    for person in victims:
        at = start + timedelta(seconds=rng.randrange(max(1, days * 86400 - 6 * 3600)))
        fraud_type = pick_type(rng, person)
        episode = journey(person=person, fraud_type=fraud_type, pop=pop, ring=ring, rng=rng, at=at, out=out)
        upstream_lead(episode, pop, rng, out)
        episodes.append(episode)
    return World(
        pop.units, pop.persons, pop.phones, pop.accounts, ring.indicators, out.finish(), episodes, seed
    )


def write(world: World, out_dir: Path, progress: Callable[[str], None] | None = None) -> dict[str, Path]:
    """Write the world under `out_dir`; returns the paths by name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for name, models in (
        ("units", world.units),
        ("persons", world.persons),
        ("phones", world.phones),
        ("accounts", world.accounts),
        ("indicators", world.indicators),
    ):
        paths[name] = _write_models(out_dir / f"{name}.jsonl", models)
    paths["events"] = out_dir / "events.jsonl"
    with paths["events"].open("w", encoding="utf-8") as fh:
        for record in world.events:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    if progress:
        progress("events.jsonl")
    paths["events_parquet"] = out_dir / "events.parquet"
    pl.DataFrame(world.events, infer_schema_length=None).write_parquet(paths["events_parquet"])
    paths["truth"] = out_dir / "truth.json"
    truth = {
        "seed": world.seed,
        "episodes": [e.to_json() for e in world.episodes],
    }
    paths["truth"].write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return paths


def _write_models(path: Path, models: list[Any]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for model in models:
            assert isinstance(model, BaseModel)
            fh.write(model.model_dump_json(exclude_none=True) + "\n")
    return path
