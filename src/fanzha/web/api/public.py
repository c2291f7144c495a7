"""The public self-check and reports API (公众查询, 举报): no sign-in, limited per client address.

`POST /api/public/check` answers only "known fraud (type, tip)" or "not known, and what to watch for";
`POST /api/public/reports` queues a report for review and answers 202 with no id (nothing to probe).
Values go in the body, never the URL, so they stay out of access logs.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from fanzha.event.codes import FraudType
from fanzha.prevention import public
from fanzha.prevention.lookup import Answer, InvalidValueError
from fanzha.prevention.model import LookupKind, ReportKind
from fanzha.web.deps import new_uow
from fanzha.web.prevention_deps import prevention_setup, throttled

router = APIRouter(prefix="/api/public", tags=["public"])
RECEIVED = "举报已收到，民警将尽快核查。感谢您的支持！"


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: LookupKind
    value: StrictStr = Field(max_length=300)


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: ReportKind
    value: StrictStr = Field(max_length=300)
    fraud_type: FraudType = FraudType.UNKNOWN
    description: StrictStr = Field(default="", max_length=500)


class ReceivedOut(BaseModel):
    status: str
    message: str


def _too_many(wait: int) -> Response:
    return JSONResponse(
        {"detail": "too many requests from your address; try again later"},
        status_code=429,
        headers={"Retry-After": str(wait)},
    )


@router.post("/check", response_model=None)
def check(request: Request, body: CheckIn) -> Answer | Response:
    """Is this phone number, account, URL or app name known fraud? Exact values only, no wildcards."""
    wait = throttled(request, "check")
    if wait is not None:
        return _too_many(wait)
    with new_uow(request) as uow:
        result = public.check(
            uow, body.kind, body.value, now=datetime.now(UTC), targeting=prevention_setup(request).targeting
        )
        uow.commit()
    return result


@router.post("/reports", status_code=202, response_model=None)
def report(request: Request, body: ReportIn) -> ReceivedOut | Response:
    """Report a number, account, URL, app or chat account used in fraud; it goes to the review queue."""
    wait = throttled(request, "report")
    if wait is not None:
        return _too_many(wait)
    with new_uow(request) as uow:
        try:
            public.submit_report(
                uow,
                body.kind,
                body.value,
                fraud_type=body.fraud_type,
                description=body.description,
                now=datetime.now(UTC),
            )
        except InvalidValueError as exc:
            return JSONResponse({"detail": str(exc)}, status_code=422)
        uow.commit()
    return ReceivedOut(status="received", message=RECEIVED)
