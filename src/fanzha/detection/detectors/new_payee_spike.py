"""Is this a first payment to a new payee, far above what the person usually pays?"""

from __future__ import annotations

from collections.abc import Sequence

from fanzha.detection.context import DetectionContext
from fanzha.detection.detectors.base import Subject
from fanzha.detection.model import Signal
from fanzha.detection.state import KeyedState
from fanzha.event.codes import FraudType
from fanzha.event.model import Event, Transfer


class NewPayeeSpike:
    codes = frozenset({"NEW_PAYEE_SPIKE"})
    name = "new_payee_spike"
    kinds = frozenset({"transfer"})

    def observe(
        self, event: Event, subject: Subject, state: KeyedState, ctx: DetectionContext
    ) -> Sequence[Signal]:
        profile = subject.profile
        settings = ctx.settings
        if not isinstance(event, Transfer) or profile is None or event.amount_fen < settings.spike_min_fen:
            return ()
        if profile.knows(event.payee_account):
            return ()
        if profile.count < settings.norm_min_history and event.amount_fen < settings.cold_start_min_fen:
            return ()
        deviations = profile.deviations(event.amount_fen, settings)
        if deviations < settings.spike_deviations:
            return ()
        typical = profile.typical_fen()
        return (
            Signal(
                code="NEW_PAYEE_SPIKE",
                detector=self.name,
                fraud_type=FraudType.UNKNOWN,
                summary="向新收款人首次转账，金额远超本人日常水平",
                at=event.occurred_at,
                event_id=event.event_id,
                evidence={
                    "payee_account": event.payee_account,
                    "amount_fen": event.amount_fen,
                    "typical_fen": typical,
                    "times_typical": event.amount_fen // max(typical, 1),
                    "payments_seen": profile.count,
                },
            ),
        )
