"""Indicator lists (fraud accounts, phone numbers, URL hosts, app names/hashes) in compact form.

Ten million entries must fit in memory and answer in about a microsecond, so entries are not kept
as objects: each kind is a sorted array of 64-bit hashes of the normalised value with parallel
arrays for source, fraud type, listing and expiry minute (about 20 bytes an entry). A lookup hashes
the value and bisects. Two different values share a 64-bit hash with a chance of about n / 2^64
per lookup (5e-13 at ten million entries): far below any other error in the chain. Hashes are
Python's string hash, so they are computed again whenever lists are built and never stored.
Small lists also keep a dict, which is faster than bisecting; large ones a one-hash Bloom
filter (16 bits an entry) that turns most misses away before the bisection.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt

from fanzha.event.codes import FraudType, IndicatorKind
from fanzha.event.entities import Indicator

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_NEVER = 2**31 - 1  # minutes: no expiry
_ALWAYS = -(2**31)  # minutes: listed since forever
_FRAUD_TYPES = tuple(FraudType)
_FRAUD_INDEX = {ft: i for i, ft in enumerate(_FRAUD_TYPES)}
SMALL_TABLE = 200_000


def normalise(kind: IndicatorKind, value: str) -> str:
    """Normalise an indicator so that trivially different spellings match."""
    value = value.strip()
    if kind is IndicatorKind.PHONE:
        digits = value.lstrip("+")
        if digits.startswith("0086"):
            digits = digits[2:]
        return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits
    if kind is IndicatorKind.URL:
        return url_host(value)
    return value.lower() if kind is IndicatorKind.APP else value


def url_host(url: str) -> str:
    """The lower-cased host of a URL (or of a bare host name)."""
    parts = urlsplit(url if "//" in url else "//" + url)
    return (parts.hostname or url).lower().removeprefix("www.")


def to_minute(when: datetime | None, default: int, *, ceil: bool = False) -> int:
    """Minutes since 2000 (rounded up with `ceil`, so a listing never counts before it was made)."""
    if when is None:
        return default
    delta = when - _EPOCH
    minute = timedelta(minutes=1)
    return -(-delta // minute) if ceil else delta // minute


def from_minute(minute: int) -> datetime | None:
    if minute in (_NEVER, _ALWAYS):
        return None
    return _EPOCH + timedelta(minutes=minute)


@dataclass(frozen=True, slots=True)
class Listing:
    """One list entry as a lookup returns it."""

    kind: IndicatorKind
    value: str
    source: str
    fraud_type: FraudType
    listed_at: datetime | None
    expires_at: datetime | None


class _Table:
    """One kind's entries, sorted by hash."""

    def __init__(
        self,
        hashes: npt.NDArray[np.int64],
        sources: npt.NDArray[np.uint16],
        types: npt.NDArray[np.uint8],
        listed: npt.NDArray[np.int32],
        expires: npt.NDArray[np.int32],
    ) -> None:
        self.hashes, self.sources, self.types = hashes, sources, types
        self.listed, self.expires = listed, expires
        self.small: dict[int, int] | None = None
        self.bitmap = b""
        if len(hashes) <= SMALL_TABLE:
            self.small = {}
            for i, h in enumerate(hashes.tolist()):
                self.small.setdefault(h, i)
        else:
            # A one-hash Bloom filter of about 16 bits an entry turns most misses away before bisecting.
            bits = 1 << max(3, (len(hashes) * 16 - 1).bit_length())
            self.mask = bits - 1
            bitmap = np.zeros(bits // 8, dtype=np.uint8)
            slots = (hashes.view(np.uint64) & np.uint64(self.mask)).astype(np.int64)
            np.bitwise_or.at(bitmap, slots >> 3, (1 << (slots & 7)).astype(np.uint8))
            self.bitmap = bitmap.tobytes()

    def first(self, h: int) -> int:
        """Index of the first entry with hash `h`, or -1."""
        if self.small is not None:
            return self.small.get(h, -1)
        slot = h & self.mask
        if not (self.bitmap[slot >> 3] >> (slot & 7)) & 1:
            return -1
        i = int(self.hashes.searchsorted(h))
        return i if i < len(self.hashes) and self.hashes.item(i) == h else -1


_Columns = dict[IndicatorKind, tuple["array[int]", "array[int]", "array[int]", "array[int]", "array[int]"]]


def _empty_columns() -> _Columns:
    return {kind: (array("q"), array("H"), array("B"), array("i"), array("i")) for kind in IndicatorKind}


class ListBuilder:
    """Collects entries (compactly) and builds `IndicatorLists`."""

    def __init__(self) -> None:
        self._cols = _empty_columns()
        self._sources: dict[str, int] = {}

    def add(
        self,
        kind: IndicatorKind,
        value: str,
        *,
        source: str = "LOCAL",
        fraud_type: FraudType = FraudType.UNKNOWN,
        listed_at: datetime | None = None,
        expires_at: datetime | None = None,
        normalised: bool = False,
    ) -> None:
        hashes, sources, types, listed, expires = self._cols[kind]
        hashes.append(hash(value if normalised else normalise(kind, value)))
        source_index = self._sources.setdefault(source, len(self._sources))
        sources.append(source_index)
        types.append(_FRAUD_INDEX[fraud_type])
        listed.append(to_minute(listed_at, _ALWAYS, ceil=True))
        expires.append(to_minute(expires_at, _NEVER))

    def add_indicator(self, indicator: Indicator) -> None:
        self.add(
            indicator.kind,
            indicator.value,
            source=indicator.source,
            fraud_type=indicator.fraud_type,
            listed_at=indicator.listed_at,
            expires_at=indicator.expires_at,
        )

    def build(self) -> IndicatorLists:
        tables: dict[IndicatorKind, _Table] = {}
        for kind, (hashes, sources, types, listed, expires) in self._cols.items():
            h = np.frombuffer(hashes, dtype=np.int64)
            order = np.argsort(h, kind="stable")
            tables[kind] = _Table(  # indexing by `order` copies out of the builder's buffers
                h[order],
                np.frombuffer(sources, dtype=np.uint16)[order],
                np.frombuffer(types, dtype=np.uint8)[order],
                np.frombuffer(listed, dtype=np.int32)[order],
                np.frombuffer(expires, dtype=np.int32)[order],
            )
        names = sorted(self._sources, key=self._sources.__getitem__)
        self._cols, self._sources = _empty_columns(), {}
        return IndicatorLists.from_tables(tables, tuple(names))


@dataclass(frozen=True, slots=True)
class ListStats:
    entries: int
    nbytes: int


class IndicatorLists:
    """Listed indicators by kind; `match` answers whether a value was listed and not expired at `at`."""

    _tables: dict[IndicatorKind, _Table]
    _sources: tuple[str, ...]

    def __init__(self, indicators: Iterable[Indicator] | None = None) -> None:
        builder = ListBuilder()
        for indicator in indicators or ():
            builder.add_indicator(indicator)
        built = builder.build()
        self._tables, self._sources = built._tables, built._sources

    @classmethod
    def from_tables(cls, tables: dict[IndicatorKind, _Table], sources: tuple[str, ...]) -> IndicatorLists:
        lists = cls.__new__(cls)
        lists._tables, lists._sources = tables, sources
        return lists

    def match(self, kind: IndicatorKind, value: str, at: datetime) -> Listing | None:
        """The earliest listing of `value` active at `at` (listed before, not yet expired), if any."""
        table = self._tables[kind]
        if not len(table.hashes):
            return None
        normal = normalise(kind, value)
        h = hash(normal)
        i = table.first(h)
        if i < 0:
            return None
        minute = to_minute(at, 0)
        best, best_listed = -1, 0
        hashes, n = table.hashes, len(table.hashes)
        while i < n and hashes.item(i) == h:
            listed = table.listed.item(i)
            if listed <= minute < table.expires.item(i) and (best < 0 or listed < best_listed):
                best, best_listed = i, listed
            i += 1
        return None if best < 0 else self._indicator(kind, normal, table, best)

    def _indicator(self, kind: IndicatorKind, value: str, table: _Table, i: int) -> Listing:
        return Listing(
            kind=kind,
            value=value,
            source=self._sources[table.sources.item(i)],
            fraud_type=_FRAUD_TYPES[table.types.item(i)],
            listed_at=from_minute(table.listed.item(i)),
            expires_at=from_minute(table.expires.item(i)),
        )

    def __len__(self) -> int:
        return sum(len(t.hashes) for t in self._tables.values())

    def stats(self) -> ListStats:
        """Entries and bytes held by the arrays (the small-table dicts come on top)."""
        nbytes = sum(
            t.hashes.nbytes
            + t.sources.nbytes
            + t.types.nbytes
            + t.listed.nbytes
            + t.expires.nbytes
            + len(t.bitmap)
            for t in self._tables.values()
        )
        return ListStats(len(self), nbytes)
