"""The publicity comparison's figures: pure functions of runs and the simulator's truth. No I/O.

- *victims*: episodes whose person still made at least one payment in the run (platform, officers and
  publicity all acting); *loss_fen*: the payments still made;
- *avoided*: the no-publicity run's victims (or loss) minus this run's, per 1,000 messages sent and per
  officer hour spent on publicity (None where nothing was sent or spent).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fanzha.evaluate.model import RunRecord
from fanzha.sim.truth import Episode

STRATEGIES = ("targeted", "flood", "none")


@dataclass(frozen=True, slots=True)
class Outcome:
    victims: int
    loss_fen: int


def outcome(run: RunRecord, episodes: Iterable[Episode]) -> Outcome:
    """Victims who still paid and what they paid, in `run`."""
    victims = loss = 0
    for episode in episodes:
        made = [p.amount_fen for p in episode.payments if p.event_id not in run.withheld]
        victims += bool(made)
        loss += sum(made)
    return Outcome(victims, loss)


def _per(amount: float, over: float, scale: float = 1.0) -> float | None:
    return round(amount * scale / over, 3) if over > 0 else None


@dataclass(frozen=True, slots=True)
class StrategyFigures:
    """One strategy's cost and result, and what it avoided against no publicity."""

    messages: int
    officer_hours: float
    victims: int
    loss_fen: int
    victims_avoided: int
    loss_avoided_fen: int
    visits: int = 0
    special_contacts: int = 0

    @property
    def victims_avoided_per_1000_messages(self) -> float | None:
        return _per(self.victims_avoided, self.messages, 1000)

    @property
    def loss_avoided_per_1000_messages_fen(self) -> float | None:
        return _per(self.loss_avoided_fen, self.messages, 1000)

    @property
    def victims_avoided_per_officer_hour(self) -> float | None:
        return _per(self.victims_avoided, self.officer_hours)

    @property
    def loss_avoided_per_officer_hour_fen(self) -> float | None:
        return _per(self.loss_avoided_fen, self.officer_hours)

    def to_json(self) -> dict[str, Any]:
        return {
            "messages": self.messages,
            "officer_hours": round(self.officer_hours, 2),
            "victims": self.victims,
            "loss_fen": self.loss_fen,
            "victims_avoided_per_1000_messages": self.victims_avoided_per_1000_messages,
            "victims_avoided": self.victims_avoided,
            "loss_avoided_fen": self.loss_avoided_fen,
            "loss_avoided_per_1000_messages_fen": self.loss_avoided_per_1000_messages_fen,
            "victims_avoided_per_officer_hour": self.victims_avoided_per_officer_hour,
            "loss_avoided_per_officer_hour_fen": self.loss_avoided_per_officer_hour_fen,
            "visits": self.visits,
            "special_contacts": self.special_contacts,
        }


@dataclass(frozen=True, slots=True)
class Spent:
    """What a strategy cost: messages sent, officer minutes, visits, special groups' light contacts."""

    messages: int = 0
    officer_minutes: float = 0.0
    visits: int = 0
    special_contacts: int = 0


def figures(result: Outcome, baseline: Outcome, spent: Spent) -> StrategyFigures:
    return StrategyFigures(
        messages=spent.messages,
        officer_hours=spent.officer_minutes / 60,
        victims=result.victims,
        loss_fen=result.loss_fen,
        victims_avoided=baseline.victims - result.victims,
        loss_avoided_fen=baseline.loss_fen - result.loss_fen,
        visits=spent.visits,
        special_contacts=spent.special_contacts,
    )


@dataclass(frozen=True, slots=True)
class PublicityReport:
    """targeted, flood and none, on the same stream with the same luck."""

    strategies: dict[str, StrategyFigures]
    parameters: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {name: self.strategies[name].to_json() for name in STRATEGIES if name in self.strategies}
