"""The adapter for an HTTP SMS gateway: `POST {url}/sms` with JSON and an `Idempotency-Key` header."""

from __future__ import annotations

from typing import Protocol

import httpx


class GatewayError(RuntimeError):
    """The gateway did not accept the message (its reason, never the message or number)."""


class SmsGateway(Protocol):
    def send(self, *, key: str, phone: str, text: str) -> str:
        """Deliver one message; returns the gateway's message id or raises `GatewayError`."""
        ...


class HttpSmsGateway:
    """Adapter for an HTTP SMS gateway."""

    def __init__(self, url: str, *, timeout: float = 5.0, client: httpx.Client | None = None) -> None:
        self._url = url.rstrip("/")
        self._client = client or httpx.Client(timeout=timeout)

    def send(self, *, key: str, phone: str, text: str) -> str:
        try:
            response = self._client.post(
                f"{self._url}/sms", json={"to": phone, "text": text}, headers={"Idempotency-Key": key}
            )
        except httpx.HTTPError as exc:
            raise GatewayError(f"gateway unreachable: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise GatewayError(f"gateway answered HTTP {response.status_code}")
        try:
            return str(response.json()["message_id"])
        except (ValueError, KeyError, TypeError) as exc:
            raise GatewayError("gateway answered without a message id") from exc

    def close(self) -> None:
        self._client.close()
