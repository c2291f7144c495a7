"""Message format `fanzha-bank/1` (docs/bank-protocol.md): instruction out, answers in, both JSON.

Answers are delivered at least once: the same answer (same `message_id`) may come in one response
twice, in a later poll, or in reply to a retried instruction. The receiver applies each
`message_id` once. An answer that is not valid JSON or does not fit this schema is rejected as a
whole, with an error that names the field and never echoes a value.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from fanzha.funds.model import BankResult

PROTOCOL: Literal["fanzha-bank/1"] = "fanzha-bank/1"
Text = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Account = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_-]{4,40}$")]

InstructionKind = Literal[
    "STOP_PAYMENT", "FREEZE", "RENEW_FREEZE", "RELEASE_FREEZE", "PROTECTIVE_HOLD", "RELEASE_HOLD"
]


class Instruction(BaseModel):
    """An instruction from the police to the account-holding bank's head office."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    protocol: Literal["fanzha-bank/1"] = PROTOCOL
    message_id: Text
    idempotency_key: Text
    kind: InstructionKind
    instruction_no: Text
    sent_at: AwareDatetime
    account: Account
    account_name: Annotated[str, StringConstraints(max_length=100)] | None = None
    amount_fen: Annotated[int, Field(ge=0, le=10**13)] = 0
    txn_time: AwareDatetime | None = None
    until: AwareDatetime | None = None


class Answer(BaseModel):
    """The bank's answer to one instruction (e.g. 紧急止付结果反馈报文)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    protocol: Literal["fanzha-bank/1"]
    message_id: Text
    in_reply_to: Text
    idempotency_key: Text
    result: BankResult
    at: AwareDatetime
    bank_ref: Annotated[str, StringConstraints(max_length=80)] | None = None
    queued_behind: Annotated[str, StringConstraints(max_length=80)] | None = None


class Envelope(BaseModel):
    """What the bank sends back: zero or more answers (none means "accepted, answer later: poll")."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    protocol: Literal["fanzha-bank/1"]
    answers: list[Answer] = Field(max_length=100)


class BadAnswerError(ValueError):
    """The bank's reply is not a `fanzha-bank/1` envelope. The message names the problem, not the content."""


def parse_envelope(raw: bytes) -> Envelope:
    """Validate a bank reply; raise `BadAnswerError` with a value-free reason otherwise."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadAnswerError("reply is not JSON") from exc
    try:
        return Envelope.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "reply"
        raise BadAnswerError(f"reply field {where}: {first['type']}") from None
