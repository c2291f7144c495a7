"""虚假贷款: after installing a loan app, is the person paying "fees" while no loan ever arrives?

Real lenders pay out before they collect; fake ones ask for handling, deposit or "unfreeze" fees
first. So a loan app arms the question, the loan actually arriving disarms it, and payments to new
payees in between are the fees."""

from __future__ import annotations

from collections.abc import Sequence

from fanzha.detection.context import DetectionContext
from fanzha.detection.detectors.base import Mark, Subject, recall, remember
from fanzha.detection.model import Signal
from fanzha.detection.state import KeyedState
from fanzha.event.codes import AppCategory, FraudType, IndicatorKind
from fanzha.event.model import AppInstall, Event, Transfer


class LoanFees:
    codes = frozenset({"FEE_AFTER_LOAN_APP", "REPEATED_LOAN_FEES"})
    name = "loan_fees"
    kinds = frozenset({"app_install", "transfer"})

    def observe(
        self, event: Event, subject: Subject, state: KeyedState, ctx: DetectionContext
    ) -> Sequence[Signal]:
        settings = ctx.settings
        window = settings.loan_window
        if isinstance(event, AppInstall):
            listed = ctx.lists.match(IndicatorKind.APP, event.package or event.app_name, event.occurred_at)
            if event.category is AppCategory.LOAN or (listed and listed.fraud_type is FraudType.LOAN):
                mark = Mark(event.occurred_at, event.app_name, FraudType.LOAN.value, event.event_id)
                remember(state, f"{self.name}:app:{subject.key}", mark, window, keep=2)
            return ()
        if not isinstance(event, Transfer):
            return ()
        payee = subject.counterparty_key
        if payee is not None and event.amount_fen >= settings.loan_disbursement_min_fen:
            state.delete(f"{self.name}:app:{payee}")  # the loan arrived: it was a lender
            state.delete(f"{self.name}:fee:{payee}")
        profile = subject.profile
        if event.amount_fen < settings.loan_fee_min_fen or (profile and profile.knows(event.payee_account)):
            return ()
        apps = recall(state, f"{self.name}:app:{subject.key}", event.occurred_at, window)
        if not apps:
            return ()
        fee_key = f"{self.name}:fee:{subject.key}"
        fees = recall(state, fee_key, event.occurred_at, window)
        remember(
            state, fee_key, Mark(event.occurred_at, str(event.amount_fen), "LOAN", event.event_id), window
        )
        repeated = bool(fees)
        return (
            Signal(
                code="REPEATED_LOAN_FEES" if repeated else "FEE_AFTER_LOAN_APP",
                detector=self.name,
                fraud_type=FraudType.LOAN,
                summary="安装贷款APP后多次缴纳费用仍未放款" if repeated else "安装贷款APP后向陌生账户缴费",
                at=event.occurred_at,
                event_id=event.event_id,
                evidence={
                    "app_name": apps[-1].what,
                    "mark_event_id": apps[-1].event_id,
                    "fees": len(fees) + 1,
                    "fees_total_fen": sum(int(m.what) for m in fees) + event.amount_fen,
                    "payee_account": event.payee_account,
                    "amount_fen": event.amount_fen,
                },
            ),
        )
