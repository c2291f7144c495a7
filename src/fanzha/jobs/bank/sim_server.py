"""A simulated bank head office: a real HTTP server on 127.0.0.1 speaking `fanzha-bank/1`.

For the demo and the tests. It can be told to misbehave (`mode`): `normal`; `slow` (answers after
`delay_s`); `silent` (does the work but never answers, so the client times out); `duplicate` (every
answer twice); `garbage` (replies that are not the protocol). Like a real bank it is idempotent: an
instruction retried with the same idempotency key gets the stored answer again.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pydantic import ValidationError

from fanzha.funds.model import BankResult
from fanzha.funds.protocol import PROTOCOL, Answer, Instruction

_RESULT = {
    "STOP_PAYMENT": BankResult.STOPPED,
    "FREEZE": BankResult.FROZEN,
    "RENEW_FREEZE": BankResult.FROZEN,
    "RELEASE_FREEZE": BankResult.RELEASED,
    "PROTECTIVE_HOLD": BankResult.HELD,
    "RELEASE_HOLD": BankResult.RELEASED,
}


@dataclass
class BankState:
    """What the simulated bank knows: account holders, freezes on accounts, answers given."""

    mode: str = "normal"
    delay_s: float = 2.0
    holders: dict[str, str] = field(default_factory=dict)  # account → holder name; unknown accounts match
    closed: set[str] = field(default_factory=set)  # accounts the bank cannot act on (answers FAILED)
    frozen_by: dict[str, str] = field(default_factory=dict)  # account → instruction key of the freeze
    held: set[str] = field(default_factory=set)  # accounts under a protective hold
    answers: dict[str, Answer] = field(default_factory=dict)
    received: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def decide(self, ins: Instruction) -> Answer:
        with self.lock:
            self.received += 1
            known = self.answers.get(ins.idempotency_key)
            if known is not None:
                return known
            result, behind = self._result(ins)
            answer = Answer(
                protocol=PROTOCOL,
                message_id=f"bank-{uuid.uuid4().hex[:16]}",
                in_reply_to=ins.message_id,
                idempotency_key=ins.idempotency_key,
                result=result,
                at=datetime.now(UTC),
                bank_ref=f"REF{len(self.answers) + 1:06d}",
                queued_behind=behind,
            )
            self.answers[ins.idempotency_key] = answer
            return answer

    def _result(self, ins: Instruction) -> tuple[BankResult, str | None]:
        if ins.account in self.closed:
            return BankResult.FAILED, None
        holder = self.holders.get(ins.account)
        if ins.kind in ("STOP_PAYMENT", "FREEZE") and holder is not None and holder != ins.account_name:
            return BankResult.MISMATCH, None
        if ins.kind == "FREEZE":
            ahead = self.frozen_by.get(ins.account)
            if ahead is not None:
                return BankResult.QUEUED, ahead
            self.frozen_by[ins.account] = ins.idempotency_key
        if ins.kind == "RENEW_FREEZE" and ins.account not in self.frozen_by:
            return BankResult.FAILED, None  # nothing frozen here to renew
        if ins.kind == "RELEASE_FREEZE":
            self.frozen_by.pop(ins.account, None)
        if ins.kind == "PROTECTIVE_HOLD":
            self.held.add(ins.account)
        if ins.kind == "RELEASE_HOLD":
            self.held.discard(ins.account)
        return _RESULT[ins.kind], None


class _Handler(BaseHTTPRequestHandler):
    server: _BankServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the simulated bank logs nothing (requests carry account numbers)."""

    def _reply(self, status: int, body: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a timeout test); nothing to do

    def _answers(self, answers: list[Answer]) -> None:
        state = self.server.state
        if state.mode == "garbage":
            self._reply(200, b'{"protocol": "fanzha-bank/1", "answers": [{"result": "MAYBE"}]')
            return
        if state.mode == "duplicate":
            answers = [a for a in answers for _ in range(2)]
        envelope = {"protocol": PROTOCOL, "answers": [a.model_dump(mode="json") for a in answers]}
        self._reply(200, json.dumps(envelope).encode())

    def do_POST(self) -> None:
        if self.path != "/v1/instructions":
            self._reply(404, b'{"error": "not found"}')
            return
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            instruction = Instruction.model_validate_json(raw)
        except ValidationError:
            self._reply(400, b'{"error": "not a fanzha-bank/1 instruction"}')
            return
        answer = self.server.state.decide(instruction)
        mode = self.server.state.mode
        if mode in ("slow", "silent"):
            time.sleep(self.server.state.delay_s)
            if mode == "silent":
                self.close_connection = True
                return
        self._answers([answer])

    def do_GET(self) -> None:
        prefix = "/v1/answers/"
        if not self.path.startswith(prefix):
            self._reply(404, b'{"error": "not found"}')
            return
        answer = self.server.state.answers.get(self.path[len(prefix) :])
        if answer is None:
            self._reply(404, b'{"error": "no answer for this key"}')
            return
        self._answers([answer])


class _BankServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: BankState, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.state = state


class SimulatedBank:
    """Start with `with SimulatedBank() as bank:`; `bank.url` is the base URL, `bank.state.mode` the mood."""

    def __init__(self, port: int = 0, state: BankState | None = None) -> None:
        self.state = state or BankState()
        self._server = _BankServer(self.state, port)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="sim-bank", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> SimulatedBank:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SimulatedBank:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def serve_forever(self) -> None:
        """Run in the foreground (`fanzha bank-sim`) until interrupted."""
        try:
            self._server.serve_forever()
        finally:
            self._server.server_close()
