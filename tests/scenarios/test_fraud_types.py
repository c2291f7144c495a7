"""One scripted story per fraud type of domain brief §6, through the pure pipeline, each beside an
innocent look-alike that must stay below a high level. Lists are empty unless a story needs them,
so these show what behaviour alone reveals."""

from __future__ import annotations

from datetime import UTC, datetime

from fanzha.clock import ManualClock
from fanzha.detection.context import DetectionContext, IndicatorLists
from fanzha.detection.state import InMemoryState
from fanzha.event.codes import FraudType, PersonGroup, RiskLevel
from fanzha.event.entities import Indicator
from fanzha.event.parse import parse_mapping
from fanzha.pipeline import PipelineContext, evaluate
from fanzha.risk.policy import default_policy
from tests.factories import (
    FRAUD_ACCOUNT,
    VICTIM_ACCOUNT,
    VICTIM_PHONE,
    call,
    chat,
    fraud_lists,
    incoming,
    install,
    record,
    transfer,
)

FRIEND_ACCOUNT = "6222000000000077"
HISTORY = [
    transfer(-60 * 24 * k, payee=f"62001111000000{k:02d}", amount_fen=15_000) for k in range(10, 0, -1)
]


class Directory:
    def person_for(self, identifier: str) -> str | None:
        return {
            f"phone:{VICTIM_PHONE}": "P1",
            f"account:{VICTIM_ACCOUNT}": "P1",
            f"account:{FRIEND_ACCOUNT}": "P2",
        }.get(identifier)


class Profiles:
    def __init__(self, *groups: PersonGroup) -> None:
        self._groups = frozenset(groups)

    def groups(self, person_id: str) -> frozenset[PersonGroup]:
        return self._groups


def outcome(
    story: list[dict], lists: list[Indicator] | None = None, groups: tuple[PersonGroup, ...] = ()
) -> tuple[RiskLevel | None, FraudType, set[str]]:
    """The highest level the person reached, the fraud type then, and every code raised."""
    ctx = PipelineContext(
        clock=ManualClock(datetime(2000, 1, 1, tzinfo=UTC)),
        policy=default_policy(),
        detection=DetectionContext(lists=IndicatorLists(lists or []), profiles=Profiles(*groups)),
        directory=Directory(),
    )
    state = InMemoryState()
    best: tuple[int, FraudType] = (0, FraudType.UNKNOWN)
    codes: set[str] = set()
    for raw in [*HISTORY, *story]:
        event = parse_mapping(raw, "story")
        assert not hasattr(event, "error"), event
        result = evaluate(event, state, ctx)  # type: ignore[arg-type]
        codes |= {s.code for s in result.signals}
        a = result.assessment
        if a is not None and a.subject_key == "person:P1" and a.level is not None and a.level >= best[0]:
            best = (int(a.level), a.fraud_type)
    level = RiskLevel(best[0]) if best[0] else None
    return level, best[1], codes


def test_brushing_small_rebates_then_growing_top_ups() -> None:
    story = [
        incoming(0, amount_fen=1_200),
        incoming(20, amount_fen=3_500),
        transfer(40, payee="6200777700000001", amount_fen=20_000),
        transfer(60, payee="6200777700000002", amount_fen=60_000),
        transfer(80, payee="6200777700000003", amount_fen=160_000),
    ]
    level, fraud_type, codes = outcome(story)
    assert "ESCALATING_PAYMENTS_AFTER_REBATE" in codes
    assert level is not None
    assert level >= RiskLevel.HIGH
    assert fraud_type is FraudType.BRUSHING


def test_look_alike_a_friend_pays_back_then_an_ordinary_purchase() -> None:
    story = [
        incoming(0, payer=FRIEND_ACCOUNT, amount_fen=3_000),
        transfer(30, payee="6200555511110001", amount_fen=12_000),
    ]
    level, _, codes = outcome(story)
    assert codes == set()
    assert level is None


def test_fake_loan_fees_paid_while_the_loan_never_arrives() -> None:
    story = [
        install(0, app="极速贷", category="LOAN"),
        transfer(30, payee="6200666600000001", amount_fen=50_000),
        transfer(90, payee="6200666600000002", amount_fen=120_000),
    ]
    level, fraud_type, codes = outcome(story)
    assert "REPEATED_LOAN_FEES" in codes
    assert level is not None
    assert level >= RiskLevel.MEDIUM
    assert fraud_type is FraudType.LOAN


