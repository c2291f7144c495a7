"""Instructions after the first: renew or release a freeze, confirm or release a protective hold.

Each is queued in `bank_messages` in the same transaction as the change that asks for it (an OUT row,
status QUEUED, the instruction's JSON kept), so it cannot be lost: if the bank is not configured, is
silent or answers garbage, it stays open for `fanzha funds retry`. The edge (`jobs.bank.exchange`) sends it
under the same idempotency key every time. An instruction's state is read from its rows, newest first:
QUEUED (never sent) → SENT (no answer yet) → PENDING_RETRY (reason) → DONE, or FAILED (the bank refused).
Keys: `RENEW:<freeze>:<n>`, `RELEASE:<freeze>`, `HOLD:<hold>:<i>`, `UNHOLD:<hold>:<i>` (i-th account).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from fanzha.funds.model import BankMessage, BankResult, Effect, FreezeOrder, ProtectiveHold, TransitionError
from fanzha.funds.protocol import PROTOCOL, Answer, Instruction
from fanzha.funds.repository import FundsRepository

# (record kind, effect detail) → (key prefix, instruction kind)
KINDS: dict[tuple[str, str], tuple[str, str]] = {
    ("FREEZE", "renewal"): ("RENEW", "RENEW_FREEZE"),
    ("FREEZE", "release"): ("RELEASE", "RELEASE_FREEZE"),
    ("HOLD", "protective hold"): ("HOLD", "PROTECTIVE_HOLD"),
    ("HOLD", "release"): ("UNHOLD", "RELEASE_HOLD"),
}
PREFIXES = {prefix: (kind, ins) for (kind, _), (prefix, ins) in KINDS.items()}
EXPECTED = {
    "RENEW_FREEZE": BankResult.FROZEN,
    "RELEASE_FREEZE": BankResult.RELEASED,
    "PROTECTIVE_HOLD": BankResult.HELD,
    "RELEASE_HOLD": BankResult.RELEASED,
}
OPEN = ("QUEUED", "SENT", "PENDING_RETRY")
_STATE_ROWS = ("QUEUED", "SENT", "PENDING_RETRY", "APPLIED")


@dataclass(frozen=True, slots=True)
class FollowUp:
    key: str
    instruction_kind: str
    target_kind: str  # FREEZE | HOLD
    target_id: str
    state: str  # QUEUED | SENT | PENDING_RETRY | DONE | FAILED
    reason: str | None


def parse_key(key: str) -> tuple[str, str] | None:
    """(record kind, record id) of a follow-up key; None for any other key."""
    prefix, _, rest = key.partition(":")
    if prefix not in PREFIXES or not rest:
        return None
    return PREFIXES[prefix][0], rest.split(":", 1)[0]


def _instruction(kind: str, key: str, no: str, account: str, now: datetime, **more: object) -> Instruction:
    return Instruction.model_validate(
        {
            "protocol": PROTOCOL,
            "message_id": "queued",
            "idempotency_key": key,
            "kind": kind,
            "instruction_no": no,
            "sent_at": now,
            "account": account,
            **more,
        }
    )


def _freeze_instructions(f: FreezeOrder, prefix: str, kind: str, now: datetime) -> list[Instruction]:
    key = f"{prefix}:{f.freeze_id}" + (f":{len(f.renewals)}" if prefix == "RENEW" else "")
    until = f.ends_at if prefix == "RENEW" else None
    common = {"account_name": f.account_name, "amount_fen": f.amount_fen, "until": until}
    return [_instruction(kind, key, f.notice_no, f.account, now, **common)]


def _hold_instructions(h: ProtectiveHold, prefix: str, kind: str, now: datetime) -> list[Instruction]:
    until = h.planned_end if prefix == "HOLD" else None
    return [
        _instruction(kind, f"{prefix}:{h.hold_id}:{i}", h.hold_id, account, now, until=until)
        for i, account in enumerate(h.accounts)
    ]


def queue(
    session: Session, record: FreezeOrder | ProtectiveHold, effects: Iterable[Effect], now: datetime
) -> list[str]:
    """Queue the bank instructions among `effects` (same transaction as the change); their keys."""
    target_kind = "FREEZE" if isinstance(record, FreezeOrder) else "HOLD"
    target_id = record.freeze_id if isinstance(record, FreezeOrder) else record.hold_id
    repo, keys = FundsRepository(session), []
    for effect in effects:
        found = KINDS.get((target_kind, effect.detail))
        if effect.kind != "SEND_INSTRUCTION" or effect.target != target_id or found is None:
            continue
        if isinstance(record, FreezeOrder):
            built = _freeze_instructions(record, *found, now)
        else:
            built = _hold_instructions(record, *found, now)
        for ins in built:
            repo.add_message(
                message_id=None,
                direction="OUT",
                target_kind=target_kind,
                target_id=target_id,
                idempotency_key=ins.idempotency_key,
                status="QUEUED",
                detail=ins.model_dump_json(),
                at=now,
            )
            keys.append(ins.idempotency_key)
    return keys


def _state(rows: Sequence[BankMessage]) -> tuple[str, str | None]:
    last = [r for r in rows if r.status in _STATE_ROWS][-1]
    if last.status != "APPLIED":
        return last.status, last.detail if last.status == "PENDING_RETRY" else None
    kind = PREFIXES[last.idempotency_key.partition(":")[0]][1]
    return ("DONE", None) if last.detail == EXPECTED[kind].value else ("FAILED", last.detail)


def follow_ups(
    session: Session, *, target_ids: Sequence[str] | None = None, only_open: bool = False
) -> list[FollowUp]:
    """Follow-up instructions (of these records, or all) with their state, oldest first."""
    by_key: dict[str, list[BankMessage]] = {}
    for row in FundsRepository(session).queued_instruction_messages(target_ids):
        by_key.setdefault(row.idempotency_key, []).append(row)
    result = []
    for key, rows in by_key.items():
        target_kind, target_id = parse_key(key) or (rows[0].target_kind, rows[0].target_id)
        state, reason = _state(rows)
        if not only_open or state in OPEN:
            kind = PREFIXES[key.partition(":")[0]][1]
            result.append(FollowUp(key, kind, target_kind, target_id, state, reason))
    return result


def _rows(session: Session, key: str) -> list[BankMessage]:
    return FundsRepository(session).messages_with_key(key)


def mark_sent(session: Session, key: str, now: datetime) -> Instruction:
    """The queued instruction with a fresh message id, recorded as SENT; refused once it was answered."""
    rows = _rows(session, key)
    stored = next((r for r in rows if r.status == "QUEUED"), None)
    parsed = parse_key(key)
    if stored is None or stored.detail is None or parsed is None:
        raise LookupError(f"no queued instruction {key}")
    state, _ = _state(rows)
    if state not in OPEN:
        raise TransitionError(f"instruction {key} was already answered ({state})")
    message_id = f"out-{uuid.uuid4().hex[:16]}"
    ins = Instruction.model_validate_json(stored.detail).model_copy(
        update={"message_id": message_id, "sent_at": now}
    )
    FundsRepository(session).add_message(
        message_id=message_id,
        direction="OUT",
        target_kind=parsed[0],
        target_id=parsed[1],
        idempotency_key=key,
        status="SENT",
        at=now,
    )
    return ins


def record_failure(session: Session, key: str, reason: str, now: datetime) -> None:
    """No usable answer: the instruction waits in PENDING_RETRY with the reason."""
    target_kind, target_id = parse_key(key) or ("UNKNOWN", "?")
    FundsRepository(session).add_message(
        message_id=None,
        direction="IN",
        target_kind=target_kind,
        target_id=target_id,
        idempotency_key=key,
        status="PENDING_RETRY",
        detail=reason,
        at=now,
    )


def check_answer(session: Session, a: Answer) -> str | None:
    """None if the bank's answer fits the open instruction it names; else why it is rejected."""
    rows = _rows(session, a.idempotency_key)
    if not any(r.status == "QUEUED" for r in rows):
        return "no such instruction"
    state, _ = _state(rows)
    if state not in OPEN:
        return f"instruction already answered ({state}); kept the first answer"
    kind = PREFIXES[a.idempotency_key.partition(":")[0]][1]
    if a.result not in (EXPECTED[kind], BankResult.FAILED, BankResult.MISMATCH):
        return f"{a.result.value} is not an answer to {kind}"
    return None
