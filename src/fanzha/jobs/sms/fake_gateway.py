"""A fake SMS gateway for the demo and the tests: a real HTTP server bound to 127.0.0.1.

`POST /sms` (JSON `to`, `text`; header `Idempotency-Key`) delivers a message once per key and
answers `{"message_id": ...}`; `POST /control` with `{"fail_next": N}` makes the next N sends answer
HTTP 503; `GET /messages` lists what was delivered, numbers masked.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from fanzha.masking import mask_phone


@dataclass(frozen=True, slots=True)
class Delivered:
    message_id: str
    key: str
    to: str
    text: str


class FakeSmsGateway:
    """Start with `start()`, stop with `stop()`; `url` is where it listens."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.delivered: list[Delivered] = []
        self.requests = 0
        self._by_key: dict[str, str] = {}
        self._fail_next = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), _handler(self))
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail_next(self, count: int) -> None:
        with self._lock:
            self._fail_next = max(count, 0)

    def send(self, key: str, to: str, text: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.requests += 1
            if self._fail_next > 0:
                self._fail_next -= 1
                return 503, {"error": "temporarily unavailable"}
            if key and key in self._by_key:
                return 200, {"message_id": self._by_key[key], "duplicate": True}
            message_id = f"fake-{len(self.delivered) + 1}"
            self.delivered.append(Delivered(message_id, key, to, text))
            if key:
                self._by_key[key] = message_id
            return 200, {"message_id": message_id}

    def listing(self) -> list[dict[str, str]]:
        with self._lock:
            return [
                {"message_id": d.message_id, "key": d.key, "to": mask_phone(d.to), "text": d.text}
                for d in self.delivered
            ]

    def start(self) -> FakeSmsGateway:
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-sms", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:  # shutdown() waits for a serve loop, so only when one runs
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()


class _Handler(BaseHTTPRequestHandler):
    gateway: FakeSmsGateway  # set on the subclass `_handler` makes for one gateway

    def log_message(self, format: str, *args: Any) -> None:
        return  # the gateway never logs numbers or texts

    def _reply(self, status: int, body: object) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            data = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def do_GET(self) -> None:
        if self.path == "/messages":
            self._reply(200, self.gateway.listing())
        else:
            self._reply(404, {"error": "not found"})

    def do_POST(self) -> None:
        body = self._body()
        if self.path == "/control":
            self.gateway.fail_next(int(body.get("fail_next", 0)))
            self._reply(200, {"ok": True})
        elif self.path == "/sms":
            self._sms(body)
        else:
            self._reply(404, {"error": "not found"})

    def _sms(self, body: dict[str, Any]) -> None:
        to, text = body.get("to"), body.get("text")
        if not isinstance(to, str) or not isinstance(text, str) or not to or not text:
            self._reply(422, {"error": "to and text are required"})
            return
        status, reply = self.gateway.send(self.headers.get("Idempotency-Key", ""), to, text)
        self._reply(status, reply)


def _handler(gateway: FakeSmsGateway) -> type[BaseHTTPRequestHandler]:
    return type("Handler", (_Handler,), {"gateway": gateway})
