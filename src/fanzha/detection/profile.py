"""A person's payment habits in a few dozen bytes: how much they usually pay and to whom.

Amounts are heavy-tailed, so the norm is robust: an exponentially weighted mean of the log-amount
and of its absolute deviation (the prior counts as one payment, so a newcomer is judged against a
typical resident). Recent payees are kept as CRC-32s of the account number (stable across
processes, so they survive a snapshot). The whole profile is one `bytes` value, which keeps state
small when there are millions of people.
"""

from __future__ import annotations

import math
import struct
import zlib
from dataclasses import dataclass

from fanzha.detection.context import DetectorSettings

_HEAD = struct.Struct("<Hff")


def payee_tag(account: str) -> int:
    return zlib.crc32(account.encode())


@dataclass(frozen=True, slots=True)
class PaymentProfile:
    """The norm before the current payment: count, centre and spread of log-amounts, recent payees."""

    count: int
    center: float
    spread: float
    payees: tuple[int, ...]

    @classmethod
    def prior(cls, settings: DetectorSettings) -> PaymentProfile:
        return cls(0, math.log(settings.norm_prior_fen), settings.norm_prior_spread, ())

    @classmethod
    def decode(cls, data: bytes) -> PaymentProfile:
        count, center, spread = _HEAD.unpack_from(data)
        tags = struct.unpack_from(f"<{(len(data) - _HEAD.size) // 4}I", data, _HEAD.size)
        return cls(count, center, spread, tags)

    def encode(self) -> bytes:
        return _HEAD.pack(self.count, self.center, self.spread) + struct.pack(
            f"<{len(self.payees)}I", *self.payees
        )

    def knows(self, account: str) -> bool:
        return payee_tag(account) in self.payees

    def typical_fen(self) -> int:
        return round(math.exp(self.center))

    def deviations(self, amount_fen: int, settings: DetectorSettings) -> float:
        """How many robust deviations above the norm `amount_fen` is (negative when below)."""
        return (math.log(amount_fen) - self.center) / max(self.spread, settings.norm_min_spread)

    def after(self, account: str, amount_fen: int, settings: DetectorSettings) -> PaymentProfile:
        """The profile once this payment is part of the person's history."""
        alpha = max(1.0 / (self.count + 2), settings.norm_min_alpha)
        x = math.log(amount_fen)
        center = self.center + alpha * (x - self.center)
        spread = self.spread + alpha * (abs(x - self.center) - self.spread)
        tag = payee_tag(account)
        payees = (*(t for t in self.payees if t != tag), tag)[-settings.known_payees :]
        return PaymentProfile(min(self.count + 1, 65_535), center, spread, payees)
