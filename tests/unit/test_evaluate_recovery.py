"""Money recovered: stops after the warning catch what is still on the traced accounts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fanzha.evaluate.model import RunRecord, TransferEvent, Truth, WarningRecord
from fanzha.evaluate.recovery import RecoverySettings, money_recovered
from fanzha.event.codes import FraudType, RiskLevel
from fanzha.sim.truth import Episode, Payment

T0 = datetime(2026, 10, 1, 12, tzinfo=UTC)


def minutes(m: float) -> datetime:
    return T0 + timedelta(minutes=m)


PAY = Payment("pay1", T0, 100_000, "victim", "mule1")
EPISODE = Episode("e1", "P1", FraudType.LOAN, minutes(-60), (PAY,), frozenset({"pay1"}))
TRUTH = Truth((EPISODE,), {})
# The mule keeps 40,000; 60,000 goes on to a level-2 account at 10 min, which cashes it out at 20 min.
TRANSFERS = (
    TransferEvent("pay1", "victim", "mule1", 100_000, T0),
    TransferEvent("t2", "mule1", "mule2", 60_000, minutes(10)),
    TransferEvent("t3", "mule2", "atm-acq", 60_000, minutes(20), channel="atm"),
)


def run(warned_at: datetime | None, withheld: frozenset[str] = frozenset()) -> RunRecord:
    warnings = (
        (WarningRecord(1, "P1", warned_at, "x", RiskLevel.HIGH, 80, FraudType.LOAN),) if warned_at else ()
    )
    return RunRecord("r", warnings, withheld=withheld)


def recovered(record: RunRecord, delay_min: float) -> tuple[int, int]:
    rep = money_recovered(record, TRUTH, TRANSFERS, RecoverySettings(delay=timedelta(minutes=delay_min)))
    assert rep.by_type[FraudType.LOAN] == rep.overall
    return rep.overall.lost_fen, rep.overall.recovered_fen


def test_a_late_stop_catches_only_what_stayed_and_cash_is_gone() -> None:
    assert recovered(run(minutes(5)), 30) == (100_000, 40_000)


def test_a_stop_before_the_onward_transfer_catches_everything() -> None:
    assert recovered(run(minutes(5)), 0) == (100_000, 100_000)


def test_a_stop_between_layering_and_cash_out_catches_it_on_level_two() -> None:
    assert recovered(run(minutes(5)), 10) == (100_000, 100_000)


def test_the_stop_counts_from_the_payment_when_the_warning_came_first() -> None:
    assert recovered(run(minutes(-30)), 25) == (100_000, 40_000)


def test_no_warning_means_no_stop() -> None:
    assert recovered(run(None), 30) == (100_000, 0)


def test_a_prevented_payment_is_not_lost() -> None:
    assert recovered(run(minutes(5), frozenset({"pay1"})), 30) == (0, 0)
