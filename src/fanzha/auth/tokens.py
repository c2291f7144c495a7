"""Random secrets for sessions, CSRF and API tokens; only their SHA-256 is ever stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets

API_TOKEN_PREFIX = "fzt_"


def new_secret() -> str:
    """256 bits of randomness, URL-safe."""
    return secrets.token_urlsafe(32)


def new_api_token() -> str:
    """A token for a machine client, recognisable by its prefix (e.g. in secret scanners)."""
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """The stored form of a high-entropy secret: a slow hash adds nothing at 256 bits."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time comparison of two secrets."""
    return hmac.compare_digest(a.encode(), b.encode())
