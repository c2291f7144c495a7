from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from fanzha.funds.stats import Fact, Period, aggregate, period_label

CST = timezone(timedelta(hours=8))


def test_period_labels_use_local_time() -> None:
    late_utc = datetime(2026, 3, 31, 17, 0, tzinfo=UTC)  # 2026-04-01 01:00 in Beijing
    assert period_label(late_utc, Period.DAY, CST) == "2026-04-01"
    assert period_label(late_utc, Period.MONTH, CST) == "2026-04"
    assert period_label(late_utc, Period.QUARTER, CST) == "2026-Q2"
    assert period_label(late_utc, Period.YEAR, CST) == "2026"


def test_aggregate_by_unit_and_period() -> None:
    t = datetime(2026, 5, 2, 3, tzinfo=UTC)
    facts = [
        Fact("STOPPED", "u1", t, 100, "a1"),
        Fact("STOPPED", "u1", t, 50, "a1"),
        Fact("FROZEN", "u1", t, 120, "a1"),
        Fact("RETURNED", "u1", t + timedelta(days=40), 90, "p1"),
        Fact("STOPPED", "u2", t, 7, "a9"),
    ]
    rows = aggregate(facts, Period.MONTH, CST)
    assert [(r.unit_id, r.period) for r in rows] == [("u1", "2026-05"), ("u2", "2026-05"), ("u1", "2026-06")]
    may = rows[0]
    assert (may.stopped_fen, may.stopped_accounts, may.frozen_fen, may.frozen_accounts) == (150, 1, 120, 1)
    assert (rows[2].returned_fen, rows[2].returned_people) == (90, 1)
