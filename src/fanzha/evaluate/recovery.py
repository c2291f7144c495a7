"""Money recovered (issue 7): of each victim payment that dissuasion did not prevent, how much a
stop-payment would catch, traced through the transfers of the simulated stream.

Generic over transfer events (payer, payee, amount, time, channel), independent of the simulator:
- the graph is every transfer the run delivered (a withheld payment never happened);
- a cash withdrawal (channel "atm") is terminal: its money is gone, no stop can catch it; an account
  with no outgoing transfer is terminal by itself (the money is still there);
- the centre stops every traced account the money had reached `delay` [DESIGN, 30 min] after the
  run's first warning on the victim or the payment, whichever is later (`funds.recovery`);
- with no warning on the victim in that run, nobody stops anything: nothing is recovered.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fanzha.evaluate.metrics import by_person_id, episode_end
from fanzha.evaluate.model import RunRecord, TransferEvent, Truth
from fanzha.event.codes import FraudType
from fanzha.funds.model import Edge
from fanzha.funds.recovery import holds_from_exposure, recoverable
from fanzha.funds.trace import ListGraph, TraceSettings, trace
from fanzha.sim.truth import Episode

CASH_PREFIX = "cash-out:"


@dataclass(frozen=True, slots=True)
class RecoverySettings:
    """[DESIGN] what-if of the stop-payment: delay after warning (or payment), which warnings count."""

    delay: timedelta = timedelta(minutes=30)
    # A warning counts for an episode from its start to this long after its last payment.
    window: timedelta = timedelta(hours=72)
    trace: TraceSettings = field(default_factory=TraceSettings)


@dataclass(frozen=True, slots=True)
class Recovered:
    """Loss not prevented, and the part of it stops would have caught (fen)."""

    lost_fen: int = 0
    recovered_fen: int = 0

    @property
    def share(self) -> float | None:
        return self.recovered_fen / self.lost_fen if self.lost_fen else None

    def __add__(self, other: Recovered) -> Recovered:
        return Recovered(self.lost_fen + other.lost_fen, self.recovered_fen + other.recovered_fen)

    def to_json(self) -> dict[str, Any]:
        return {
            "not_prevented_fen": self.lost_fen,
            "recovered_fen": self.recovered_fen,
            "recovered_share": self.share,
        }


@dataclass(frozen=True, slots=True)
class RecoveryReport:
    overall: Recovered
    by_type: dict[FraudType, Recovered]
    delay_minutes: float

    def to_json(self) -> dict[str, Any]:
        return {
            "delay_minutes": self.delay_minutes,
            "overall": self.overall.to_json(),
            "by_type": {t.value: r.to_json() for t, r in self.by_type.items()},
        }


def stream_graph(transfers: Iterable[TransferEvent], withheld: Container[str] = frozenset()) -> ListGraph:
    """The run's transfers as a `funds.trace` graph; an ATM withdrawal pays a cash sink of its own."""
    return ListGraph(
        Edge(
            t.event_id,
            t.payer_account,
            f"{CASH_PREFIX}{t.event_id}" if t.channel == "atm" else t.payee_account,
            t.occurred_at,
            t.amount_fen,
        )
        for t in transfers
        if t.event_id not in withheld
    )


def episode_recovery(
    episode: Episode,
    warned_at: datetime | None,
    graph: ListGraph,
    withheld: Container[str],
    settings: RecoverySettings,
) -> Recovered:
    """The episode's payments not withheld, and what stops after the warning would catch of them."""
    lost = recovered = 0
    for payment in episode.payments:
        if payment.event_id in withheld:
            continue
        lost += payment.amount_fen
        if warned_at is None:
            continue
        root = Edge(
            payment.event_id, payment.payer_account, payment.payee_account, payment.at, payment.amount_fen
        )
        traced = trace(graph, [root], settings.trace)
        holds = holds_from_exposure(traced, reported_at=max(warned_at, payment.at), delay=settings.delay)
        held = {a: t for a, t in holds.items() if not a.startswith(CASH_PREFIX)}
        recovered += recoverable(traced, held).recoverable_fen
    return Recovered(lost, recovered)


def first_warning(episode: Episode, opened: Sequence[datetime], window: timedelta) -> datetime | None:
    """The run's first warning on the victim within the episode (start to last payment + window)."""
    inside = [t for t in opened if episode.started_at <= t <= episode_end(episode) + window]
    return min(inside, default=None)


def money_recovered(
    run: RunRecord, truth: Truth, transfers: Sequence[TransferEvent], settings: RecoverySettings | None = None
) -> RecoveryReport:
    """Money recovered by stops after the run's warnings, overall and per (true) fraud type."""
    settings = settings or RecoverySettings()
    graph = stream_graph(transfers, run.withheld)
    opened = {person: [w.opened_at for w in ws] for person, ws in by_person_id(run.warnings).items()}
    overall = Recovered()
    by_type: dict[FraudType, Recovered] = {}
    for episode in truth.episodes:
        if not episode.payments:
            continue
        warned_at = first_warning(episode, opened.get(episode.person_id, []), settings.window)
        got = episode_recovery(episode, warned_at, graph, run.withheld, settings)
        overall += got
        by_type[episode.fraud_type] = by_type.get(episode.fraud_type, Recovered()) + got
    ordered = dict(sorted(by_type.items(), key=lambda item: item[0].value))
    return RecoveryReport(overall, ordered, settings.delay.total_seconds() / 60)
