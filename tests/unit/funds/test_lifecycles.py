"""Stop-payment, freeze and protective-hold lifecycles: the legal timers and the refused moves."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from fanzha.funds import freeze, hold, stop_payment
from fanzha.funds.freeze import FreezeSettings, add_months
from fanzha.funds.model import (
    BankResult,
    FreezeOrder,
    FreezeStatus,
    HoldStatus,
    ProtectiveHold,
    StopPaymentOrder,
    StopStatus,
    TransitionError,
)
from fanzha.funds.stop_payment import StopSettings, check_new_stop

T0 = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
H = timedelta(hours=1)


def order(**kw: object) -> StopPaymentOrder:
    base = StopPaymentOrder(
        order_id="s1",
        unit_id="u1",
        case_id="c1",
        victim_id="p1",
        payer_account="6222000000000001",
        payer_bank="测试银行",
        amount_fen=500_000,
        txn_time=T0,
        payee_account="6200999900000009",
        payee_name="李四",
        payee_bank_hq="测试银行总行",
        layer=1,
        parent_account=None,
        instruction_no="ZF-1",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def stopped(at: datetime = T0) -> StopPaymentOrder:
    sent = stop_payment.apply(order(), stop_payment.Send(at)).record
    return stop_payment.apply(sent, stop_payment.Answer(BankResult.STOPPED, at)).record


def test_stop_lasts_48_hours_from_the_stop_and_alerts_6_hours_before() -> None:
    o = stopped()
    assert o.status is StopStatus.STOPPED
    assert o.expires_at == T0 + 48 * H
    quiet = stop_payment.apply(o, stop_payment.Tick(T0 + 41 * H))
    assert quiet.record == o
    assert quiet.effects == ()
    warned = stop_payment.apply(o, stop_payment.Tick(T0 + 42 * H))
    assert [x.kind for x in warned.effects] == ["ALERT"]
    assert warned.record.alerted_at is not None
    again = stop_payment.apply(warned.record, stop_payment.Tick(T0 + 43 * H))
    assert again.effects == ()  # one alert, not one per sweep
    expired = stop_payment.apply(warned.record, stop_payment.Tick(T0 + 48 * H))
    assert expired.record.status is StopStatus.EXPIRED


def test_converted_stop_does_not_expire_or_alert() -> None:
    o = stop_payment.apply(stopped(), stop_payment.Convert("f1", T0 + H)).record
    late = stop_payment.apply(o, stop_payment.Tick(T0 + 100 * H))
    assert late.record.status is StopStatus.CONVERTED
    assert late.effects == ()


def test_third_stop_on_the_same_account_is_refused() -> None:
    settings = StopSettings()
    assert check_new_stop(0, settings) == 1
    assert check_new_stop(1, settings) == 2
    with pytest.raises(TransitionError, match="at most 2"):
        check_new_stop(2, settings)
    assert check_new_stop(2, StopSettings(max_stops_per_account=3)) == 3


def test_bank_mismatch_and_silence() -> None:
    sent = stop_payment.apply(order(), stop_payment.Send(T0)).record
    mismatch = stop_payment.apply(sent, stop_payment.Answer(BankResult.MISMATCH, T0)).record
    assert mismatch.status is StopStatus.MISMATCH
    assert mismatch.expires_at is None
    waiting = stop_payment.apply(sent, stop_payment.NoAnswer(T0, "TIMEOUT")).record
    assert waiting.status is StopStatus.PENDING_RETRY
    assert waiting.last_error == "TIMEOUT"
    resent = stop_payment.apply(waiting, stop_payment.Send(T0 + H)).record
    assert resent.attempts == 2
    assert resent.sent_at == T0


def test_duplicate_answer_is_a_no_op_and_a_conflicting_one_refused() -> None:
    o = stopped()
    assert stop_payment.apply(o, stop_payment.Answer(BankResult.STOPPED, T0 + H)).record == o
    with pytest.raises(TransitionError):
        stop_payment.apply(o, stop_payment.Answer(BankResult.FAILED, T0 + H))


def test_commands_not_in_the_table_are_refused() -> None:
    with pytest.raises(TransitionError):
        stop_payment.apply(order(), stop_payment.Convert("f1", T0))
    with pytest.raises(TransitionError):
        stop_payment.apply(stopped(), stop_payment.Send(T0))


def fz(**kw: object) -> FreezeOrder:
    base = FreezeOrder(
        freeze_id="f1",
        unit_id="u1",
        notice_no="DJ-1",
        account="6200999900000009",
        account_name="李四",
        amount_fen=500_000,
        requested_at=T0,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def active(at: datetime = T0) -> FreezeOrder:
    f = freeze.apply(fz(), freeze.Approve("王局长", at)).record
    f = freeze.apply(f, freeze.Send(at)).record
    return freeze.apply(f, freeze.Answer(BankResult.FROZEN, at)).record


def test_freeze_needs_approval_and_runs_six_months() -> None:
    with pytest.raises(TransitionError):
        freeze.apply(fz(), freeze.Send(T0))
    f = active()
    assert f.status is FreezeStatus.ACTIVE
    assert f.ends_at == datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
    major = freeze.apply(
        freeze.apply(
            freeze.apply(fz(major_case=True), freeze.Approve("市局", T0)).record, freeze.Send(T0)
        ).record,
        freeze.Answer(BankResult.FROZEN, T0),
    ).record
    assert major.ends_at == datetime(2027, 5, 1, 10, 0, tzinfo=UTC)


def test_add_months_clamps_the_day() -> None:
    assert add_months(datetime(2026, 8, 31, tzinfo=UTC), 6) == datetime(2027, 2, 28, tzinfo=UTC)


def test_freeze_alerts_15_days_before_then_lapses_without_renewal() -> None:
    f = active()
    assert f.ends_at is not None
    assert freeze.apply(f, freeze.Tick(f.ends_at - timedelta(days=16))).effects == ()
    warned = freeze.apply(f, freeze.Tick(f.ends_at - timedelta(days=15)))
    assert [x.kind for x in warned.effects] == ["ALERT"]
    lapsed = freeze.apply(warned.record, freeze.Tick(f.ends_at))
    assert lapsed.record.status is FreezeStatus.LAPSED
    assert "PROMOTE_QUEUED" in [x.kind for x in lapsed.effects]
    with pytest.raises(TransitionError):
        freeze.apply(lapsed.record, freeze.Renew(f.ends_at))


def test_renewal_before_expiry_extends_by_at_most_one_period() -> None:
    f = active()
    assert f.ends_at is not None
    renewed = freeze.apply(f, freeze.Renew(f.ends_at - timedelta(days=1))).record
    assert renewed.ends_at == datetime(2027, 5, 1, 10, 0, tzinfo=UTC)
    assert len(renewed.renewals) == 1
    with pytest.raises(TransitionError, match="1 to 6"):
        freeze.apply(f, freeze.Renew(T0, months=7))
    with pytest.raises(TransitionError, match="before expiry"):
        freeze.apply(f, freeze.Renew(f.ends_at))


def test_queued_freeze_takes_effect_when_promoted_and_release_needs_a_reason() -> None:
    f = freeze.apply(fz(), freeze.Approve("王局长", T0)).record
    f = freeze.apply(f, freeze.Send(T0)).record
    queued = freeze.apply(f, freeze.Answer(BankResult.QUEUED, T0, queued_behind="other")).record
    assert queued.status is FreezeStatus.QUEUED
    assert queued.ends_at is None
    later = T0 + timedelta(days=40)
    promoted = freeze.apply(queued, freeze.Promote(later), FreezeSettings(period_months=3)).record
    assert promoted.status is FreezeStatus.ACTIVE
    assert promoted.ends_at == add_months(later, 3)
    with pytest.raises(TransitionError, match="reason"):
        freeze.apply(promoted, freeze.Release(later, " "))
    released = freeze.apply(promoted, freeze.Release(later, "与案件无关"))
    assert released.record.status is FreezeStatus.RELEASED
    assert {"SEND_INSTRUCTION", "AUDIT", "PROMOTE_QUEUED"} <= {x.kind for x in released.effects}


def proposed() -> ProtectiveHold:
    return ProtectiveHold(
        hold_id="h1",
        unit_id="u1",
        subject_id="p1",
        accounts=("6222000000000001",),
        trigger_lead_id="w1",
        imposed_by="police",
        proposed_at=T0,
    )


def test_hold_needs_a_human_and_releases_itself() -> None:
    with pytest.raises(TransitionError):
        hold.apply(proposed(), hold.Release(T0, "x"))
    assert hold.apply(proposed(), hold.Tick(T0 + 100 * H)).record.status is HoldStatus.PROPOSED
    with pytest.raises(TransitionError, match="named officer"):
        hold.apply(proposed(), hold.Confirm("", T0))
    confirmed = hold.apply(proposed(), hold.Confirm("民警甲", T0))
    assert "NOTIFY_SUBJECT" in [x.kind for x in confirmed.effects]
    h = confirmed.record
    assert h.status is HoldStatus.ACTIVE
    assert h.planned_end == T0 + 72 * H
    assert hold.apply(h, hold.Tick(T0 + 71 * H)).record.status is HoldStatus.ACTIVE
    ended = hold.apply(h, hold.Tick(T0 + 80 * H))
    assert ended.record.status is HoldStatus.RELEASED
    assert ended.record.released_at == T0 + 72 * H
    assert "AUDIT" in [x.kind for x in ended.effects]


def test_hold_duration_is_configurable_and_bounded() -> None:
    h = hold.apply(proposed(), hold.Confirm("民警甲", T0, duration=24 * H)).record
    assert h.planned_end == T0 + 24 * H
    with pytest.raises(TransitionError, match="duration"):
        hold.apply(proposed(), hold.Confirm("民警甲", T0, duration=timedelta(days=30)))
    early = hold.apply(h, hold.Release(T0 + H, "已见面核实"))
    assert early.record.release_reason == "已见面核实"
