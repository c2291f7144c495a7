"""The self-check's exact normalisation and answers; strict CSV records."""

from __future__ import annotations

from datetime import date

import pytest

from fanzha.event.codes import FraudType
from fanzha.prevention.lookup import InvalidValueError, answer, clean
from fanzha.prevention.model import EventKind, LookupKind, PostKind, ReportKind, Verdict
from fanzha.prevention.records_csv import read_records
from fanzha.prevention.targets import default_targeting


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        (LookupKind.PHONE, "+86 138-1234-5678", "13812345678"),
        (LookupKind.PHONE, "0086 17000000001", "17000000001"),
        (LookupKind.ACCOUNT, "6222 0202 0011 2233", "6222020200112233"),
        (LookupKind.URL, "https://WWW.Kefu-Tuikuan.top/login?id=1", "kefu-tuikuan.top"),
        (LookupKind.URL, "kefu-tuikuan.top", "kefu-tuikuan.top"),
        (LookupKind.APP, "  屏幕共享助手 ", "屏幕共享助手"),
        (ReportKind.CHAT, " wxid_abc123 ", "wxid_abc123"),
    ],
)
def test_values_are_normalised_as_the_lists_store_them(kind: LookupKind, raw: str, expected: str) -> None:
    assert clean(kind, raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        (LookupKind.PHONE, "138*"),
        (LookupKind.PHONE, "138%"),
        (LookupKind.PHONE, "1234"),
        (LookupKind.PHONE, "138 abc"),
        (LookupKind.ACCOUNT, "6222?"),
        (LookupKind.ACCOUNT, "12345"),
        (LookupKind.URL, "*.top"),
        (LookupKind.URL, "localhost"),
        (LookupKind.APP, "  "),
        (LookupKind.APP, "x" * 301),
    ],
)
def test_wildcards_and_partial_values_are_refused_without_echoing(kind: LookupKind, raw: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        clean(kind, raw)
    assert raw.strip() not in str(caught.value) or not raw.strip()


def test_answers_carry_a_type_and_tip_or_general_advice_and_nothing_else() -> None:
    targeting = default_targeting()
    hit = answer(targeting, FraudType.FAKE_CS_REFUND)
    assert hit.verdict is Verdict.KNOWN_FRAUD
    assert hit.fraud_type_label == "冒充电商物流客服"
    assert hit.tip == targeting.topics["FAKE_CS_REFUND"].tip
    unknown_type = answer(targeting, FraudType.UNKNOWN)
    assert unknown_type.verdict is Verdict.KNOWN_FRAUD
    assert unknown_type.tip == targeting.topics["GENERAL"].tip
    miss = answer(targeting, None)
    assert miss.verdict is Verdict.NOT_KNOWN
    assert miss.fraud_type is None
    assert "不代表安全" in miss.message


EVENTS = """unit_id,kind,held_on,place,audience,headcount,place_id
S1,进校园,2026-03-01,第一中学礼堂,高一学生,320,X1
S1,COMMUNITY,2026-03-02,湖滨社区广场,老年人,85,
"""


def test_events_with_aliases_and_optional_columns() -> None:
    records, errors = read_records("events", EVENTS)
    assert errors == []
    assert [r.kind for r in records] == [EventKind.SCHOOL, EventKind.COMMUNITY]
    assert records[0].headcount == 320
    assert records[0].place_id == "X1"
    assert records[1].place_id is None
    assert records[1].held_on == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("S1,进校园,2026-03-01,礼堂,学生,1.0", "headcount"),
        ("S1,进校园,2026-03-01,礼堂,学生,true", "headcount"),
        ("S1,进校园,2026-03-01,礼堂,学生,-5", "headcount"),
        ("S1,进校园,2026-02-30,礼堂,学生,5", "held_on"),
        ("S1,进校园,01/03/2026,礼堂,学生,5", "held_on"),
        ("S1,进酒吧,2026-03-01,礼堂,学生,5", "kind"),
        ("S 1,进校园,2026-03-01,礼堂,学生,5", "unit_id"),
        ("S1,进校园,2026-03-01,,学生,5", "place"),
    ],
)
def test_a_bad_field_fails_the_whole_file_naming_line_and_field(row: str, field: str) -> None:
    text = "unit_id,kind,held_on,place,audience,headcount\nS1,进社区,2026-03-01,广场,居民,10\n" + row + "\n"
    _records, errors = read_records("events", text)
    assert errors == [f"line 3: invalid {field}"]


def test_columns_keys_and_row_rules() -> None:
    assert read_records("events", "unit_id,kind\nS1,x\n")[1][0].startswith("columns: expected")
    assert "unknown colour" in read_records("sms", "unit_id,sent_on,messages,batch_ref,colour\n")[1][0]
    sms = "unit_id,sent_on,messages,batch_ref\nC0,2026-03-01,1100000,OP-1\nC0,2026-03-02,5,OP-1\n"
    assert read_records("sms", sms)[1] == ["line 3: the same batch_ref as line 2"]
    regs = "place_id,as_of,registered,population\nK1,2026-03-01,800,700\nK2,2026-03-01,1,0\n"
    _, errors = read_records("registrations", regs)
    assert len(errors) == 2
    assert all("registered must not exceed" in e for e in errors)
    assert "800" not in " ".join(errors)
    assert read_records("nonsense", "a\n")[1][0].startswith("unknown kind")
    extra = "unit_id,sent_on,messages,batch_ref\nC0,2026-03-01,5,OP-1,surplus\n"
    assert read_records("sms", extra)[1] == ["line 2: more fields than columns"]


def test_posts_places_and_cases() -> None:
    posts = (
        "unit_id,kind,platform,external_id,title,published_on,reads,plays\n"
        "C0,推文,公众号,a1,防骗,2026-03-01,9000,\n"
    )
    records, errors = read_records("posts", "\ufeff" + posts)
    assert errors == []
    assert records[0].kind is PostKind.ARTICLE
    assert records[0].reads == 9000
    assert records[0].plays == 0
    places, errors = read_records("places", "place_id,kind,name,unit_id\nX1,校园,第一中学,S1\n")
    assert errors == []
    assert places[0].kind.value == "SCHOOL"
    cases, errors = read_records(
        "cases", "place_id,occurred_on,case_ref,loss_fen\nK1,2026-01-05,A-1,500000\n"
    )
    assert errors == []
    assert cases[0].loss_fen == 500000
