"""Is the person paying into an account already on the fraud-account list?"""

from __future__ import annotations

from collections.abc import Sequence

from fanzha.detection.context import DetectionContext
from fanzha.detection.detectors.base import Subject
from fanzha.detection.model import Signal
from fanzha.detection.state import KeyedState
from fanzha.event.codes import IndicatorKind
from fanzha.event.model import Event, Transfer


class PayeeListed:
    codes = frozenset({"PAYEE_LISTED"})
    name = "payee_listed"
    kinds = frozenset({"transfer"})

    def observe(
        self, event: Event, subject: Subject, state: KeyedState, ctx: DetectionContext
    ) -> Sequence[Signal]:
        if not isinstance(event, Transfer):
            return ()
        hit = ctx.lists.match(IndicatorKind.ACCOUNT, event.payee_account, event.occurred_at)
        if hit is None:
            return ()
        return (
            Signal(
                code="PAYEE_LISTED",
                detector=self.name,
                fraud_type=hit.fraud_type,
                summary="向涉诈账户转账",
                at=event.occurred_at,
                event_id=event.event_id,
                evidence={
                    "payee_account": event.payee_account,
                    "amount_fen": event.amount_fen,
                    "list_source": hit.source,
                },
            ),
        )
