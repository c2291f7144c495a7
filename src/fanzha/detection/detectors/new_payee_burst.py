"""Is the person making several payments to new payees in quick succession?"""

from __future__ import annotations

from collections.abc import Sequence

from fanzha.detection.context import DetectionContext
from fanzha.detection.detectors.base import Mark, Subject, recall, remember
from fanzha.detection.model import Signal
from fanzha.detection.state import KeyedState
from fanzha.event.codes import FraudType
from fanzha.event.model import Event, Transfer


class NewPayeeBurst:
    codes = frozenset({"NEW_PAYEE_BURST"})
    name = "new_payee_burst"
    kinds = frozenset({"transfer"})

    def observe(
        self, event: Event, subject: Subject, state: KeyedState, ctx: DetectionContext
    ) -> Sequence[Signal]:
        profile = subject.profile
        if not isinstance(event, Transfer) or profile is None or profile.knows(event.payee_account):
            return ()
        settings = ctx.settings
        key = f"{self.name}:{subject.key}"
        mark = Mark(event.occurred_at, str(event.amount_fen), FraudType.UNKNOWN.value, event.event_id)
        remember(state, key, mark, settings.burst_window, keep=max(settings.burst_count, 2))
        marks = recall(state, key, event.occurred_at, settings.burst_window)
        total = sum(int(m.what) for m in marks)
        if len(marks) < settings.burst_count or total < settings.burst_min_total_fen:
            return ()
        return (
            Signal(
                code="NEW_PAYEE_BURST",
                detector=self.name,
                fraud_type=FraudType.UNKNOWN,
                summary="短时间内向多个新收款人连续转账",
                at=event.occurred_at,
                event_id=event.event_id,
                evidence={
                    "payments": len(marks),
                    "total_fen": total,
                    "minutes_span": int((event.occurred_at - marks[0].at).total_seconds() // 60),
                    "first_event_id": marks[0].event_id,
                    "payee_account": event.payee_account,
                    "amount_fen": event.amount_fen,
                },
            ),
        )
