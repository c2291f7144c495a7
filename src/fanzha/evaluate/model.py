"""What one evaluation run leaves behind, as plain data: warnings opened, contacts made, payments withheld.

Metrics are computed from these records and the simulator's truth only, so they can be checked on
hand-built cases without running anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from fanzha.evaluate.workflow import CaseRecord, Refusal
from fanzha.event.codes import FraudType, RiskLevel
from fanzha.sim.truth import Episode


class Channel(StrEnum):
    """How an officer reaches a person (domain brief §3.4: SMS, phone call, meeting in person)."""

    SMS = "SMS"
    CALL = "CALL"
    VISIT = "VISIT"


class Outcome(StrEnum):
    """What one contact attempt achieved (a subset of the brief's §3.6 outcome codes)."""

    SUCCESS_NO_LOSS = "SUCCESS_NO_LOSS"
    SUCCESS_PARTIAL = "SUCCESS_PARTIAL"
    DEFRAUDED = "DEFRAUDED"
    REFUSED = "REFUSED"
    NOT_FRAUD = "NOT_FRAUD"
    UNREACHABLE = "UNREACHABLE"

    @property
    def stopped(self) -> bool:
        return self in (Outcome.SUCCESS_NO_LOSS, Outcome.SUCCESS_PARTIAL)


@dataclass(frozen=True, slots=True)
class WarningRecord:
    """A warning as the run opened it; `level` and `score` are the highest it reached."""

    warning_id: int
    person_id: str | None
    opened_at: datetime
    first_event_id: str
    level: RiskLevel
    score: int
    fraud_type: FraudType


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """One contact attempt on a warning: when it reached (or failed to reach) the person, and the outcome."""

    warning_id: int
    person_id: str | None
    at: datetime
    channel: Channel
    outcome: Outcome

    @property
    def reached(self) -> bool:
        return self.outcome is not Outcome.UNREACHABLE


@dataclass(frozen=True, slots=True)
class TransferEvent:
    """A transfer of the stream, as the money trace needs it (generic: any simulator's transfers)."""

    event_id: str
    payer_account: str
    payee_account: str
    amount_fen: int
    occurred_at: datetime
    channel: str = "mobile"


@dataclass(frozen=True, slots=True)
class ScorePoint:
    """One assessment of a person: the score after one event (for the threshold trade-off curve)."""

    person_id: str
    at: datetime
    score: int
    event_id: str


@dataclass(frozen=True, slots=True)
class RunRecord:
    """Everything a run did: its warnings, contacts, the payments dissuasion withheld, its assessments."""

    name: str
    warnings: tuple[WarningRecord, ...]
    contacts: tuple[ContactRecord, ...] = ()
    withheld: frozenset[str] = frozenset()
    scores: tuple[ScorePoint, ...] = ()
    events: int = 0
    seconds: float = 0.0
    cases: tuple[CaseRecord, ...] = ()  # the officers' workflow, one record per assigned warning
    refusals: tuple[Refusal, ...] = ()  # steps the lifecycle refused (a bug of the simulated officers)

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Truth:
    """The no-platform world: its episodes, and when each left its first trace in the stream."""

    episodes: tuple[Episode, ...]
    first_signal_at: Mapping[str, datetime]

    def first_signal(self, episode: Episode) -> datetime:
        """When the platform could first have seen this episode (its earliest event; else its start)."""
        return self.first_signal_at.get(episode.episode_id, episode.started_at)


def draw(seed: str, *keys: object) -> float:
    """A uniform number in [0, 1) fixed by `seed` and `keys`.

    Runs draw by what a contact is (this person, channel and quarter hour; this episode, channel, next
    payment and hour) rather than from one sequence or by the n-th try, so the platform and the
    baselines meet the same luck and an extra contact shifts no later draw: common random numbers,
    which keep the comparison from drowning in noise.
    """
    text = "\x1f".join([seed, *(str(k) for k in keys)])
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64
