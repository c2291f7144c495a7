"""Compact indicator lists: listing and expiry times, duplicates, normalisation, the large-table path."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fanzha.detection import lists as lists_module
from fanzha.detection.lists import IndicatorLists, ListBuilder
from fanzha.event.codes import FraudType, IndicatorKind
from fanzha.event.entities import Indicator
from tests.factories import at

ACCOUNT = IndicatorKind.ACCOUNT


def test_an_entry_matches_only_between_listing_and_expiry() -> None:
    lists = IndicatorLists(
        [
            Indicator(
                kind=ACCOUNT, value="6200000000000001", listed_at=at(10), expires_at=at(100), source="BANK"
            )
        ]
    )
    assert lists.match(ACCOUNT, "6200000000000001", at(5)) is None
    hit = lists.match(ACCOUNT, "6200000000000001", at(50))
    assert hit is not None
    assert (hit.source, hit.listed_at, hit.expires_at) == ("BANK", at(10), at(100))
    assert lists.match(ACCOUNT, "6200000000000001", at(100)) is None


def test_the_earliest_active_listing_wins_among_sources() -> None:
    lists = IndicatorLists(
        [
            Indicator(kind=ACCOUNT, value="A1234", listed_at=at(0), expires_at=at(10), source="OLD"),
            Indicator(
                kind=ACCOUNT, value="A1234", listed_at=at(30), source="NAFC", fraud_type=FraudType.LOAN
            ),
            Indicator(kind=ACCOUNT, value="A1234", listed_at=at(20), source="BANK"),
        ]
    )
    assert lists.match(ACCOUNT, "A1234", at(5)).source == "OLD"  # type: ignore[union-attr]
    assert lists.match(ACCOUNT, "A1234", at(40)).source == "BANK"  # type: ignore[union-attr]


def test_phone_numbers_match_whatever_the_country_prefix() -> None:
    lists = IndicatorLists([Indicator(kind=IndicatorKind.PHONE, value="+8617000000009")])
    for spelling in ("17000000009", "+8617000000009", "008617000000009"):
        assert lists.match(IndicatorKind.PHONE, spelling, at(0)) is not None
    assert lists.match(IndicatorKind.PHONE, "17000000008", at(0)) is None


def test_large_tables_bisect_behind_a_bloom_filter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lists_module, "SMALL_TABLE", 10)
    builder = ListBuilder()
    for i in range(5000):
        builder.add(ACCOUNT, f"62{i:014d}", expires_at=at(60) if i % 2 else None, normalised=True)
    lists = builder.build()
    assert lists._tables[ACCOUNT].small is None
    assert len(lists) == 5000
    assert all(lists.match(ACCOUNT, f"62{i:014d}", at(0)) is not None for i in range(0, 5000, 7))
    assert not any(lists.match(ACCOUNT, f"63{i:014d}", at(0)) for i in range(2000))
    assert lists.match(ACCOUNT, f"62{1:014d}", at(0) + timedelta(hours=2)) is None
    assert lists.stats().nbytes < 5000 * 30