def test_look_alike_a_real_loan_pays_out_before_any_repayment() -> None:
    story = [
        install(0, app="招联金融", category="LOAN"),
        incoming(60, payer="6200555500000001", amount_fen=2_000_000),
        transfer(60 * 24 * 3, payee="6200555500000001", amount_fen=120_000),
    ]
    level, _, codes = outcome(story)
    assert not codes & {"FEE_AFTER_LOAN_APP", "REPEATED_LOAN_FEES"}
    assert level is None or level < RiskLevel.MEDIUM


def test_fake_authority_overseas_call_screen_share_then_large_transfer() -> None:
    story = [
        call(0, counterpart="+85261234567", duration_s=2400),
        install(30, app="安全防护", category="SCREEN_SHARE"),
        transfer(50, payee="6200444400000001", amount_fen=8_000_000),
    ]
    level, _, codes = outcome(story)
    assert {"TRANSFER_AFTER_OVERSEAS_CALL", "TRANSFER_AFTER_SCREEN_SHARE", "NEW_PAYEE_SPIKE"} <= codes
    assert level is not None
    assert level >= RiskLevel.HIGH


def test_look_alike_legit_remote_support_then_a_small_purchase() -> None:
    story = [install(0, app="向日葵远程控制", category="REMOTE_CONTROL"), transfer(30, amount_fen=9_900)]
    level, _, _ = outcome(story)
    assert level is None


def test_look_alike_big_first_payment_to_a_car_dealer_stays_low() -> None:
    level, _, codes = outcome([transfer(0, payee="6200333300000001", amount_fen=15_000_000)])
    assert codes == {"NEW_PAYEE_SPIKE"}
    assert level is None or level <= RiskLevel.LOW


def test_fake_boss_new_member_in_work_group_then_finance_staff_pays() -> None:
    story = [
        chat(0, group_id="grp-finance-2026", new_contact=True, text="我是王总，马上付合作方款"),
        transfer(25, payee="6200222200000001", amount_fen=3_000_000),
    ]
    level, fraud_type, codes = outcome(story, groups=(PersonGroup.FINANCE_STAFF,))
    assert "FINANCE_TRANSFER_AFTER_GROUP_CONTACT" in codes
    assert level is not None
    assert level >= RiskLevel.HIGH
    assert fraud_type is FraudType.FAKE_BOSS_ACQ


def test_look_alike_the_same_payment_by_someone_not_in_finance_is_weaker() -> None:
    story = [
        chat(0, group_id="grp-hobby", new_contact=True),
        transfer(25, payee="6200222200000001", amount_fen=3_000_000),
    ]
    level, _, codes = outcome(story)
    assert "TRANSFER_AFTER_NEW_GROUP_CONTACT" in codes
    assert level is not None
    assert level < RiskLevel.HIGH


def test_fake_customer_service_listed_site_then_several_new_payees() -> None:
    story = [
        record("url_visit", 0, phone=VICTIM_PHONE, url="https://kefu-tuikuan.top/refund"),
        transfer(10, payee="6200111122220001", amount_fen=300_000),
        transfer(20, payee="6200111122220002", amount_fen=400_000),
        transfer(30, payee="6200111122220003", amount_fen=500_000),
    ]
    level, fraud_type, codes = outcome(story, lists=fraud_lists())
    assert {"FRAUD_URL_VISIT", "NEW_PAYEE_BURST"} <= codes
    assert level is not None
    assert level >= RiskLevel.MEDIUM
    assert fraud_type is FraudType.FAKE_CS_REFUND


def test_pig_butchering_new_chat_friend_virtual_number_then_big_deposit() -> None:
    story = [
        chat(0, counterpart="wxid_rich_friend", new_contact=True),
        call(60 * 20, counterpart="17100001234", duration_s=900),
        transfer(60 * 21, payee="6200999911110001", amount_fen=5_000_000),
    ]
    level, _, codes = outcome(story)
    assert {"TRANSFER_AFTER_NEW_CHAT_CONTACT", "TRANSFER_AFTER_VIRTUAL_CALL", "NEW_PAYEE_SPIKE"} <= codes
    assert level is not None
    assert level >= RiskLevel.MEDIUM


def test_payment_to_a_listed_account_is_critical_at_once() -> None:
    level, fraud_type, _ = outcome(
        [transfer(0, payee=FRAUD_ACCOUNT, amount_fen=100_000)], lists=fraud_lists()
    )
    assert level is RiskLevel.CRITICAL
    assert fraud_type is FraudType.FAKE_AUTHORITY
