"""Did the person install a screen-sharing or remote-control app, and are they now paying out?

A payment to an established payee (paid before the risky moment) gets its own, weaker code."""

from __future__ import annotations

from collections.abc import Sequence

from fanzha.detection.context import DetectionContext
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
from fanzha.event.codes import AppCategory, FraudType, IndicatorKind
from fanzha.event.model import AppInstall, Event, Transfer

RISKY_CATEGORIES = frozenset({AppCategory.SCREEN_SHARE, AppCategory.REMOTE_CONTROL})


class ScreenShare:
    codes = frozenset(
        {
            "SCREEN_SHARE_APP",
            "FRAUD_APP_INSTALLED",
            "TRANSFER_AFTER_SCREEN_SHARE",
            "KNOWN_PAYEE_AFTER_SCREEN_SHARE",
        }
    )
    name = "screen_share"
    kinds = frozenset({"app_install", "transfer"})

    def observe(
        self, event: Event, subject: Subject, state: KeyedState, ctx: DetectionContext
    ) -> Sequence[Signal]:
        key = f"{self.name}:{subject.key}"
        window = ctx.settings.app_to_transfer
        if isinstance(event, AppInstall):
            listed = ctx.lists.match(IndicatorKind.APP, event.package or event.app_name, event.occurred_at)
            if listed is None and event.app_hash:
                listed = ctx.lists.match(IndicatorKind.APP, event.app_hash, event.occurred_at)
            if listed is None and event.category not in RISKY_CATEGORIES:
                return ()
            fraud_type = listed.fraud_type if listed else FraudType.UNKNOWN
            remember(state, key, Mark(event.occurred_at, event.app_name, fraud_type, event.event_id), window)
            code = "FRAUD_APP_INSTALLED" if listed else "SCREEN_SHARE_APP"
            summary = "安装涉诈APP" if listed else "安装屏幕共享/远程控制类APP"
            return (
                Signal(
                    code=code,
                    detector=self.name,
                    fraud_type=fraud_type,
                    summary=summary,
                    at=event.occurred_at,
                    event_id=event.event_id,
                    evidence={"app_name": event.app_name, "category": event.category.value},
                ),
            )
        if isinstance(event, Transfer):
            marks = recall(state, key, event.occurred_at, window)
            if not marks:
                return ()
            known = established_payee(event, subject, state, f"{key}:payees", ctx)
            if event.amount_fen < ctx.settings.screen_share_min_fen:
                return ()
            return (
                transfer_after_mark(
                    detector=self.name,
                    code="KNOWN_PAYEE_AFTER_SCREEN_SHARE" if known else "TRANSFER_AFTER_SCREEN_SHARE",
                    summary="安装屏幕共享/涉诈APP后转账",
                    mark_label="app_name",
                    transfer=event,
                    mark=marks[-1],
                ),
            )
        return ()
