"""Each detector, asked its one question, on events that should and should not fire it."""

from datetime import timedelta

import pytest

from fanzha.detection.context import DetectionContext, DetectorSettings, IndicatorLists
from fanzha.detection.detectors.base import Subject
from fanzha.detection.engine import detect
from fanzha.detection.registry import DETECTORS
from fanzha.detection.state import InMemoryState
from fanzha.event.codes import FraudType, IndicatorKind
from fanzha.event.entities import Indicator
from fanzha.event.parse import parse_mapping
from fanzha.risk.policy import default_policy
from tests.factories import FRAUD_ACCOUNT, FRAUD_PHONE, at, call, fraud_lists, install, record, transfer

SUBJECT = Subject("person:P1", "P1")


def run(records: list[dict], lists: IndicatorLists | None = None) -> list[list[str]]:
    """Codes fired per record, in order, over one shared state."""
    ctx = DetectionContext(lists=lists if lists is not None else IndicatorLists(fraud_lists()))
    state = InMemoryState()
    fired = []
    for raw in records:
        event = parse_mapping(raw, "test")
        assert not hasattr(event, "error"), event
        fired.append([s.code for s in detect(event, SUBJECT, state, ctx)])  # type: ignore[arg-type]
    return fired


def test_transfer_to_listed_account_fires_with_evidence() -> None:
    ctx = DetectionContext(lists=IndicatorLists(fraud_lists()))
    event = parse_mapping(transfer(0, payee=FRAUD_ACCOUNT, amount_fen=880_000), "t")
    signals = detect(event, SUBJECT, InMemoryState(), ctx)  # type: ignore[arg-type]
    assert [s.code for s in signals] == ["PAYEE_LISTED"]
    assert signals[0].evidence["amount_fen"] == 880_000
    assert signals[0].evidence["payee_account"] == FRAUD_ACCOUNT
    assert signals[0].fraud_type is FraudType.FAKE_AUTHORITY


def test_transfer_to_unlisted_account_is_quiet() -> None:
    assert run([transfer(0)]) == [[]]


def test_listing_counts_only_from_when_the_list_learned_it() -> None:
    lists = IndicatorLists(fraud_lists(listed_at=at(60)))
    assert run([transfer(30, payee=FRAUD_ACCOUNT), transfer(90, payee=FRAUD_ACCOUNT)], lists) == [
        [],
        ["PAYEE_LISTED"],
    ]


def test_long_fraud_call_then_transfer_fires_within_the_window_only() -> None:
    fired = run([call(0, duration_s=900), transfer(60), transfer(60 * 73)])
    assert fired == [["FRAUD_NUMBER_LONG_CALL"], ["TRANSFER_AFTER_FRAUD_CONTACT"], []]


def test_a_cold_call_of_seconds_does_not_arm_contact_then_transfer() -> None:
    assert run([call(0, duration_s=8), transfer(30)]) == [["FRAUD_NUMBER_CONTACT"], []]


def test_sms_from_fraud_number_arms_contact_then_transfer() -> None:
    sms = record("sms", 0, phone="13800000001", counterpart="+86" + FRAUD_PHONE, direction="IN")
    assert run([sms, transfer(10)]) == [["FRAUD_NUMBER_CONTACT"], ["TRANSFER_AFTER_FRAUD_CONTACT"]]


def test_screen_share_install_then_transfer() -> None:
    assert run([install(0), transfer(45)]) == [["SCREEN_SHARE_APP"], ["TRANSFER_AFTER_SCREEN_SHARE"]]


def test_ordinary_app_install_is_quiet_and_arms_nothing() -> None:
    assert run([install(0, app="美团", category="OTHER"), transfer(5)]) == [[], []]


