"""Contact, engagement and payment, weighed: policy 2026.11.3.

A fraud text or a message from a listed number is contact; most people ignore it. Acting on it
(replying, opening its link) or paying a stranger soon after is what victims do; paying the usual
landlord is not. Each story runs through the pure pipeline with a person who has a payment history,
and a stand-in text model that calls any text containing "刷单" fraud.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fanzha.clock import ManualClock
from fanzha.detection.context import DetectionContext, IndicatorLists
from fanzha.detection.state import InMemoryState
from fanzha.detection.text import TextVerdict
from fanzha.event.codes import FraudType, RiskLevel
from fanzha.event.parse import parse_mapping
from fanzha.pipeline import PipelineContext, evaluate
from fanzha.risk.policy import default_policy
from tests.factories import FRAUD_PHONE, VICTIM_ACCOUNT, VICTIM_PHONE, fraud_lists, record, transfer

LANDLORD = "6200333300000001"
STRANGER = "6200444400000001"
SENDER = "13712345678"
# A month of rent and everyday payments, so the person's norm and usual payees are known.
HISTORY = [
    *(transfer(-60 * 24 * (30 - k), payee=f"62001111000000{k:02d}", amount_fen=15_000) for k in range(8)),
    transfer(-60 * 24 * 20, payee=LANDLORD, amount_fen=300_000),
    transfer(-60 * 24 * 5, payee=LANDLORD, amount_fen=300_000),
]
FRAUD_SMS = "【通知】刷单兼职日结，点击 job-rebate.top 领取任务，咨询 4001234567"


class KeywordModel:
    def score(self, text: str, *, cues_from: float = 0.0) -> TextVerdict:
        if "刷单" in text:
            return TextVerdict(0.95, FraudType.BRUSHING, ("刷单",))
        return TextVerdict(0.05, None)


class Directory:
    def person_for(self, identifier: str) -> str | None:
        return {f"phone:{VICTIM_PHONE}": "P1", f"account:{VICTIM_ACCOUNT}": "P1"}.get(identifier)


def outcome(story: list[dict]) -> tuple[RiskLevel | None, set[str]]:
    """The highest level P1 reached during the story, and every code raised."""
    ctx = PipelineContext(
        clock=ManualClock(datetime(2000, 1, 1, tzinfo=UTC)),
        policy=default_policy(),
        detection=DetectionContext(lists=IndicatorLists(fraud_lists()), text_scorer=KeywordModel()),
        directory=Directory(),
    )
    state = InMemoryState()
    best = 0
    codes: set[str] = set()
    for raw in [*HISTORY, *story]:
        result = evaluate(parse_mapping(raw, "story"), state, ctx)  # type: ignore[arg-type]
        codes |= {s.code for s in result.signals}
        a = result.assessment
        if a is not None and a.level is not None and a.warn:
            best = max(best, int(a.level))
    return (RiskLevel(best) if best else None), codes


def sms(minutes: float, counterpart: str, text: str, direction: str = "IN") -> dict:
    return record("sms", minutes, phone=VICTIM_PHONE, counterpart=counterpart, direction=direction, text=text)


def test_fraud_sms_from_a_listed_number_alone_stays_below_the_warn_level() -> None:
    level, codes = outcome([sms(0, FRAUD_PHONE, FRAUD_SMS)])
    assert {"FRAUD_NUMBER_CONTACT", "FRAUD_TEXT_HIGH"} <= codes
    assert level is None


def test_fraud_sms_then_rent_to_the_usual_landlord_raises_no_high_warning() -> None:
    level, codes = outcome(
        [sms(0, FRAUD_PHONE, FRAUD_SMS), transfer(60 * 10, payee=LANDLORD, amount_fen=300_000)]
    )
    assert "KNOWN_PAYEE_AFTER_FRAUD_CONTACT" in codes
    assert "TRANSFER_AFTER_FRAUD_CONTACT" not in codes
    assert "TRANSFER_AFTER_FRAUD_TEXT" not in codes
    assert level is None


def test_fraud_sms_then_a_first_transfer_to_a_new_payee_is_high() -> None:
    level, codes = outcome(
        [sms(0, FRAUD_PHONE, FRAUD_SMS), transfer(60 * 10, payee=STRANGER, amount_fen=300_000)]
    )
    assert {"TRANSFER_AFTER_FRAUD_CONTACT", "TRANSFER_AFTER_FRAUD_TEXT"} <= codes
    assert level is not None
    assert level >= RiskLevel.HIGH


def test_a_fraud_text_from_an_unlisted_sender_then_a_new_payee_is_at_least_medium() -> None:
    level, codes = outcome([sms(0, SENDER, FRAUD_SMS), transfer(60 * 10, payee=STRANGER, amount_fen=300_000)])
    assert "TRANSFER_AFTER_FRAUD_TEXT" in codes
    assert level is not None
    assert level >= RiskLevel.MEDIUM


def test_a_small_purchase_or_a_card_payment_after_a_fraud_text_is_everyday_spending() -> None:
    story = [
        sms(0, SENDER, FRAUD_SMS),
        transfer(60, payee=STRANGER, amount_fen=3_000),
        transfer(90, payee="6200555500000001", amount_fen=200_000, channel="pos"),
    ]
    level, codes = outcome(story)
    assert "TRANSFER_AFTER_FRAUD_TEXT" not in codes
    assert level is None


def test_a_small_test_payment_does_not_make_the_fraud_account_an_established_payee() -> None:
    story = [
        sms(0, FRAUD_PHONE, FRAUD_SMS),
        transfer(60, payee=STRANGER, amount_fen=10_000),
        transfer(120, payee=STRANGER, amount_fen=200_000),
    ]
    level, codes = outcome(story)
    assert "TRANSFER_AFTER_FRAUD_CONTACT" in codes
    assert "KNOWN_PAYEE_AFTER_FRAUD_CONTACT" not in codes
    assert level is not None
    assert level >= RiskLevel.HIGH


def test_replying_to_a_fraud_text_is_engagement_and_reaches_the_warn_level() -> None:
    level, codes = outcome([sms(0, SENDER, FRAUD_SMS), sms(5, SENDER, "怎么做任务？", direction="OUT")])
    assert "FRAUD_TEXT_REPLY" in codes
    assert level is not None


def test_calling_the_number_a_fraud_text_names_or_opening_its_link_is_engagement() -> None:
    story = [
        sms(0, SENDER, FRAUD_SMS),
        record("call", 3, phone=VICTIM_PHONE, counterpart="4001234567", direction="OUT", duration_s=120),
        record("url_visit", 8, phone=VICTIM_PHONE, url="https://job-rebate.top/task?id=7"),
    ]
    level, codes = outcome(story)
    assert {"FRAUD_TEXT_REPLY", "FRAUD_TEXT_LINK_VISIT"} <= codes
    assert level is not None
    assert level >= RiskLevel.MEDIUM


def test_an_ignored_fraud_text_and_an_unrelated_reply_stay_quiet() -> None:
    story = [
        sms(0, SENDER, FRAUD_SMS),
        sms(5, "13900000000", "晚上回家吃饭", direction="OUT"),
        record("url_visit", 8, phone=VICTIM_PHONE, url="https://www.taobao.com/"),
    ]
    level, codes = outcome(story)
    assert not codes & {"FRAUD_TEXT_REPLY", "FRAUD_TEXT_LINK_VISIT"}
    assert level is None


def test_a_new_payee_burst_alone_stays_below_the_warn_level() -> None:
    story = [
        transfer(k * 10, payee=f"62006666000000{k:02d}", amount_fen=60_000, channel="online")
        for k in range(4)
    ]
    level, codes = outcome(story)
    assert "NEW_PAYEE_BURST" in codes
    assert level is None
