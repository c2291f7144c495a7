"""The lifecycle table, exhaustively: every allowed transition, forbidden ones, and the data rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fanzha.warning import lifecycle as lc
from fanzha.warning.model import OPEN_STATUSES, WarningStatus

S = WarningStatus
T = datetime(2026, 3, 1, 9, tzinfo=UTC)
MEET = lc.MeetRecord(
    at=T, place="湖滨街道12号", officers=("警号001", "警号002"), checklist=frozenset({"CHECK_APPS"})
)

SAMPLES: dict[type, lc.Command] = {
    lc.Assign: lc.Assign("B01S01"),
    lc.Sign: lc.Sign(),
    lc.StartContact: lc.StartContact(lc.Channel.CALL_96110),
    lc.RecordContact: lc.RecordContact(lc.Channel.CALL_96110, lc.ContactResult.BUSY),
    lc.DissuadedByPhone: lc.DissuadedByPhone(),
    lc.NeedMeet: lc.NeedMeet(),
    lc.MarkUnreachable: lc.MarkUnreachable(),
    lc.StartLocating: lc.StartLocating(),
    lc.RecordMeet: lc.RecordMeet(MEET),
    lc.SubmitFeedback: lc.SubmitFeedback(lc.Outcome.SUCCESS_NO_LOSS),
    lc.StartFollowUp: lc.StartFollowUp(T),
    lc.Close: lc.Close(lc.Outcome.SUCCESS_NO_LOSS),
    lc.Transfer: lc.Transfer("对象户籍在外区"),
    lc.Escalate: lc.Escalate("超时未签收"),
}

# Every allowed (state, command) and where it leads; anything not listed must be refused.
EXPECTED: dict[tuple[WarningStatus, type], WarningStatus] = {
    (S.RECEIVED, lc.Assign): S.ASSIGNED,
    (S.ASSIGNED, lc.Assign): S.ASSIGNED,
    (S.TRANSFERRED, lc.Assign): S.ASSIGNED,
    (S.ASSIGNED, lc.Sign): S.SIGNED,
    (S.SIGNED, lc.StartContact): S.CONTACTING,
    (S.CONTACTING, lc.DissuadedByPhone): S.DISSUADED_BY_PHONE,
    (S.CONTACTING, lc.NeedMeet): S.NEED_MEET,
    (S.CONTACTING, lc.MarkUnreachable): S.UNREACHABLE,
    (S.FEEDBACK_SUBMITTED, lc.StartFollowUp): S.FOLLOW_UP,
    **{(s, lc.RecordContact): s for s in (S.CONTACTING, S.NEED_MEET, S.UNREACHABLE, S.LOCATING, S.FOLLOW_UP)},
    **{(s, lc.StartLocating): S.LOCATING for s in (S.NEED_MEET, S.UNREACHABLE, S.DISSUADED_BY_PHONE)},
    **{(s, lc.RecordMeet): S.MET for s in (S.CONTACTING, S.NEED_MEET, S.UNREACHABLE, S.LOCATING)},
    **{(s, lc.SubmitFeedback): S.FEEDBACK_SUBMITTED for s in (S.MET, S.DISSUADED_BY_PHONE, S.LOCATING)},
    **{(s, lc.Close): S.CLOSED for s in (S.FEEDBACK_SUBMITTED, S.FOLLOW_UP)},
    **{
        (s, lc.Transfer): S.TRANSFERRED
        for s in (S.ASSIGNED, S.SIGNED, S.CONTACTING, S.NEED_MEET, S.UNREACHABLE, S.LOCATING)
    },
    **{(s, lc.Escalate): s for s in OPEN_STATUSES},
}


def test_the_table_is_exactly_the_expected_one() -> None:
    close_anywhere = {(s, lc.Close) for s in OPEN_STATUSES}  # allowed in the table, refused without feedback
    assert set(lc.TRANSITIONS) == set(EXPECTED) | close_anywhere


@pytest.mark.parametrize(("state", "kind"), sorted(EXPECTED, key=lambda k: (k[0].value, k[1].__name__)))
def test_every_allowed_transition(state: WarningStatus, kind: type) -> None:
    decision = lc.decide(state, SAMPLES[kind], lc.Facts(outcome=lc.Outcome.SUCCESS_NO_LOSS))
    assert decision.to_state is EXPECTED[(state, kind)]


@pytest.mark.parametrize(
    ("state", "command"),
    [
        (S.RECEIVED, lc.Sign()),
        (S.RECEIVED, lc.StartContact()),
        (S.ASSIGNED, lc.StartContact()),
        (S.SIGNED, lc.RecordMeet(MEET)),
        (S.SIGNED, lc.SubmitFeedback(lc.Outcome.SUCCESS_NO_LOSS)),
        (S.CONTACTING, lc.Sign()),
        (S.MET, lc.Transfer()),
        (S.FEEDBACK_SUBMITTED, lc.Transfer()),
        (S.FOLLOW_UP, lc.StartFollowUp(T)),
        (S.CLOSED, lc.Assign("B01S01")),
        (S.CLOSED, lc.Escalate("x")),
        (S.CLOSED, lc.Close(lc.Outcome.SUCCESS_NO_LOSS)),
        (S.TRANSFERRED, lc.Sign()),
        (S.RECEIVED, lc.Transfer()),
    ],
)
def test_forbidden_transitions_are_refused(state: WarningStatus, command: lc.Command) -> None:
    with pytest.raises(lc.TransitionError, match="当前状态不允许此操作"):
        lc.decide(state, command)


def test_close_needs_an_outcome() -> None:
    with pytest.raises(lc.TransitionError, match="未填写劝阻结果"):
        lc.decide(S.FOLLOW_UP, lc.Close(), lc.Facts(outcome=None))
    assert lc.decide(S.FOLLOW_UP, lc.Close(), lc.Facts(outcome=lc.Outcome.NOT_FRAUD)).to_state is S.CLOSED


def test_close_before_feedback_only_for_duplicates() -> None:
    with pytest.raises(lc.TransitionError, match="须先提交反馈"):
        lc.decide(S.CONTACTING, lc.Close(lc.Outcome.SUCCESS_NO_LOSS))
    decision = lc.decide(S.CONTACTING, lc.Close(lc.Outcome.DUPLICATE))
    assert decision.to_state is S.CLOSED
    assert lc.CancelDeadlines() in decision.effects


def test_refused_needs_a_follow_up_before_closing() -> None:
    facts = lc.Facts(outcome=lc.Outcome.REFUSED)
    with pytest.raises(lc.TransitionError, match="回访"):
        lc.decide(S.FEEDBACK_SUBMITTED, lc.Close(), facts)
    assert lc.decide(S.FOLLOW_UP, lc.Close(), facts).to_state is S.CLOSED


@pytest.mark.parametrize(
    ("place", "officers", "message"),
    [
        ("", ("警号001",), "见面地点"),
        ("  ", ("警号001",), "见面地点"),
        ("湖滨街道", (), "到场民警"),
        ("湖滨街道", (" ",), "到场民警"),
    ],
)
def test_met_needs_place_and_officers(place: str, officers: tuple[str, ...], message: str) -> None:
    with pytest.raises(lc.TransitionError, match=message):
        lc.decide(S.LOCATING, lc.RecordMeet(lc.MeetRecord(T, place, officers)))


def test_met_records_time_place_officers_and_checklist() -> None:
    decision = lc.decide(S.LOCATING, lc.RecordMeet(MEET))
    assert decision.data == {
        "met_at": T.isoformat(),
        "place": "湖滨街道12号",
        "officers": ["警号001", "警号002"],
        "checklist": ["CHECK_APPS"],
    }
    assert decision.channel is lc.Channel.VISIT
    assert lc.MeetDeadline(lc.DeadlineKind.MEET) in decision.effects
    with pytest.raises(lc.TransitionError, match="未知的核查项目"):
        lc.decide(S.LOCATING, lc.RecordMeet(lc.MeetRecord(T, "x", ("a",), frozenset({"NOPE"}))))


def test_unreachable_is_final_only_after_attempts_visit_and_family() -> None:
    feedback = lc.SubmitFeedback(lc.Outcome.UNREACHABLE)
    with pytest.raises(lc.TransitionError, match="无法联系"):
        lc.decide(S.LOCATING, feedback, lc.Facts(contact_attempts=3, family_contacts=0))
    with pytest.raises(lc.TransitionError, match="无法联系"):
        lc.decide(S.LOCATING, feedback, lc.Facts(contact_attempts=2, family_contacts=1))
    ok = lc.decide(S.LOCATING, feedback, lc.Facts(contact_attempts=3, family_contacts=1))
    assert ok.outcome is lc.Outcome.UNREACHABLE


@pytest.mark.parametrize("outcome", [lc.Outcome.OUT_OF_AREA, lc.Outcome.DUPLICATE])
def test_feedback_cannot_carry_transfer_or_duplicate(outcome: lc.Outcome) -> None:
    with pytest.raises(lc.TransitionError, match="移交"):
        lc.decide(S.MET, lc.SubmitFeedback(outcome))


def test_assign_starts_the_clock_but_forwarding_down_keeps_it() -> None:
    first = lc.decide(S.RECEIVED, lc.Assign("B01"))
    assert lc.StartDeadlines() in first.effects
    assert lc.StartDispatch() in first.effects
    forward = lc.decide(S.ASSIGNED, lc.Assign("B01S01"))
    assert lc.StartDeadlines() not in forward.effects
    assert lc.SetOwner("B01S01") in forward.effects
    with pytest.raises(lc.TransitionError, match="下发单位"):
        lc.decide(S.RECEIVED, lc.Assign(""))


def test_transfer_goes_up_and_escalation_keeps_the_step() -> None:
    transfer = lc.decide(S.SIGNED, lc.Transfer())
    assert transfer.to_state is S.TRANSFERRED
    assert lc.RouteUp() in transfer.effects
    assert transfer.outcome is lc.Outcome.OUT_OF_AREA
    escalate = lc.decide(S.CONTACTING, lc.Escalate("超时未见面"))
    assert escalate.to_state is S.CONTACTING
    assert escalate.effects == (lc.MarkEscalated("超时未见面"),)


def test_allowed_lists_the_commands_of_a_state() -> None:
    assert lc.allowed(S.ASSIGNED) == ["assign", "sign", "close", "transfer", "escalate"]
    assert lc.allowed(S.CLOSED) == []
