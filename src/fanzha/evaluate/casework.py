"""Simulated officers acting through the warning workflow (issue 3 + 6).

`WorkflowOfficers` is a `Responder`: the `Officers` simulation decides who does what when (capacity,
priority, the ladder of channels), and every step they take is a lifecycle command applied to a
`MemoryWorkflow`:

    warning opens        → Assign(routed station)     routing.intake_assignment, as the workflow's intake
    an officer starts    → Sign, StartContact(channel)                  first attempt
                         → NeedMeet | MarkUnreachable, StartLocating    a visit
    an attempt lands     → RecordContact(channel, ANSWERED | NO_ANSWER) | RecordMeet(time, place, officers)
    the case is settled  → DissuadedByPhone (a phone conclusion), SubmitFeedback(outcome), StartFollowUp
    watch period over    → Close(outcome)

A warning the officers never reach keeps no outcome: the lifecycle forbids a final UNREACHABLE
without a family contact, so it stays open, its deadlines fall due and it is escalated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from fanzha.evaluate.model import Channel, Outcome
from fanzha.evaluate.officers import Attempt, Officers, WarningNotice
from fanzha.evaluate.workflow import MemoryWorkflow
from fanzha.warning import lifecycle as lc
from fanzha.warning.model import WarningStatus
from fanzha.warning.routing import Residence, UnitTree, intake_assignment

S = WarningStatus
CHANNELS = {Channel.SMS: lc.Channel.SMS, Channel.CALL: lc.Channel.CALL_96110, Channel.VISIT: lc.Channel.VISIT}
# The in-person checklist done at a simulated meeting (四查看·三询问·一保护, all of it).
MEET_CHECKLIST = frozenset(lc.CHECKLIST)


class WorkflowOfficers:
    """The `Officers` simulation, with every step a `decide` command on an in-memory workflow."""

    def __init__(
        self,
        officers: Officers,
        workflow: MemoryWorkflow,
        *,
        tree: UnitTree | None = None,
        residences: Mapping[str, Residence] | None = None,
        watch_period: timedelta = timedelta(hours=72),
        fallback_unit: str | None = None,
    ) -> None:
        self.officers = officers
        self.workflow = workflow
        self._tree = tree or UnitTree(())
        self._residences = residences or {}
        self._watch = watch_period
        self._fallback = fallback_unit
        self._units: dict[int, str | None] = {}
        self._last_reached: dict[int, bool] = {}
        self._outcome: dict[int, lc.Outcome] = {}
        self._heard: dict[int, Outcome] = {}  # the last outcome of an attempt that reached the person
        officers.on_start = self._started

    def on_warning(self, notice: WarningNotice, now: datetime) -> None:
        if notice.warning_id not in self.workflow:
            self.workflow.open(notice.warning_id, notice.level)
            assign = self._route(notice)
            self._units[notice.warning_id] = assign.unit_id if assign is not None else None
            if assign is not None:
                self.workflow.apply(notice.warning_id, assign, now)
        self.officers.on_warning(replace(notice, unit_id=self._units[notice.warning_id]), now)

    def next_attempt(self, until: datetime) -> Attempt | None:
        attempt = self.officers.next_attempt(until)
        if attempt is None:
            self.workflow.sweep(until)
        return attempt

    def on_outcome(self, attempt: Attempt, outcome: Outcome) -> bool:
        self._landed(attempt)
        if attempt.reached:
            self._heard[attempt.warning_id] = outcome
        settled = self.officers.on_outcome(attempt, outcome)
        if settled:
            self._settle(attempt.warning_id, outcome, attempt.at)
        return settled

    def on_close(self, warning_id: int, at: datetime) -> None:
        self.officers.on_close(warning_id, at)
        if self.workflow.state(warning_id) is S.FOLLOW_UP:
            self.workflow.apply(warning_id, lc.Close(outcome=self._outcome.get(warning_id)), at)

    def _route(self, notice: WarningNotice) -> lc.Assign | None:
        """The intake's decision (the same function as `warning.service.route_received`); with no
        unit tree at all (unit tests), the unit the notice names stands."""
        residence = self._residences.get(notice.person_id or "", Residence(unit_id=notice.unit_id))
        assign = intake_assignment(self._tree, residence, fallback=self._fallback)
        if assign is None and notice.unit_id is not None:
            return lc.Assign(notice.unit_id)
        return assign

    def _started(self, attempt: Attempt) -> None:
        wid, at = attempt.warning_id, attempt.started_at or attempt.at
        channel = CHANNELS[attempt.channel]
        if self.workflow.state(wid) is S.ASSIGNED:
            self.workflow.apply(wid, lc.Sign(), at)
        if self.workflow.state(wid) is S.SIGNED:
            self.workflow.apply(wid, lc.StartContact(channel=channel), at)
        if attempt.channel is not Channel.VISIT:
            return
        if self.workflow.state(wid) is S.CONTACTING:
            unreached = self._last_reached.get(wid) is False
            self.workflow.apply(wid, lc.MarkUnreachable() if unreached else lc.NeedMeet(), at)
        if self.workflow.state(wid) in lc.LOCATE_FROM:
            self.workflow.apply(wid, lc.StartLocating(), at)

    def _landed(self, attempt: Attempt) -> None:
        wid = attempt.warning_id
        self._last_reached[wid] = attempt.reached
        state = self.workflow.state(wid)
        if attempt.channel is Channel.VISIT and attempt.reached and state in lc.MEET_FROM:
            officers = (f"{self._units.get(wid) or '值班'}民警",)
            meet = lc.MeetRecord(attempt.at, "对象住所", officers, MEET_CHECKLIST)
            self.workflow.apply(wid, lc.RecordMeet(meet), attempt.at)
        elif state in lc.CONTACT_STATES:
            result = lc.ContactResult.ANSWERED if attempt.reached else lc.ContactResult.NO_ANSWER
            self.workflow.apply(wid, lc.RecordContact(CHANNELS[attempt.channel], result), attempt.at)
        # MET or DISSUADED_BY_PHONE: the case is being concluded; the lifecycle takes no contact then.

    def _settle(self, wid: int, outcome: Outcome, at: datetime) -> None:
        state = self.workflow.state(wid)
        if state is S.FOLLOW_UP:  # reworked in the watch period: the close carries the latest outcome
            self._outcome[wid] = lc.Outcome(outcome.value)
            return
        outcome = self._heard.get(wid, outcome) if outcome is Outcome.UNREACHABLE else outcome
        if outcome is Outcome.UNREACHABLE:
            return  # no final UNREACHABLE without a family contact: stays open, falls overdue
        if state is S.CONTACTING:
            self.workflow.apply(wid, lc.DissuadedByPhone(), at)
        final = lc.Outcome(outcome.value)
        if self.workflow.apply(wid, lc.SubmitFeedback(final), at):
            self._outcome[wid] = final
            self.workflow.apply(wid, lc.StartFollowUp(until=at + self._watch), at)
