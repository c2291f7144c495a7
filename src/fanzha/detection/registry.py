"""Registered detectors: a new detector is one module plus one line here."""

from __future__ import annotations

from fanzha.detection.detectors.base import Detector
from fanzha.detection.detectors.fraud_contact import FraudContact
from fanzha.detection.detectors.fraud_text import FraudText
from fanzha.detection.detectors.listed_url import ListedUrl
from fanzha.detection.detectors.payee_listed import PayeeListed
from fanzha.detection.detectors.screen_share import ScreenShare
from fanzha.detection.detectors.upstream_lead import UpstreamLead

DETECTORS: dict[str, Detector] = {
    d.name: d
    for d in (PayeeListed(), FraudContact(), ScreenShare(), ListedUrl(), UpstreamLead(), FraudText())
}
