"""Dispatch's read side: what was sent or asked for a warning (SMS, officers' tasks), masked, and the
case file that shows it beside the workflow (`warning.workflow_queries.case_file`)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy.orm import Session

from fanzha.dispatch.repository import OutboxRepository
from fanzha.masking import mask_phone
from fanzha.warning.labels import CHANNEL_LABELS
from fanzha.warning.lifecycle import Channel
from fanzha.warning.workflow_queries import CaseFile
from fanzha.warning.workflow_queries import case_file as workflow_case_file


@dataclass(frozen=True, slots=True)
class SmsView:
    phone: str  # masked
    status: str
    attempts: int
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class TaskView:
    channel: str  # its Chinese label
    title: str
    status: str


@dataclass(frozen=True, slots=True)
class DispatchedCaseFile(CaseFile):
    """The case file with what dispatch did for the warning."""

    sms: tuple[SmsView, ...]
    tasks: tuple[TaskView, ...]


def case_file(session: Session, warning_id: int, now: datetime) -> DispatchedCaseFile | None:
    """A warning's workflow (state, version, allowed actions, deadlines, history) and its dispatch."""
    found = workflow_case_file(session, warning_id, now)
    if found is None:
        return None
    outbox = OutboxRepository(session)
    sms = tuple(
        SmsView(mask_phone(s.phone), s.status, s.attempts, s.sent_at) for s in outbox.sms_for([warning_id])
    )
    tasks = tuple(
        TaskView(CHANNEL_LABELS[Channel(t.channel)], t.title, t.status) for t in outbox.tasks_for(warning_id)
    )
    base = {f.name: getattr(found, f.name) for f in fields(CaseFile)}
    return DispatchedCaseFile(**base, sms=sms, tasks=tasks)
