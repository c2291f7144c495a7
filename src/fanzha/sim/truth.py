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

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "at": self.at.isoformat(),
            "amount_fen": self.amount_fen,
            "payer_account": self.payer_account,
            "payee_account": self.payee_account,
        }


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
    # Added after the first contract (defaults keep old callers working):
    rebates: tuple[Payment, ...] = ()  # money the ring paid the victim (刷单 commissions, "withdrawals")
    support_event_ids: frozenset[str] = frozenset()  # caused by the fraud, not fraud-side (borrowing)

    @property
    def first_payment_at(self) -> datetime | None:
        return self.payments[0].at if self.payments else None

    @property
    def loss_fen(self) -> int:
        return sum(p.amount_fen for p in self.payments)

    @property
    def net_loss_fen(self) -> int:
        return self.loss_fen - sum(r.amount_fen for r in self.rebates)

    def to_json(self) -> dict[str, Any]:
        return {
            "episode_id": self.episode_id,
            "person_id": self.person_id,
            "fraud_type": self.fraud_type.value,
            "campaign_id": self.campaign_id,
            "started_at": self.started_at.isoformat(),
            "first_payment_at": self.first_payment_at.isoformat() if self.first_payment_at else None,
            "loss_fen": self.loss_fen,
            "net_loss_fen": self.net_loss_fen,
            "payments": [p.to_json() for p in self.payments],
            "rebates": [p.to_json() for p in self.rebates],
            "event_ids": sorted(self.event_ids),
            "support_event_ids": sorted(self.support_event_ids),
        }
