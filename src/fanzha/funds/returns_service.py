"""资金返还 services (§4.5): plan, publish the 30-day notice, issue 返还决定书; never commit.

The notice is kept on the freeze record (`FreezeOrder.return_notice_at`). Each decision is stored in
`return_decisions` with the victim's 返还申请表 beside it. Traced parts may be decided at once; a
pro-rata part is refused until the notice has run its 30 days (configurable), and no victim gets the
same basis twice from one freeze.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from fanzha.funds import returns as rt
from fanzha.funds.model import FreezeOrder, FreezeStatus, TransitionError
from fanzha.funds.repository import FundsRepository


class FreezeNotFoundError(LookupError):
    """No such freeze (the message carries the id only)."""


@dataclass(frozen=True, slots=True)
class Applicant:
    """A victim's 返还申请表 with the part of the loss that traces into the frozen account."""

    application: rt.ReturnApplication
    traced_fen: int = 0

    def claim(self) -> rt.Claim:
        return rt.Claim(self.application.victim_id, self.application.loss_fen, self.traced_fen)


@dataclass(frozen=True, slots=True)
class Decided:
    plan: rt.ReturnPlan
    decisions: tuple[rt.ReturnDecision, ...]
    pro_rata_refused: bool  # pro-rata parts exist but the notice has not run (or was not published)


def _freeze(session: Session, freeze_id: str) -> FreezeOrder:
    frozen = FundsRepository(session).get_freeze(freeze_id)
    if frozen is None:
        raise FreezeNotFoundError(f"freeze {freeze_id}")
    return frozen


def plan(
    session: Session,
    freeze_id: str,
    applicants: Sequence[Applicant],
    now: datetime,
    settings: rt.ReturnSettings | None = None,
) -> rt.ReturnPlan:
    """Who would get what from the frozen funds now: traced first, then pro rata by loss."""
    frozen = _freeze(session, freeze_id)
    claims = [a.claim() for a in applicants]
    return rt.plan_returns(
        frozen.amount_fen, claims, now=now, notice_published_at=frozen.return_notice_at, settings=settings
    )


def publish_notice(session: Session, freeze_id: str, now: datetime) -> FreezeOrder:
    """Publish the 30-day notice for an active freeze (once)."""
    frozen = _freeze(session, freeze_id)
    if frozen.status is not FreezeStatus.ACTIVE:
        raise TransitionError("a return notice needs an active freeze")
    if frozen.return_notice_at is not None:
        raise TransitionError("the return notice was already published")
    frozen = replace(frozen, return_notice_at=now)
    FundsRepository(session).save_freeze(frozen)
    return frozen


def decide(
    session: Session,
    freeze_id: str,
    applicants: Sequence[Applicant],
    *,
    now: datetime,
    prefix: str,
    settings: rt.ReturnSettings | None = None,
) -> Decided:
    """Issue and store the decisions now payable; TransitionError when none is (or all were issued)."""
    frozen = _freeze(session, freeze_id)
    if frozen.status is not FreezeStatus.ACTIVE:
        raise TransitionError("returns are decided from an active freeze")
    repo = FundsRepository(session)
    the_plan = plan(session, freeze_id, applicants, now, settings)
    apps = [a.application for a in applicants]
    done = {(d.victim_id, d.basis) for d in repo.decisions_for(freeze_id)}
    issued = rt.decisions(the_plan, apps, at=now, prefix=prefix, first_serial=1)
    first = repo.count_decisions() + 1
    fresh = [
        replace(d, decision_no=rt.decision_no(prefix, now.year, first + i))
        for i, d in enumerate(d for d in issued if (d.victim_id, d.basis) not in done)
    ]
    refused = the_plan.pro_rata is rt.ProRata.AWAITING_NOTICE
    if not fresh:
        why = "pro-rata returns wait for the 30-day notice" if refused else "nothing left to decide"
        raise TransitionError(why)
    by_victim = {a.victim_id: a for a in apps}
    for d in fresh:
        repo.save_decision(d, unit_id=frozen.unit_id, freeze_id=freeze_id, application=by_victim[d.victim_id])
    return Decided(the_plan, tuple(fresh), refused)


def decisions_for(session: Session, freeze_id: str) -> list[rt.ReturnDecision]:
    _freeze(session, freeze_id)
    return FundsRepository(session).decisions_for(freeze_id)


# The applications as they arrive (API body, CLI file): validated at the edge, completed from the freeze.


class ApplicationIn(BaseModel):
    """返还申请表 (附件1) with the part of the loss traced into the frozen account."""

    victim_id: str = Field(min_length=1, max_length=64)
    return_account: str = Field(min_length=1, max_length=40)
    case_unit: str = Field(max_length=64)
    case_no: str = Field(max_length=64)
    involved_account: str = Field(max_length=40)
    loss_fen: int = Field(ge=0)
    traced_fen: int = Field(default=0, ge=0)
    case_officers: tuple[str, str]
    freeze_officers: tuple[str, str]
    opinion: str = Field(default="", max_length=500)


class ReturnsIn(BaseModel):
    applications: list[ApplicationIn] = Field(min_length=1, max_length=500)
    prefix: str = Field(default="", max_length=16, description="issuing bureau's short name, e.g. 东")


def applicants_of(session: Session, freeze_id: str, body: ReturnsIn, now: datetime) -> list[Applicant]:
    """The body's 返还申请表 completed from the freeze record (unknown freeze: FreezeNotFoundError)."""
    frozen = _freeze(session, freeze_id)
    return [
        Applicant(
            rt.ReturnApplication(
                **a.model_dump(exclude={"traced_fen"}),
                freezing_unit=frozen.unit_id or "",
                frozen_account=frozen.account,
                frozen_fen=frozen.amount_fen,
                applied_at=now,
            ),
            a.traced_fen,
        )
        for a in body.applications
    ]
