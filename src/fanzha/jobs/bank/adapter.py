"""HTTP client for the bank: send an instruction, poll for answers. Failures come back as clear errors."""

from __future__ import annotations

import httpx

from fanzha.funds.protocol import Answer, BadAnswerError, Instruction, parse_envelope


class BankUnavailableError(RuntimeError):
    """No usable answer: timeout, connection refused, HTTP error. `reason` is one short code."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BankAdapter:
    """Talks `fanzha-bank/1` over HTTP to one bank's head office (or the simulated bank)."""

    def __init__(
        self, base_url: str, *, timeout_s: float = 5.0, transport: httpx.BaseTransport | None = None
    ):
        self._client = httpx.Client(base_url=base_url, timeout=timeout_s, transport=transport)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> BankAdapter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _answers(self, response: httpx.Response) -> list[Answer]:
        if response.status_code == 404:
            return []
        if response.status_code >= 400:
            raise BankUnavailableError(f"HTTP_{response.status_code}")
        return parse_envelope(response.content).answers

    def send(self, instruction: Instruction) -> list[Answer]:
        """Send `instruction`; the answers that came with the reply (possibly none, possibly repeated).

        Raises `BankUnavailableError` (no usable reply) or `BadAnswerError` (a reply off the protocol).
        """
        try:
            response = self._client.post(
                "/v1/instructions",
                content=instruction.model_dump_json(),
                headers={"Content-Type": "application/json", "Idempotency-Key": instruction.idempotency_key},
            )
        except httpx.TimeoutException as exc:
            raise BankUnavailableError("TIMEOUT") from exc
        except httpx.HTTPError as exc:
            raise BankUnavailableError("UNREACHABLE") from exc
        return self._answers(response)

    def poll(self, idempotency_key: str) -> list[Answer]:
        """Answers the bank holds for an instruction sent earlier (none yet: an empty list)."""
        try:
            response = self._client.get(f"/v1/answers/{idempotency_key}")
        except httpx.TimeoutException as exc:
            raise BankUnavailableError("TIMEOUT") from exc
        except httpx.HTTPError as exc:
            raise BankUnavailableError("UNREACHABLE") from exc
        return self._answers(response)


__all__ = ["BadAnswerError", "BankAdapter", "BankUnavailableError"]
