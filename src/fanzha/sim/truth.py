"""Ground truth of the simulated city: who was defrauded, when, by which type, and what they lost.

This is the contract between the simulator and the evaluation. Every fraud-side event of an
episode is named by its event id, and every loss by its transfer's event id, so that the
evaluation can match warnings to victims and, in the closed loop, withhold the payments a
successful dissuasion would have stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fanzha.event.codes import FraudType


@dataclass(frozen=True, slots=True)
class Payment:
    """One transfer a victim made to the fraud, as it would happen with no platform."""

    event_id: str
    at: datetime
    amount_fen: int
    payer_account: str
    payee_account: str


@dataclass(frozen=True, slots=True)
class Episode:
    """One victim's fraud episode: from the first fraud contact to the last payment."""

    episode_id: str
    person_id: str
    fraud_type: FraudType
    started_at: datetime
    payments: tuple[Payment, ...]
    event_ids: frozenset[str]
    campaign_id: str | None = None

    @property
    def first_payment_at(self) -> datetime | None:
        return self.payments[0].at if self.payments else None

    @property
    def loss_fen(self) -> int:
        return sum(p.amount_fen for p in self.payments)

    def to_json(self) -> dict[str, Any]:
        return {
            "episode_id": self.episode_id,
            "person_id": self.person_id,
            "fraud_type": self.fraud_type.value,
            "campaign_id": self.campaign_id,
            "started_at": self.started_at.isoformat(),
            "first_payment_at": self.first_payment_at.isoformat() if self.first_payment_at else None,
            "loss_fen": self.loss_fen,
            "payments": [
                {
                    "event_id": p.event_id,
                    "at": p.at.isoformat(),
                    "amount_fen": p.amount_fen,
                    "payer_account": p.payer_account,
                    "payee_account": p.payee_account,
                }
                for p in self.payments
            ],
            "event_ids": sorted(self.event_ids),
        }
