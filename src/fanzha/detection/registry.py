"""Registered detectors: a new detector is one module plus one line here."""

from __future__ import annotations

from fanzha.detection.detectors.base import Detector
from fanzha.detection.detectors.chat_contact import ChatContact
from fanzha.detection.detectors.fraud_contact import FraudContact
from fanzha.detection.detectors.fraud_text import FraudText
from fanzha.detection.detectors.listed_url import ListedUrl
from fanzha.detection.detectors.loan_fees import LoanFees
from fanzha.detection.detectors.new_payee_burst import NewPayeeBurst
from fanzha.detection.detectors.new_payee_spike import NewPayeeSpike
from fanzha.detection.detectors.payee_listed import PayeeListed
from fanzha.detection.detectors.rebate_escalation import RebateEscalation
from fanzha.detection.detectors.risky_call import RiskyCall
from fanzha.detection.detectors.screen_share import ScreenShare
from fanzha.detection.detectors.upstream_lead import UpstreamLead

DETECTORS: dict[str, Detector] = {
    d.name: d
    for d in (
        PayeeListed(),
        FraudContact(),
        ScreenShare(),
        ListedUrl(),
        UpstreamLead(),
        NewPayeeSpike(),
        NewPayeeBurst(),
        RebateEscalation(),
        LoanFees(),
        RiskyCall(),
        ChatContact(),
        FraudText(),
    )
}


def select_detectors(names: list[str] | tuple[str, ...] | None = None) -> tuple[Detector, ...]:
    """The registered detectors named (in registry order), or all of them; unknown names are an error."""
    if names is None:
        return tuple(DETECTORS.values())
    unknown = sorted(set(names) - set(DETECTORS))
    if unknown:
        raise ValueError(f"unknown detectors: {', '.join(unknown)}; known: {', '.join(DETECTORS)}")
    return tuple(d for name, d in DETECTORS.items() if name in names)
