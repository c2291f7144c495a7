"""Evaluation metrics on hand-built cases; every expected number is worked out in the comments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fanzha.evaluate.metrics import (
    MetricSettings,
    figures,
    quantile,
    report,
    tradeoff,
    virtual_warnings,
)
from fanzha.evaluate.model import (
    Channel,
    ContactRecord,
    Outcome,
    RunRecord,
    ScorePoint,
    Truth,
    WarningRecord,
)
from fanzha.event.codes import FraudType, RiskLevel
from fanzha.sim.truth import Episode, Payment

DAY = datetime(2026, 10, 1, tzinfo=UTC)


def h(hours: float) -> datetime:
    return DAY + timedelta(hours=hours)


def pay(event_id: str, hours: float, fen: int) -> Payment:
    return Payment(event_id, h(hours), fen, "6222000000000001", "6200999900000009")


# P1: LOAN, hooked at 10:00, pays ¥10 at 12:00 and ¥30 at 14:00.
E1 = Episode("e1", "P1", FraudType.LOAN, h(10), (pay("p1a", 12, 1000), pay("p1b", 14, 3000)), frozenset())
# P2: BRUSHING, hooked at 09:00, pays ¥50 at 11:00.
E2 = Episode("e2", "P2", FraudType.BRUSHING, h(9), (pay("p2a", 11, 5000),), frozenset())
# P3: hooked at 08:00 but never paid: not a victim, yet a warning on P3 then is real fraud.
E3 = Episode("e3", "P3", FraudType.LOAN, h(8), (), frozenset())
TRUTH = Truth((E1, E2, E3), {"e1": h(10), "e2": h(9.5)})


def warning(wid: int, person: str, hours: float, event_id: str, fraud_type: FraudType) -> WarningRecord:
    return WarningRecord(wid, person, h(hours), event_id, RiskLevel.MEDIUM, 50, fraud_type)


RUN = RunRecord(
    name="platform",
    warnings=(
        warning(1, "P1", 11, "c1", FraudType.LOAN),  # before P1's first loss
        warning(2, "P2", 11, "p2a", FraudType.BRUSHING),  # raised by P2's payment itself: not before loss
        warning(3, "P4", 12, "x", FraudType.UNKNOWN),  # P4 has no episode: false
        warning(4, "P3", 9, "c3", FraudType.LOAN),  # during P3's episode: real
        warning(5, "P1", 14 + 24 * 5, "c9", FraudType.LOAN),  # 5 days after P1's last payment: false
    ),
    contacts=(
        ContactRecord(1, "P1", h(11.5), Channel.CALL, Outcome.SUCCESS_NO_LOSS),
        ContactRecord(2, "P2", h(10.5), Channel.CALL, Outcome.UNREACHABLE),
        ContactRecord(2, "P2", h(12), Channel.VISIT, Outcome.DEFRAUDED),
    ),
    withheld=frozenset({"p1a", "p1b"}),
)


def test_quantile_interpolates_linearly() -> None:
    assert quantile([], 0.5) is None
    assert quantile([7.0], 0.95) == 7.0
    assert quantile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.5
    # h = 3 * 0.95 = 2.85: 3 + 0.85 * (4 - 3)
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.95) == pytest.approx(3.85)


def test_overall_figures() -> None:
    f = figures(RUN, TRUTH, MetricSettings())
    assert f.victims == 2  # E1 and E2; E3 never paid
    assert (f.warned_at_all, f.warned_in_episode, f.warned_before_loss) == (2, 2, 1)
    assert f.share_warned_before_loss == 0.5
    # P1 reached at 11:30, before 12:00; P2's only reach (12:00) came after its loss at 11:00.
    assert f.contacted_before_loss == 1
    assert f.victims_stopped == 1
    # To warning: P1 11:00 - 10:00 = 60 min, P2 11:00 - 09:30 = 90 min.
    assert (f.signal_to_warning.n, f.signal_to_warning.median) == (2, 75.0)
    assert f.signal_to_warning.p95 == pytest.approx(60 + 0.95 * 30)
    # To contact (reached only): P1 11:30 - 10:00 = 90, P2 12:00 - 09:30 = 150.
    assert (f.signal_to_contact.median, f.signal_to_contact.p95) == (120.0, pytest.approx(90 + 0.95 * 60))
    # Real: warnings 1, 2 and 4 of 5.
    assert (f.warnings, f.real_warnings, f.precision) == (5, 3, 0.6)
    assert f.contacts == 3
    assert (f.loss_fen, f.prevented_fen) == (9000, 4000)
    assert f.prevented_share == pytest.approx(4 / 9)


def test_per_type_takes_victims_by_true_type_and_warnings_by_their_type() -> None:
    rep = report(RUN, TRUTH)
    loan, brushing = rep.by_type[FraudType.LOAN], rep.by_type[FraudType.BRUSHING]
    assert (loan.victims, loan.warned_before_loss, loan.prevented_share) == (1, 1, 1.0)
    # LOAN warnings 1, 4, 5: the first two are real.
    assert (loan.warnings, loan.real_warnings) == (3, 2)
    assert (brushing.victims, brushing.warned_before_loss, brushing.prevented_fen) == (1, 0, 0)
    assert rep.by_type[FraudType.UNKNOWN].precision == 0.0
    assert rep.overall == figures(RUN, TRUTH, MetricSettings())


def test_the_real_fraud_window_is_configurable() -> None:
    # With a 5-day-and-1-hour window, warning 5 (5 days after P1's last payment) becomes real too.
    f = figures(RUN, TRUTH, MetricSettings(real_window=timedelta(days=5, hours=1)))
    assert f.real_warnings == 4


def test_a_run_without_warnings_has_empty_figures() -> None:
    f = figures(RunRecord("none", ()), TRUTH, MetricSettings())
    assert (f.victims, f.warned_at_all, f.warnings, f.prevented_fen) == (2, 0, 0, 0)
    assert f.precision is None
    assert f.signal_to_warning.median is None


SCORES = (
    ScorePoint("P1", h(10.5), 30, "c1"),
    ScorePoint("P1", h(12), 80, "p1a"),
    ScorePoint("P2", h(11), 75, "p2a"),
    ScorePoint("P4", h(12), 40, "x"),
)


def test_tradeoff_curve_over_thresholds() -> None:
    curve = tradeoff(SCORES, TRUTH, MetricSettings(thresholds=(25, 50, 90)))
    low, mid, high = curve
    # 25: P1 at 10:30 (before loss; 12:00 falls in its cool-down), P2 by its payment, P4 false.
    assert (low.warnings, low.precision, low.share_warned_before_loss) == (3, pytest.approx(2 / 3), 0.5)
    # 50: P1 only at its payment, P2 at its payment: both real, neither before loss.
    assert (mid.warnings, mid.precision, mid.share_warned_before_loss) == (2, 1.0, 0.0)
    assert (high.warnings, high.precision, high.share_warned_before_loss) == (0, None, 0.0)


def test_virtual_warnings_respect_the_cooldown() -> None:
    points = [ScorePoint("P9", h(t), 60, f"e{t}") for t in (0, 10, 80)]
    opened = virtual_warnings(points, 50, timedelta(hours=72))
    assert [o.opened_at for o in opened] == [h(0), h(80)]


def test_precision_by_level_separates_the_levels_officers_visit_for() -> None:
    def at(record: WarningRecord, level: RiskLevel) -> WarningRecord:
        return WarningRecord(
            record.warning_id,
            record.person_id,
            record.opened_at,
            record.first_event_id,
            level,
            80,
            record.fraud_type,
        )

    levels = (RiskLevel.HIGH, RiskLevel.CRITICAL, RiskLevel.HIGH, RiskLevel.LOW, RiskLevel.MEDIUM)
    run = RunRecord("platform", tuple(at(w, lv) for w, lv in zip(RUN.warnings, levels, strict=True)))
    f = figures(run, TRUTH, MetricSettings())
    # Real: warnings 1, 2 (HIGH, CRITICAL) and 4 (LOW); false: 3 (HIGH) and 5 (MEDIUM).
    assert f.by_level == {
        RiskLevel.HIGH: (2, 1),
        RiskLevel.CRITICAL: (1, 1),
        RiskLevel.LOW: (1, 1),
        RiskLevel.MEDIUM: (1, 0),
    }
    assert f.visit_precision == pytest.approx(2 / 3)
    assert f.to_json()["by_level"]["MEDIUM"] == {"warnings": 1, "real_warnings": 0, "precision": 0.0}
    assert f.to_json()["precision_high_critical"] == pytest.approx(2 / 3)
