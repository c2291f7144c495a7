"""The generator families, the training/held-out split, and what the default model makes of spam,
promotions and polite phishing (issue 17)."""

import random
from pathlib import Path

import pytest

from fanzha.corpus import FAMILIES, Category, Channel, Part, Stage, Topic, fraud_text, normal_text, samples
from fanzha.corpus.compose import part_of, tables
from fanzha.corpus.families import anonymise
from fanzha.detection.context import DetectionContext, IndicatorLists
from fanzha.detection.detectors.base import Subject
from fanzha.detection.detectors.fraud_text import FraudText
from fanzha.detection.state import InMemoryState
from fanzha.event.codes import FraudType
from fanzha.event.parse import parse_mapping
from fanzha.text.model import default_scorer, load_model
from fanzha.text.train import Example, TrainConfig, fit
from tests.factories import VICTIM_PHONE, record


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7, 9])
def test_a_phrase_list_splits_into_disjoint_parts(size: int) -> None:
    templates = [f"t{i}" for i in range(size)]
    train, held = part_of(templates, Part.TRAIN), part_of(templates, Part.HELD_OUT)
    assert part_of(templates, Part.ALL) == templates
    if size == 1:
        assert train == held == templates  # one template: shared
    else:
        assert train
        assert held
        assert not set(train) & set(held)
        assert sorted(train + held) == templates


def test_the_city_draws_from_templates_the_model_never_trained_on() -> None:
    """Every multi-template list of the city's tables holds some templates out of training."""
    lists = [
        lines
        for table in tables("fraud")["types"].values()
        for stage in Stage
        if len(lines := table.get(stage.value) or []) > 1
    ]
    assert lists
    for lines in lists:
        assert set(part_of(lines, Part.HELD_OUT)).isdisjoint(part_of(lines, Part.TRAIN))
    rng = random.Random(3)
    train_rng = random.Random(3)
    held = {fraud_text(FraudType.FAKE_AUTHORITY, Stage.PAYMENT, Channel.SMS, rng) for _ in range(50)}
    train = {
        fraud_text(FraudType.FAKE_AUTHORITY, Stage.PAYMENT, Channel.SMS, train_rng, Part.TRAIN)
        for _ in range(50)
    }
    assert held != train


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_writes_fraud_and_not_fraud_with_consistent_labels(family: str) -> None:
    drawn = samples(family, 600, random.Random(5), Part.TRAIN)
    categories = {s.category for s in drawn}
    assert Category.FRAUD in categories
    assert categories & {Category.NORMAL, Category.SPAM}
    assert all((s.fraud_type is not None) == (s.category is Category.FRAUD) for s in drawn)
    assert all(s.family == family and s.text.strip() for s in drawn)
    assert len({s.text for s in drawn}) > 0.9 * len(drawn)


def test_sms_and_chat_families_have_spam_and_innocent_hard_negatives() -> None:
    sms = samples("sms", 800, random.Random(6))
    chats = samples("chat", 800, random.Random(6))
    assert {s.category for s in sms} == set(Category)
    assert any("退订" in s.text for s in sms if s.category is Category.SPAM)
    types = {s.fraud_type for s in chats if s.category is Category.FRAUD}
    assert {FraudType.SHOPPING, FraudType.GAME_TRADE, FraudType.ROMANCE} <= types
    assert sum(s.category is Category.NORMAL for s in chats) > 200


def test_anonymise_writes_the_placeholders_of_public_corpora() -> None:
    rng = random.Random(1)
    out = anonymise("请登录 http://t.cn/abc 或致电 13812345678，验证码 384912", rng)
    assert "t.cn" not in out
    assert "13812345678" not in out
    assert "384912" not in out


def test_the_city_still_gets_every_kind_of_text() -> None:
    rng = random.Random(8)
    for fraud_type in FraudType:
        for stage in Stage:
            assert fraud_text(fraud_type, stage, Channel.CHAT, rng).strip()
    for topic in Topic:
        assert normal_text(topic, Channel.SMS, rng).strip()


# What the default model does with the failure cases (hand-written, not from any corpus).
POLITE_PHISHING = [
    "尊敬的建行用户：您的账户积分即将清零，请及时登入URL兑换现金，感谢您的支持！",
    "【工商银行】尊敬的客户：您的电子密码器将于明日过期，请尽快登录网站进行升级，给您带来不便敬请谅解。",
    "尊敬的用户，您的ETC认证已失效，请及时登入DIGIT进行认证，感谢您的配合",
]
PROMOTIONS = [
    "澳门新葡京娱乐场，注册送88元彩金，真人百家乐，网址：URL",
    "【平安普惠】您有一笔20万元的借款额度待领取，日息低至0.02%，点击URL申请，回T退订",
    "代开各类正规发票，验证后付款，电话DIGIT",
]


@pytest.mark.parametrize("text", POLITE_PHISHING)
def test_polite_bank_phishing_is_fraud(text: str) -> None:
    verdict = default_scorer().score(text)
    assert verdict.probability >= 0.5
    assert verdict.category == "fraud"


@pytest.mark.parametrize("text", PROMOTIONS)
def test_gambling_and_loan_ads_are_spam_not_fraud(text: str) -> None:
    verdict = default_scorer().score(text)
    assert verdict.probability < 0.5
    assert verdict.fraud_type is None
    assert verdict.category == "spam"


def test_the_detector_ignores_spam() -> None:
    ctx = DetectionContext(lists=IndicatorLists(), text_scorer=default_scorer())
    for text in PROMOTIONS:
        event = parse_mapping(record("sms", 0, phone=VICTIM_PHONE, counterpart="10690000", text=text), "t")
        assert FraudText().observe(event, Subject("p", "p"), InMemoryState(), ctx) == ()  # type: ignore[arg-type]


def test_default_model_separates_held_out_families() -> None:
    model = default_scorer()
    for family in FAMILIES:
        drawn = samples(family, 400, random.Random(77), Part.HELD_OUT)
        fraud = [s for s in drawn if s.category is Category.FRAUD]
        other = [s for s in drawn if s.category is not Category.FRAUD]
        caught = sum(model.score(s.text).probability >= 0.5 for s in fraud)
        passed = sum(model.score(s.text).probability < 0.5 for s in other)
        assert caught / len(fraud) >= 0.8, family
        assert passed / len(other) >= 0.8, family


def test_training_without_spam_gives_a_spam_class_that_never_wins() -> None:
    rng = random.Random(2)
    examples: list[Example] = []
    for i in range(120):
        examples.append(Example(fraud_text(FraudType.LOAN, Stage.PAYMENT, Channel.SMS, rng), FraudType.LOAN))
        examples.append(Example(normal_text(tuple(Topic)[i % 7], Channel.SMS, rng), None))
    model = fit(examples, TrainConfig(min_df=1))
    verdict = model.score(examples[0].text)
    assert verdict.spam_probability < 1e-6
    assert verdict.probability > 0.5


def test_a_model_file_from_before_the_spam_class_is_refused(tmp_path: Path) -> None:
    import json

    import numpy as np

    old = tmp_path / "old.npz"
    np.savez(old, meta=np.array(json.dumps({"n_range": [1, 3]})))
    with pytest.raises(ValueError, match="retrain"):
        load_model(old)
