"""The vocabulary of the warning workflow: outcome codes, channels, contact results, deadline kinds,
the in-person checklist, and the commands an officer (or the system) gives. Pure data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Outcome(StrEnum):
    """劝阻结果 (domain brief §3.6)."""

    SUCCESS_NO_LOSS = "SUCCESS_NO_LOSS"
    SUCCESS_PARTIAL = "SUCCESS_PARTIAL"
    DEFRAUDED = "DEFRAUDED"
    NOT_FRAUD = "NOT_FRAUD"
    UNREACHABLE = "UNREACHABLE"
    REFUSED = "REFUSED"
    OUT_OF_AREA = "OUT_OF_AREA"
    DUPLICATE = "DUPLICATE"


class Channel(StrEnum):
    """How an action reached the person (domain brief §3.5)."""

    SMS = "SMS"
    CALL_96110 = "CALL_96110"
    CALL_LOCAL = "CALL_LOCAL"
    VISIT = "VISIT"
    FAMILY = "FAMILY"
    BANK = "BANK"
    OPERATOR = "OPERATOR"
    SYSTEM = "SYSTEM"


class ContactResult(StrEnum):
    """What one contact attempt gave (domain brief §10, ContactAttempt)."""

    ANSWERED = "ANSWERED"
    BUSY = "BUSY"
    NO_ANSWER = "NO_ANSWER"
    OFF = "OFF"
    WRONG_NO = "WRONG_NO"
    FAMILY_REACHED = "FAMILY_REACHED"


class DeadlineKind(StrEnum):
    """The timed steps of §3.7: sign-off, first contact attempt, in-person meeting, feedback."""

    SIGN = "SIGN"
    CONTACT = "CONTACT"
    MEET = "MEET"
    FEEDBACK = "FEEDBACK"


# 四查看·三询问·一保护 (Gansu in-person checklist, domain brief §3.4).
CHECKLIST: dict[str, str] = {
    "CHECK_CALLS_SMS": "查看通话、短信记录",
    "CHECK_CHATS": "查看聊天记录",
    "CHECK_APPS": "查看是否安装涉诈APP",
    "CHECK_TRANSFERS": "查看是否有频繁大额转账",
    "ASK_REASON": "询问转账原因",
    "ASK_UNKNOWN_ACCOUNTS": "询问是否向陌生账户转账",
    "ASK_CONTACTS": "询问联系人及沟通情况",
    "PROTECT_ACCOUNTS": "采取临时保护性措施",
}


class TransitionError(ValueError):
    """A command that the warning's state or the command's own data does not allow."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class MeetRecord:
    """Evidence of an in-person meeting: time, place, the officers present, the checklist items done."""

    at: datetime
    place: str
    officers: tuple[str, ...]
    checklist: frozenset[str] = frozenset()


# Commands -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assign:
    unit_id: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Sign:
    note: str = ""


@dataclass(frozen=True, slots=True)
class StartContact:
    channel: Channel = Channel.CALL_96110
    note: str = ""


@dataclass(frozen=True, slots=True)
class RecordContact:
    channel: Channel
    result: ContactResult
    note: str = ""


@dataclass(frozen=True, slots=True)
class DissuadedByPhone:
    note: str = ""


@dataclass(frozen=True, slots=True)
class NeedMeet:
    note: str = ""


@dataclass(frozen=True, slots=True)
class MarkUnreachable:
    note: str = ""


@dataclass(frozen=True, slots=True)
class StartLocating:
    note: str = ""


@dataclass(frozen=True, slots=True)
class RecordMeet:
    meet: MeetRecord
    note: str = ""


@dataclass(frozen=True, slots=True)
class SubmitFeedback:
    outcome: Outcome
    note: str = ""
    loss_fen: int = 0


@dataclass(frozen=True, slots=True)
class StartFollowUp:
    until: datetime
    note: str = ""


@dataclass(frozen=True, slots=True)
class Close:
    outcome: Outcome | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Transfer:
    """非本辖区: hand the warning back to the level above for re-routing."""

    note: str = ""


@dataclass(frozen=True, slots=True)
class Escalate:
    """超时督办: a deadline passed (or a supervisor asked); the level above supervises."""

    reason: str
    note: str = ""


Command = (
    Assign
    | Sign
    | StartContact
    | RecordContact
    | DissuadedByPhone
    | NeedMeet
    | MarkUnreachable
    | StartLocating
    | RecordMeet
    | SubmitFeedback
    | StartFollowUp
    | Close
    | Transfer
    | Escalate
)
