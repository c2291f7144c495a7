"""Targeting: the versioned YAML of topics, their audiences and 12381-style tips."""

from __future__ import annotations

import pytest

from fanzha.event.codes import FraudType, PersonGroup
from fanzha.prevention.model import Resident
from fanzha.prevention.targets import TargetingError, check_tip, default_targeting, load_targeting

YEAR = 2026


def person(**kw: object) -> Resident:
    base: dict[str, object] = {
        "person_id": "P1",
        "unit_id": "S1",
        "birth_year": 1990,
        "sex": "F",
        "occupation": "公司职员",
        "groups": frozenset(),
    }
    base.update(kw)
    return Resident(**base)  # type: ignore[arg-type]


def test_the_shipped_file_covers_every_fraud_type_with_a_clean_tip() -> None:
    targeting = default_targeting()
    assert targeting.version
    for fraud_type in FraudType:
        if fraud_type is not FraudType.UNKNOWN:
            assert targeting.topic_of(fraud_type) == fraud_type.value
    for code in targeting.topics:
        text = targeting.sms_text(code)
        assert "http" not in text
        assert "www" not in text
        assert not any(ch.isdigit() for ch in text), code  # no phone number, nor any number at all
    assert targeting.topic_of(FraudType.UNKNOWN) == "GENERAL"


@pytest.mark.parametrize(
    "tip",
    [
        "请访问 http://gov.example 核实",
        "详见 www.12377.cn",
        "请拨打 96110 咨询",
        "客服 138 1234 5678",
        "看 abc.com",
    ],
)
def test_a_tip_with_a_link_or_a_number_is_refused(tip: str) -> None:
    with pytest.raises(ValueError, match="must not contain"):
        check_tip(tip)


def test_a_bad_topic_is_named_and_its_value_is_not() -> None:
    text = """
version: "t1"
topics:
  GENERAL: {label: 通用, weight: 0, targets: [{label: 全体}], tip: "转账汇款多核实。"}
  LOAN: {label: 贷款, weight: 1, targets: [{label: 需要用钱的人}], tip: "加微信 wx-loan.top 办理"}
"""
    with pytest.raises(TargetingError) as caught:
        load_targeting(text)
    assert "topic LOAN" in str(caught.value)
    assert "tip" in str(caught.value)
    assert "wx-loan" not in str(caught.value)


@pytest.mark.parametrize(
    "body",
    [
        "version: t\ntopics: {}",
        "topics: {GENERAL: {label: a, weight: 0, targets: [{label: b}], tip: c}}",
        "version: t\ntopics: {LOAN: {label: a, weight: 0, targets: [{label: b}], tip: c}}",  # no GENERAL
        "version: t\ntopics: {GENERAL: {label: a, weight: 0, targets: [], tip: c}}",
        "version: t\ntopics: {GENERAL: {label: a, weight: 0, targets: [{label: b, age: [40, 20]}], tip: c}}",
        "version: t\ntopics: {GENERAL: {label: a, weight: 0, targets: [{label: b, groups: [NONE]}], tip: c}}",
        "version: t\ntopics: {lower: {label: a, weight: 0, targets: [{label: b}], tip: c}}",
        "version: t\ntopics: {GENERAL: {label: a, weight: 0, targets: [{label: b, colour: red}], tip: c}}",
        "version: [",
    ],
)
def test_invalid_files_are_refused(body: str) -> None:
    with pytest.raises(TargetingError):
        load_targeting(body)


def test_rules_match_on_registry_fields_only() -> None:
    targeting = default_targeting()
    student = person(birth_year=2006, occupation="学生", groups=frozenset({PersonGroup.STUDENT}))
    elderly = person(birth_year=1950, occupation="退休", groups=frozenset({PersonGroup.ELDERLY}))
    finance = person(occupation="财务")
    jobless = person(birth_year=1995, occupation="无业")
    assert "BRUSHING" in targeting.topics_for(student, YEAR)
    assert "FAKE_AUTHORITY" in targeting.topics_for(elderly, YEAR)
    assert "BRUSHING" not in targeting.topics_for(elderly, YEAR)
    assert targeting.topics_for(finance, YEAR, ["FAKE_BOSS_ACQ", "LOAN"]) == ["FAKE_BOSS_ACQ"]
    assert targeting.topics_for(jobless, YEAR, ["LOAN"]) == ["LOAN"]
    unknown_age = person(birth_year=None, occupation="无业")
    assert targeting.topics_for(unknown_age, YEAR, ["LOAN"]) == []  # an age rule needs a birth year


def test_sex_and_age_bounds_are_inclusive() -> None:
    text = """
version: t
topics:
  GENERAL: {label: a, weight: 0, targets: [{label: b, age: [20, 30], sex: F}], tip: c}
"""
    targeting = load_targeting(text)
    assert targeting.topics_for(person(birth_year=YEAR - 20), YEAR) == ["GENERAL"]
    assert targeting.topics_for(person(birth_year=YEAR - 30), YEAR) == ["GENERAL"]
    assert targeting.topics_for(person(birth_year=YEAR - 31), YEAR) == []
    assert targeting.topics_for(person(birth_year=YEAR - 25, sex="M"), YEAR) == []
