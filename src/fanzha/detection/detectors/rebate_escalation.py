"""刷单返利: did small "rebates" come in, and are the payments going out now growing?

A rebate is a small payment into the person's account from an account that is not a known
resident's. After one, the first payment out to a stranger is suspicious; payments that keep
growing are the brushing script's "top up more, earn more" stage."""

from __future__ import annotations

from collections.abc import Sequence

from fanzha.detection.context import DetectionContext
from fanzha.detection.detectors.base import Mark, Subject, recall, remember
from fanzha.detection.model import Signal
from fanzha.detection.state import KeyedState
from fanzha.event.codes import FraudType
from fanzha.event.model import Event, Transfer


class RebateEscalation:
    codes = frozenset({"PAYMENT_AFTER_REBATE", "ESCALATING_PAYMENTS_AFTER_REBATE"})
    name = "rebate_escalation"
    kinds = frozenset({"transfer"})

    def observe(
        self, event: Event, subject: Subject, state: KeyedState, ctx: DetectionContext
    ) -> Sequence[Signal]:
        if not isinstance(event, Transfer):
            return ()
        settings = ctx.settings
        window = settings.rebate_window
        payee = subject.counterparty_key
        if payee is not None and subject.person_id is None and event.amount_fen <= settings.rebate_max_fen:
            mark = Mark(event.occurred_at, str(event.amount_fen), FraudType.BRUSHING.value, event.event_id)
            remember(state, f"{self.name}:in:{payee}", mark, window, keep=4)
        if subject.counterparty_key is not None or (
            subject.profile and subject.profile.knows(event.payee_account)
        ):
            return ()  # paying a known resident, or a payee paid before, is not the brushing ring
        rebates = recall(state, f"{self.name}:in:{subject.key}", event.occurred_at, window)
        if not rebates or event.amount_fen <= max(int(m.what) for m in rebates):
            return ()
        out_key = f"{self.name}:out:{subject.key}"
        before = recall(state, out_key, event.occurred_at, window)
        mark = Mark(event.occurred_at, str(event.amount_fen), FraudType.BRUSHING.value, event.event_id)
        remember(state, out_key, mark, window, keep=6)
        growing = bool(before) and event.amount_fen >= settings.escalation_growth * int(before[-1].what)
        code = "ESCALATING_PAYMENTS_AFTER_REBATE" if growing else "PAYMENT_AFTER_REBATE"
        summary = "收到小额返利后转出金额逐笔增大" if growing else "收到小额返利后向陌生账户转账"
        return (
            Signal(
                code=code,
                detector=self.name,
                fraud_type=FraudType.BRUSHING,
                summary=summary,
                at=event.occurred_at,
                event_id=event.event_id,
                evidence={
                    "rebates": len(rebates),
                    "rebate_fen": int(rebates[-1].what),
                    "rebate_event_id": rebates[-1].event_id,
                    "payments_after": len(before) + 1,
                    "previous_fen": int(before[-1].what) if before else 0,
                    "payee_account": event.payee_account,
                    "amount_fen": event.amount_fen,
                },
            ),
        )
