"""Has the person been in contact with a listed fraud number, and are they now paying out?

Only messages and calls of at least `long_call` count as contact that can lead to a payment. A
message or call *to* the number is the person engaging (a reply, a call back). A payment to an
established payee (paid before the risky moment) after the contact is weak evidence and
gets its own code."""

from __future__ import annotations

from collections.abc import Sequence

from fanzha.detection.context import DetectionContext
from fanzha.detection.detectors.base import (
    Mark,
    Subject,
    established_payee,
    recall,
    remember,
    sizeable_transfer,
    transfer_after_mark,
)
from fanzha.detection.model import Signal
from fanzha.detection.state import KeyedState
from fanzha.event.codes import Direction, IndicatorKind
from fanzha.event.model import Call, Event, Sms, Transfer


class FraudContact:
    codes = frozenset(
        {
            "FRAUD_NUMBER_CONTACT",
            "FRAUD_NUMBER_REPLY",
            "FRAUD_NUMBER_LONG_CALL",
            "TRANSFER_AFTER_FRAUD_CONTACT",
            "KNOWN_PAYEE_AFTER_FRAUD_CONTACT",
        }
    )
    name = "fraud_contact"
    kinds = frozenset({"call", "sms", "transfer"})

    def observe(
        self, event: Event, subject: Subject, state: KeyedState, ctx: DetectionContext
    ) -> Sequence[Signal]:
        key = f"{self.name}:{subject.key}"
        window = ctx.settings.contact_to_transfer
        if isinstance(event, Call | Sms):
            hit = ctx.lists.match(IndicatorKind.PHONE, event.counterpart, event.occurred_at)
            if hit is None:
                return ()
            channel = "通话" if isinstance(event, Call) else "短信"
            long_call = isinstance(event, Call) and event.duration_s >= ctx.settings.long_call.total_seconds()
            # A call hung up within seconds is a cold call, not grooming: it does not arm the
            # contact-then-transfer question. A message or a long call does.
            if long_call or isinstance(event, Sms):
                mark = Mark(event.occurred_at, event.counterpart, hit.fraud_type, event.event_id)
                remember(state, key, mark, window)
            evidence: dict[str, str | int] = {
                "counterpart_phone": event.counterpart,
                "channel": channel,
                "list_source": hit.source,
            }
            if isinstance(event, Call):
                evidence["duration_s"] = event.duration_s
            code, summary = _contact_code(long_call, event.direction is Direction.OUT, channel)
            return (
                Signal(
                    code=code,
                    detector=self.name,
                    fraud_type=hit.fraud_type,
                    summary=summary,
                    at=event.occurred_at,
                    event_id=event.event_id,
                    evidence=evidence,
                ),
            )
        if isinstance(event, Transfer):
            marks = recall(state, key, event.occurred_at, window)
            if not marks:
                return ()
            known = established_payee(event, subject, state, f"{key}:payees", ctx)
            if not sizeable_transfer(event, ctx):
                return ()
            return (
                transfer_after_mark(
                    detector=self.name,
                    code="KNOWN_PAYEE_AFTER_FRAUD_CONTACT" if known else "TRANSFER_AFTER_FRAUD_CONTACT",
                    summary="与涉诈号码联系后向常用收款人转账" if known else "与涉诈号码联系后向新收款人转账",
                    mark_label="counterpart_phone",
                    transfer=event,
                    mark=marks[-1],
                ),
            )
        return ()


def _contact_code(long_call: bool, outgoing: bool, channel: str) -> tuple[str, str]:
    if long_call:
        return "FRAUD_NUMBER_LONG_CALL", "与涉诈号码长时间通话"
    if outgoing:
        return "FRAUD_NUMBER_REPLY", f"主动{channel}联系涉诈号码(回复/回拨)"
    return "FRAUD_NUMBER_CONTACT", f"收到涉诈号码{channel}"
