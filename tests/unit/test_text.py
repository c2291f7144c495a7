"""The text model's pure parts: normalisation, the generator, cues, the detector."""

import random

import pytest

from fanzha.corpus import Channel, Part, Stage, Topic, fraud_text, normal_text
from fanzha.detection.context import DetectionContext, IndicatorLists
from fanzha.detection.detectors.base import Subject
from fanzha.detection.detectors.fraud_text import FraudText, mask_cue
from fanzha.detection.state import InMemoryState
from fanzha.event.codes import FraudType
from fanzha.event.parse import parse_mapping
from fanzha.text.model import default_scorer
from fanzha.text.normalise import normalise
from tests.factories import VICTIM_PHONE, record


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("請轉賬到安全賬戶", "请转账到安全账户"),  # traditional → simplified
        ("ＡＰＰ下载，领取１２３元", "app下载,领取0元"),  # full-width → half-width, numbers → 0
        ("安 全 账 户", "安全账户"),  # spaces between words
        ("点击http://t.cn/xxxx领取💰💰", "点击[网址]领取[表情]"),  # links, emoji
        ("加我13812345678或138****5678", "加我[号码]或[号码]"),  # phones, masked numbers
        ("NAME您好，尾号DIGIT的卡", "某您好,尾号[号码]的卡"),  # placeholders of public sets
        ("A：喂，你好\nB：你是谁", "喂,你好,你是谁"),  # transcript speaker tags
        ("收入1,000.00元", "收入0元"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_normalise_caps_very_long_input() -> None:
    assert len(normalise("转账" * 50_000)) == 4000


@pytest.mark.parametrize("fraud_type", list(FraudType))
def test_generator_has_variety_per_type(fraud_type: FraudType) -> None:
    rng = random.Random(1)
    texts = {
        fraud_text(fraud_type, rng.choice(list(Stage)), rng.choice(list(Channel)), rng) for _ in range(2000)
    }
    assert len(texts) >= 1000


def test_generator_is_deterministic_and_calls_are_multi_turn() -> None:
    def draw(seed: int) -> list[str]:
        rng = random.Random(seed)
        return [fraud_text(FraudType.LOAN, s, Channel.CALL, rng) for s in Stage] + [
            normal_text(t, c, rng) for t in Topic for c in Channel
        ]

    assert draw(5) == draw(5)
    assert draw(5) != draw(6)
    rng = random.Random(3)
    transcript = fraud_text(FraudType.FAKE_AUTHORITY, Stage.HOOK, Channel.CALL, rng)
    lines = transcript.split("\n")
    assert len(lines) >= 2
    assert lines[0].startswith("A：")
    assert lines[1].startswith("B：")


def test_normal_texts_include_hard_negatives() -> None:
    rng = random.Random(2)
    notices = [normal_text(Topic.NOTIFICATION, Channel.SMS, rng, Part.ALL) for _ in range(300)]
    bank = [normal_text(Topic.BANK, Channel.SMS, rng, Part.ALL) for _ in range(300)]
    assert any("安全账户" in n for n in notices)
    assert any("验证码" in b for b in bank)


def test_cues_are_substrings_of_the_normalised_text() -> None:
    model = default_scorer()
    rng = random.Random(11)
    for fraud_type in FraudType:
        text = fraud_text(fraud_type, Stage.PAYMENT, Channel.SMS, rng)
        verdict = model.score(text)
        assert verdict.cues
        assert all(cue in normalise(text) for cue in verdict.cues)


def test_default_model_separates_a_held_out_generated_set() -> None:
    model = default_scorer()
    rng = random.Random(12345)
    # The city's held-out templates (never trained on); a fake loan's hook is a loan ad (spam).
    pairs = [(t, s) for t in FraudType for s in Stage if (t, s) != (FraudType.LOAN, Stage.HOOK)]
    fraud = [fraud_text(t, s, Channel.SMS, rng) for t, s in pairs for _ in range(4)]
    normal = [normal_text(t, c, rng) for t in Topic for c in Channel for _ in range(3)]
    caught = sum(model.score(t).fraud_type is not None for t in fraud)
    passed = sum(model.score(t).fraud_type is None for t in normal)
    assert caught / len(fraud) >= 0.8
    assert passed / len(normal) >= 0.85


def _fired(text: str) -> list[str]:
    ctx = DetectionContext(lists=IndicatorLists(), text_scorer=default_scorer())
    event = parse_mapping(record("sms", 0, phone=VICTIM_PHONE, counterpart="10690000", text=text), "t")
    return [s.code for s in FraudText().observe(event, Subject("p", "p"), InMemoryState(), ctx)]  # type: ignore[arg-type]


def test_detector_raises_on_a_fraud_sms_and_not_on_a_bank_code() -> None:
    assert _fired(
        "您好，我是市公安局刑侦支队王警官，您涉嫌洗钱，请将资金转入安全账户配合调查，不要告诉家人"
    ) in (
        ["FRAUD_TEXT"],
        ["FRAUD_TEXT_HIGH"],
    )
    assert _fired("【工商银行】您的验证码为384912，5分钟内有效，请勿泄露给他人。") == []


def test_detector_is_silent_without_a_scorer() -> None:
    ctx = DetectionContext(lists=IndicatorLists())
    event = parse_mapping(record("sms", 0, phone=VICTIM_PHONE, counterpart="10690000", text="安全账户"), "t")
    assert FraudText().observe(event, Subject("p", "p"), InMemoryState(), ctx) == ()  # type: ignore[arg-type]


def test_cue_digits_are_masked() -> None:
    assert mask_cue("转到6222021234567890") == "转到6222****7890"
