"""Unique phone numbers, bank accounts and chat handles, issued in bulk.

Uniqueness without a set of used numbers: the n-th number issued has the suffix (n·A + B) mod M with A
prime to M, a bijection on [0, M); so no two issued numbers share a suffix, whatever their prefix.
None of them belongs to anyone real: the simulator invents them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

MOBILE_PREFIXES = [
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "147",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "172",
    "178",
    "182",
    "183",
    "184",
    "187",
    "188",
    "198",
    "130",
    "131",
    "132",
    "145",
    "155",
    "156",
    "166",
    "175",
    "176",
    "185",
    "186",
    "196",
    "133",
    "149",
    "153",
    "173",
    "177",
    "180",
    "181",
    "189",
    "190",
    "191",
    "199",
]
OPERATOR_OF_PREFIX = {
    p: ("中国移动" if i < 21 else "中国联通" if i < 33 else "中国电信") for i, p in enumerate(MOBILE_PREFIXES)
}
VIRTUAL_PREFIXES = ("170", "171", "162", "165", "167")
FRAUD_COUNTRIES = ("63", "855", "95", "856", "84", "60")  # Philippines, Cambodia, Myanmar, Laos ...
FAMILY_COUNTRIES = ("1", "44", "61", "81", "65", "64")  # relatives and colleagues abroad
BANKS = (
    ("ICBC", "622202"),
    ("ABC", "622848"),
    ("BOC", "621661"),
    ("CCB", "621700"),
    ("PSBC", "621799"),
    ("CMB", "621483"),
    ("BOCOM", "622260"),
    ("CITIC", "622690"),
    ("RCB", "623059"),
)
BANK_WEIGHTS = np.array([0.19, 0.15, 0.12, 0.17, 0.12, 0.1, 0.06, 0.04, 0.05])
CASH = "CASH-ATM"  # the pseudo-account of cash withdrawals (Transfer with channel "atm")

_PHONE_M, _ACCOUNT_M, _HANDLE_M = 10**8, 10**13, 36**7
_A1, _A2 = 1_234_567, 1_600_033  # both prime to 2, 3 and 5, so prime to every modulus here


@dataclass
class Issuer:
    """Issues numbers in bulk; the same seed gives the same numbers in the same order."""

    seed: int
    rng: np.random.Generator = field(init=False)
    _phones: int = 0
    _accounts: int = 0
    _handles: int = 0

    def __post_init__(self) -> None:
        self.rng = np.random.default_rng([self.seed, 101])

    def phones(self, n: int, prefixes: tuple[str, ...] | list[str] = MOBILE_PREFIXES) -> pl.Series:
        """`n` mobile numbers with prefixes drawn from `prefixes`."""
        suffix = self._take("_phones", n, _PHONE_M, 20_261_001)
        return pick(prefixes, self.rng.integers(0, len(prefixes), n)) + _pad(suffix, 8)

    def overseas(self, n: int, countries: tuple[str, ...]) -> pl.Series:
        """`n` foreign numbers, written "00<country>…" or "+<country>…" as they reach the network."""
        suffix = self._take("_phones", n, _PHONE_M, 20_261_001)
        country = pick(countries, self.rng.integers(0, len(countries), n))
        plus = pick(("00", "+"), (self.rng.random(n) < 0.3).astype(np.int64))
        lead = pl.Series(self.rng.integers(1, 10, n)).cast(pl.String)
        return plus + country + lead + _pad(suffix, 8)

    def accounts(self, n: int, bank_idx: np.ndarray | None = None) -> tuple[pl.Series, np.ndarray]:
        """`n` 19-digit card numbers and the index into BANKS of each card's bank."""
        if bank_idx is None:
            bank_idx = self.rng.choice(len(BANKS), n, p=BANK_WEIGHTS)
        suffix = self._take("_accounts", n, _ACCOUNT_M, 3_141_592_653)
        return pick([b for _, b in BANKS], bank_idx) + _pad(suffix, 13), bank_idx

    def handles(self, n: int, prefix: str = "wxid_") -> pl.Series:
        """`n` chat handles (WeChat-style ids)."""
        code = self._take("_handles", n, _HANDLE_M, 77_777)
        digits = list("0123456789abcdefghijklmnopqrstuvwxyz")
        out = pl.Series([prefix]).gather(np.zeros(n, dtype=np.int64))
        for k in range(7):
            out = out + pick(digits, (code // 36**k) % 36)
        return out

    def _take(self, counter: str, n: int, modulus: int, offset: int) -> np.ndarray:
        first = getattr(self, counter)
        setattr(self, counter, first + n)
        index = np.arange(first, first + n, dtype=np.uint64)
        # Two multiplications keep every product inside uint64 while mixing all digits.
        mixed = (index * np.uint64(_A1) + np.uint64((offset + self.seed * 7919) % modulus)) % np.uint64(
            modulus
        )
        return ((mixed * np.uint64(_A2)) % np.uint64(modulus)).astype(np.int64)


def pick(choices: tuple[str, ...] | list[str], index: np.ndarray) -> pl.Series:
    """The strings `choices[index]` as a Series, without building numpy string arrays (slow)."""
    return pl.Series(list(choices), dtype=pl.String).gather(np.asarray(index, dtype=np.int64))


def _pad(values: np.ndarray, width: int) -> pl.Series:
    return pl.Series(values).cast(pl.String).str.zfill(width)
