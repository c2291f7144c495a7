"""Did a call from an overseas or virtual-operator number come shortly before a large payment?

"境外来电" (a "+" or "00" number) is one of the MPS anti-fraud keywords; virtual-operator ranges
(170/171/162/165/167) are cheap, loosely registered, and over-represented among fraud callers.
A payment to an established payee (paid before the risky moment) raises nothing: the call
is weak evidence already, and paying the usual landlord after it is everyday life."""

from __future__ import annotations

from collections.abc import Sequence

from fanzha.detection.context import DetectionContext, DetectorSettings
from fanzha.detection.detectors.base import (
    Mark,
    Subject,
    established_payee,
    recall,
    remember,
    transfer_after_mark,
)
from fanzha.detection.model import Signal
from fanzha.detection.state import KeyedState
from fanzha.event.codes import Direction, FraudType
from fanzha.event.model import Call, Event, Transfer

OVERSEAS, VIRTUAL = "OVERSEAS", "VIRTUAL"
MIN_CALL_S = 60


def number_origin(number: str, settings: DetectorSettings) -> str | None:
    """OVERSEAS, VIRTUAL or None (an ordinary domestic number)."""
    if number.startswith("+") or number.startswith("00"):
        digits = number.lstrip("+")
        digits = digits[2:] if digits.startswith("00") else digits
        if not digits.startswith("86"):
            return OVERSEAS
        number = digits[2:]
    if len(number) == 11 and number.startswith(settings.virtual_prefixes):
        return VIRTUAL
    return None


class RiskyCall:
    codes = frozenset({"TRANSFER_AFTER_OVERSEAS_CALL", "TRANSFER_AFTER_VIRTUAL_CALL"})
    name = "risky_call"
    kinds = frozenset({"call", "transfer"})

    def observe(
        self, event: Event, subject: Subject, state: KeyedState, ctx: DetectionContext
    ) -> Sequence[Signal]:
        settings = ctx.settings
        key = f"{self.name}:{subject.key}"
        window = settings.risky_call_to_transfer
        if isinstance(event, Call):
            if event.direction is not Direction.IN or event.duration_s < MIN_CALL_S:
                return ()
            origin = number_origin(event.counterpart, settings)
            if origin is not None:
                remember(
                    state, key, Mark(event.occurred_at, event.counterpart, origin, event.event_id), window
                )
            return ()
        if not isinstance(event, Transfer):
            return ()
        marks = recall(state, key, event.occurred_at, window)
        if not marks or established_payee(event, subject, state, f"{key}:payees", ctx):
            return ()
        if event.amount_fen < settings.large_transfer_fen:
            return ()
        mark = next((m for m in reversed(marks) if m.fraud_type == OVERSEAS), marks[-1])
        overseas = mark.fraud_type == OVERSEAS
        return (
            transfer_after_mark(
                detector=self.name,
                code="TRANSFER_AFTER_OVERSEAS_CALL" if overseas else "TRANSFER_AFTER_VIRTUAL_CALL",
                summary="接到境外来电后大额转账" if overseas else "接到虚拟运营商号码来电后大额转账",
                mark_label="counterpart_phone",
                transfer=event,
                mark=Mark(mark.at, mark.what, FraudType.UNKNOWN.value, mark.event_id),
            ),
        )
