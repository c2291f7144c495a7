"""Did the person visit a listed phishing or fraud site?"""

from __future__ import annotations

from collections.abc import Sequence

from fanzha.detection.context import DetectionContext, url_host
from fanzha.detection.detectors.base import Subject
from fanzha.detection.model import Signal
from fanzha.detection.state import KeyedState
from fanzha.event.codes import IndicatorKind
from fanzha.event.model import Event, UrlVisit


class ListedUrl:
    codes = frozenset({"FRAUD_URL_VISIT"})
    name = "listed_url"
    kinds = frozenset({"url_visit"})

    def observe(
        self, event: Event, subject: Subject, state: KeyedState, ctx: DetectionContext
    ) -> Sequence[Signal]:
        if not isinstance(event, UrlVisit):
            return ()
        hit = ctx.lists.match(IndicatorKind.URL, event.url, event.occurred_at)
        if hit is None:
            return ()
        return (
            Signal(
                code="FRAUD_URL_VISIT",
                detector=self.name,
                fraud_type=hit.fraud_type,
                summary="访问涉诈网址",
                at=event.occurred_at,
                event_id=event.event_id,
                evidence={"host": url_host(event.url), "list_source": hit.source},
            ),
        )