def test_listed_app_is_a_fraud_app_even_without_a_risky_category() -> None:
    lists = IndicatorLists(
        [Indicator(kind=IndicatorKind.APP, value="com.fake.loan", fraud_type=FraudType.LOAN)]
    )
    fired = run([install(0, app="极速贷", category="LOAN", package="com.fake.loan"), transfer(5)], lists)
    # The loan app also arms the fake-loan question: a payment to a new payee after it is a "fee".
    assert fired == [["FRAUD_APP_INSTALLED"], ["TRANSFER_AFTER_SCREEN_SHARE", "FEE_AFTER_LOAN_APP"]]


def test_listed_url_visit_matches_on_host() -> None:
    visit = record("url_visit", 0, phone="13800000001", url="https://WWW.kefu-tuikuan.top/login?x=1")
    other = record("url_visit", 1, phone="13800000001", url="https://www.taobao.com/")
    assert run([visit, other]) == [["FRAUD_URL_VISIT"], []]


@pytest.mark.parametrize("level", ["LOW", "MEDIUM", "HIGH", "CRITICAL"])
def test_upstream_lead_signal_carries_its_level(level: str) -> None:
    lead = record("lead", 0, person_id="P1", source="NAFC_FUND", level=level, fraud_type="LOAN")
    assert run([lead]) == [[f"LEAD_{level}"]]


def test_out_of_order_events_do_not_link_backwards_in_time() -> None:
    assert run([call(60, duration_s=900), transfer(0)]) == [["FRAUD_NUMBER_LONG_CALL"], []]


def test_windows_are_settings() -> None:
    ctx = DetectionContext(
        lists=IndicatorLists(fraud_lists()),
        settings=DetectorSettings(contact_to_transfer=timedelta(minutes=30)),
    )
    state = InMemoryState()
    for raw in (call(0), transfer(45)):
        signals = detect(parse_mapping(raw, "t"), SUBJECT, state, ctx)  # type: ignore[arg-type]
    assert signals == ()


def test_every_signal_code_a_detector_can_raise_has_a_policy_weight() -> None:
    """Contract: each registered detector declares its codes, and the default policy prices each."""
    weights = default_policy().weights
    for detector in DETECTORS.values():
        assert detector.codes, detector.name
        assert detector.codes <= set(weights), (detector.name, detector.codes - set(weights))


def test_detectors_raise_only_the_codes_they_declare() -> None:
    lists = IndicatorLists(fraud_lists())
    stories = [
        [call(0, duration_s=900), call(1, duration_s=5), transfer(30, payee=FRAUD_ACCOUNT)],
        [install(0), transfer(10)],
        [record("url_visit", 0, phone="13800000001", url="kefu-tuikuan.top")],
        [record("lead", 0, person_id="P1", source="BANK", level=level) for level in ("LOW", "CRITICAL")],
    ]
    seen: set[str] = set()
    for story in stories:
        ctx = DetectionContext(lists=lists)
        state = InMemoryState()
        for raw in story:
            event = parse_mapping(raw, "t")
            for detector in DETECTORS.values():
                for signal in detector.observe(event, SUBJECT, state, ctx):  # type: ignore[arg-type]
                    assert signal.code in detector.codes
                    assert signal.detector == detector.name
                    seen.add(signal.code)
    assert len(seen) >= 8


def test_every_registered_detector_ignores_events_it_has_no_question_about() -> None:
    """Contract: a plain ordinary call raises nothing from any detector."""
    ctx = DetectionContext(lists=IndicatorLists(fraud_lists()))
    event = parse_mapping(call(0, counterpart="13900000000"), "t")
    for detector in DETECTORS.values():
        assert detector.observe(event, SUBJECT, InMemoryState(), ctx) == ()  # type: ignore[arg-type]


def test_small_everyday_payment_after_a_screen_share_install_is_not_the_fraud() -> None:
    assert run([install(0), transfer(30, amount_fen=2_000), transfer(31, amount_fen=60_000)]) == [
        ["SCREEN_SHARE_APP"],
        [],
        ["TRANSFER_AFTER_SCREEN_SHARE"],
    ]


def test_screen_share_window_is_a_day() -> None:
    assert run([install(0), transfer(25 * 60)]) == [["SCREEN_SHARE_APP"], []]
