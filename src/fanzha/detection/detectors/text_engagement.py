"""Did the person act on a fraud text: answer its sender, call the number or open the link it gave?

A fraud text received is contact; most people ignore it. Replying to the sender, calling back the
number the text names, or visiting the host it links to is the person engaging with the script —
the step between contact and payment. These helpers keep what a fraud text pointed at and match
later events against it; `FraudText` raises the signals.
"""

from __future__ import annotations

import re
from datetime import timedelta

from fanzha.detection.detectors.base import Mark, recall, remember
from fanzha.detection.lists import normalise, url_host
from fanzha.detection.state import KeyedState
from fanzha.event.codes import Direction, IndicatorKind
from fanzha.event.model import Call, Chat, Event, Sms, UrlVisit

_HOST = re.compile(r"(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?![a-z0-9.-])", re.IGNORECASE)
_PHONE = re.compile(r"(?<!\d)(?:\+?86)?(1\d{10}|400\d{7}|95\d{3,6}|0\d{9,11})(?!\d)")
MAX_LEADS = 4


def leads_of(text: str) -> tuple[str, ...]:
    """The hosts (`url:host`) and phone numbers (`tel:number`) a text points at, at most a few."""
    hosts = [f"url:{url_host(m.group(1))}" for m in _HOST.finditer(text)]
    phones = [f"tel:{normalise(IndicatorKind.PHONE, m.group(1))}" for m in _PHONE.finditer(text)]
    return tuple(dict.fromkeys([*hosts, *phones]))[:MAX_LEADS]


def remember_text(state: KeyedState, key: str, sender: Mark, text: str, window: timedelta) -> None:
    """Keep the fraud text's mark under `key` (its sender is `sender.what`) and what the text
    pointed at under `key:leads`, for `window`."""
    remember(state, key, sender, window)
    for lead in leads_of(text):
        remember(state, f"{key}:leads", Mark(sender.at, lead, sender.fraud_type, sender.event_id), window)


def engagement(state: KeyedState, key: str, event: Event, window: timedelta) -> tuple[str, Mark] | None:
    """("reply" | "link", the fraud text's mark) when `event` acts on a recent fraud text."""
    if isinstance(event, UrlVisit):
        leads = recall(state, f"{key}:leads", event.occurred_at, window)
        found = _find(leads, f"url:{url_host(event.url)}") if leads else None
        return ("link", found) if found else None
    if isinstance(event, Sms | Chat | Call) and event.direction is Direction.OUT:
        found = _find(recall(state, key, event.occurred_at, window), event.counterpart)
        if found is None and isinstance(event, Call):
            leads = recall(state, f"{key}:leads", event.occurred_at, window)
            if leads:
                found = _find(leads, f"tel:{normalise(IndicatorKind.PHONE, event.counterpart)}")
        return ("reply", found) if found else None
    return None


def _find(marks: tuple[Mark, ...], what: str) -> Mark | None:
    return next((m for m in reversed(marks) if m.what == what), None)
