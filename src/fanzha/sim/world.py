"""A small simulated city in memory (for the demo, tests and evaluation), and writing it out.

`generate` builds the same events as the streaming writer (`sim.writer`), from the same day frames;
it keeps them all in memory, so it is meant for cities of thousands, not millions.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import BaseModel

from fanzha.event.entities import Account, Indicator, Person, Phone, Unit
from fanzha.sim.banking import account_details
from fanzha.sim.chunks import DEFAULT_START, Setup, day_frames, plan
from fanzha.sim.config import SimConfig
from fanzha.sim.fraud import indicators
from fanzha.sim.people import accounts_frame, persons_frame, phones_frame
from fanzha.sim.truth import Episode
from fanzha.sim.wire import CST, SCHEMA, for_output, to_dicts

__all__ = ["CST", "DEFAULT_START", "World", "generate", "truth_json", "write"]


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
    truth: dict[str, Any] = field(default_factory=dict)  # campaigns, mule accounts, flows, leads


def generate(
    population: int, days: int, seed: int, *, start: datetime = DEFAULT_START, victim_rate: float = 0.01
) -> World:
    """A deterministic city: the same arguments give the same world."""
    setup = plan(population, days, seed, start=start, cfg=SimConfig(victim_rate=victim_rate))
    frames = [frame for _, frame in day_frames(setup)]
    events = to_dicts(pl.concat(frames)) if frames else []
    reference = reference_frames(setup)
    return World(
        units=setup.city.units,
        persons=_models(Person, reference["persons"]),
        phones=_models(Phone, reference["phones"]),
        accounts=_models(Account, reference["accounts"]),
        indicators=indicators(setup.fraud, setup.window),
        events=events,
        episodes=setup.fraud.episodes,
        seed=seed,
        truth=truth_json(setup),
    )


def reference_frames(setup: Setup) -> dict[str, pl.DataFrame]:
    sold = {a.value for a in setup.fraud.infra.mule_accounts() if a.owner}
    details = account_details(setup.pop, sold, seed=setup.seed, start=setup.start.date())
    return {
        "persons": persons_frame(setup.pop, setup.city, setup.seed, setup.start.year),
        "phones": phones_frame(setup.pop),
        "accounts": accounts_frame(setup.pop).join(details, on="account", how="left", maintain_order="left"),
    }


def _models(model: type[BaseModel], frame: pl.DataFrame) -> list[Any]:
    return [
        model.model_validate({k: v for k, v in row.items() if v is not None})
        for row in frame.iter_rows(named=True)
    ]


def truth_json(setup: Setup) -> dict[str, Any]:
    """The ground truth beyond the episodes: campaigns and their assets, mules, money flows, leads."""
    infra = setup.fraud.infra

    def at(ts: int | None) -> str | None:
        return None if ts is None else datetime.fromtimestamp(ts, CST).isoformat()

    def asset(a: Any) -> dict[str, Any]:
        out: dict[str, Any] = a.to_json()
        for key in ("active_from", "active_to", "listed_at"):
            if key in out:
                out[key] = at(out[key])
        return out

    return {
        "seed": setup.seed,
        "start": setup.start.isoformat(),
        "days": setup.days,
        "population": setup.pop.n,
        "campaigns": [
            {
                **c.to_json(),
                **{
                    k: [asset(a) for a in getattr(c, attr).assets]
                    for k, attr in (
                        ("numbers", "numbers"),
                        ("handles", "handles"),
                        ("urls", "hosts"),
                        ("apps", "apps"),
                        ("level1_accounts", "level1"),
                    )
                },
            }
            for c in infra.all_campaigns()
        ],
        "rings": [
            {
                "ring_id": r.ring_id,
                "cashout": r.cashout,
                "sinks": r.sinks,
                "level2_accounts": [asset(a) for a in r.level2.assets],
                "level3_accounts": [asset(a) for a in r.level3.assets],
            }
            for r in infra.rings
        ],
        "flows": [{**f, "at": at(f["at"])} for f in setup.fraud.flows],
        "leads": [
            {**{k: v for k, v in ld.items() if k != "ts"}, "at": at(ld["ts"])} for ld in setup.fraud.leads
        ],
    }


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
        paths[name] = write_models(out_dir / f"{name}.jsonl", models)
    paths["events"] = out_dir / "events.jsonl"
    with paths["events"].open("w", encoding="utf-8") as fh:
        for record in world.events:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    if progress:
        progress("events.jsonl")
    paths["events_parquet"] = out_dir / "events.parquet"
    paths["events_parquet"].mkdir(exist_ok=True)
    frame = _frame_of(world.events)
    frame.write_parquet(paths["events_parquet"] / "part-000-00.parquet")
    paths["truth"] = write_truth(out_dir / "truth.json", world.seed, world.episodes, world.truth)
    return paths


def _frame_of(events: list[dict[str, Any]]) -> pl.DataFrame:
    rows = [{**e, "ts": int(datetime.fromisoformat(e["occurred_at"]).timestamp())} for e in events]
    frame = (
        pl.DataFrame([{k: r.get(k) for k in SCHEMA} for r in rows], schema=SCHEMA)
        if rows
        else pl.DataFrame(schema=SCHEMA)
    )
    return for_output(frame)


def write_models(path: Path, models: list[Any]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for model in models:
            assert isinstance(model, BaseModel)
            fh.write(model.model_dump_json(exclude_none=True) + "\n")
    return path


def write_truth(path: Path, seed: int, episodes: list[Episode], extra: dict[str, Any]) -> Path:
    truth = {"seed": seed, **extra, "episodes": [e.to_json() for e in episodes]}
    path.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
