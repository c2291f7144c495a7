"""Password hashing with Argon2id (argon2-cffi); cost parameters come from settings."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12


@dataclass(frozen=True, slots=True)
class HashCost:
    """Argon2id cost; the defaults are argon2-cffi's (RFC 9106 low-memory profile)."""

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 4


class Passwords:
    """Hash and verify passwords; a hash made with older parameters is flagged for rehashing."""

    def __init__(self, cost: HashCost | None = None) -> None:
        cost = cost or HashCost()
        self._hasher = PasswordHasher(
            time_cost=cost.time_cost, memory_cost=cost.memory_kib, parallelism=cost.parallelism
        )
        # Verifying against this when the user does not exist costs the same as a real check.
        self._dummy = self._hasher.hash("fanzha-no-such-user")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """True if `password` matches; a missing or malformed hash is a mismatch, never an error."""
        try:
            return self._hasher.verify(stored_hash or self._dummy, password) and stored_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)


def password_problem(password: str, username: str) -> str | None:
    """Why a new password is too weak, in Chinese, or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"密码至少需要 {MIN_LENGTH} 个字符"
    if username and username.lower() in password.lower():
        return "密码不能包含用户名"
    if len(set(password)) < 5:
        return "密码过于简单"
    return None


def generate_password(username: str = "") -> str:
    """A random password (120 bits, 20 URL-safe characters) that meets `password_problem`'s rules."""
    while True:
        password = secrets.token_urlsafe(15)
        if password_problem(password, username) is None:
            return password
