"""The citizen self-check and reports (公众查询, 举报), and the review queue's decisions. Never commits.

A check counts itself (per day, kind and verdict; never the value asked). A report becomes a lead in
prevention's review queue; accepting a report of a number, account, URL or app puts it on the local
indicator list (source CITIZEN_REPORT), where detection and the self-check find it. The queue is the
seam for the list review queue of the lists issue: `review_report` is the one place that decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from fanzha.event.codes import FraudType, IndicatorKind
from fanzha.event.entities import Indicator
from fanzha.present import DISPLAY_TZ
from fanzha.prevention.lookup import INDICATOR_KIND, Answer, InvalidValueError, answer, clean, invalid
from fanzha.prevention.model import CitizenReport, LookupKind, ReportKind, ReportStatus
from fanzha.prevention.service import NotFoundError, PreventionError, Store
from fanzha.prevention.targets import Targeting

REPORT_SOURCE = "CITIZEN_REPORT"
MAX_DESCRIPTION = 500


class ListWriter(Protocol):
    def upsert(self, indicators: Iterable[Indicator]) -> int: ...


class ReviewStore(Store, Protocol):
    @property
    def lists(self) -> ListWriter: ...


class Decision(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    DUPLICATE = "duplicate"


DECIDED = {Decision.ACCEPT: ReportStatus.ACCEPTED, Decision.REJECT: ReportStatus.REJECTED}
DECIDED |= {Decision.DUPLICATE: ReportStatus.DUPLICATE}


def check(uow: Store, kind: LookupKind, raw: str, *, now: datetime, targeting: Targeting) -> Answer:
    """The self-check's answer for one value, counted."""
    try:
        value = clean(kind, raw)
    except InvalidValueError as exc:
        result = invalid(str(exc))
    else:
        result = answer(targeting, uow.publicity.listed_type(INDICATOR_KIND[kind], value, now))
    uow.publicity.count_check(now.astimezone(DISPLAY_TZ).date(), kind.value, result.verdict.value)
    return result


def submit_report(
    uow: Store, kind: ReportKind, raw: str, *, fraud_type: FraudType, description: str, now: datetime
) -> int:
    """A citizen's report, queued for review; `InvalidValueError` when the value cannot be used."""
    value = clean(kind, raw)
    text = description.strip()
    if len(text) > MAX_DESCRIPTION:
        raise InvalidValueError(f"情况说明不超过{MAX_DESCRIPTION}字")
    return uow.publicity.add_report(kind=kind, value=value, fraud_type=fraud_type, description=text, now=now)


def review_report(
    uow: ReviewStore,
    report_id: int,
    decision: Decision,
    *,
    fraud_type: FraudType,
    reviewer: str,
    note: str,
    now: datetime,
) -> CitizenReport:
    """Settle a NEW report; accepting a listable one adds it to the local indicator list."""
    report = uow.publicity.report(report_id)
    if report is None:
        raise NotFoundError(report_id)
    if not uow.publicity.settle_report(
        report_id, status=DECIDED[decision], fraud_type=fraud_type, reviewer=reviewer, note=note, now=now
    ):
        raise PreventionError("该举报已由他人审核")
    if decision is Decision.ACCEPT and report.kind is not ReportKind.CHAT:
        kind = IndicatorKind(report.kind.value)
        listing = Indicator(
            kind=kind, value=report.value, source=REPORT_SOURCE, fraud_type=fraud_type, listed_at=now
        )
        uow.lists.upsert([listing])
    settled = uow.publicity.report(report_id)
    assert settled is not None
    return settled
