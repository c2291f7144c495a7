import json

import pytest

from fanzha.event.codes import RiskLevel
from fanzha.event.model import Chat, Lead, Transfer, subject_identifier
from fanzha.event.parse import Rejection, parse_line, parse_mapping
from tests.factories import transfer


def test_valid_transfer_parses_with_integer_fen() -> None:
    event = parse_line(json.dumps(transfer(0, amount_fen=123_456)), "f:1")
    assert isinstance(event, Transfer)
    assert event.amount_fen == 123_456
    assert event.occurred_at.tzinfo is not None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"event_id": "x"}', "missing field 'kind'"),
        ('{"kind": "fax", "event_id": "x"}', "unknown event kind 'fax'"),
    ],
)
def test_malformed_lines_are_rejected_with_a_reason(raw: str, expected: str) -> None:
    result = parse_line(raw, "events.jsonl:7")
    assert isinstance(result, Rejection)
    assert result.ref == "events.jsonl:7"
    assert expected in result.error
    assert result.raw == raw


def test_field_errors_name_the_field_but_never_echo_the_value() -> None:
    bad = transfer(0, amount_fen=-5) | {"payer_account": "62!!secret!!"}
    bad["occurred_at"] = "2026-03-01T09:00:00"  # no timezone
    result = parse_mapping(bad, "f:2")
    assert isinstance(result, Rejection)
    assert "payer_account" in result.error
    assert "amount_fen" in result.error
    assert "occurred_at" in result.error
    assert "secret" not in result.error


def test_unknown_fields_are_rejected_rather_than_silently_dropped() -> None:
    result = parse_mapping(transfer(0, amount=5), "f:3")
    assert isinstance(result, Rejection)
    assert "amount" in result.error


def test_float_money_is_rejected() -> None:
    result = parse_mapping(transfer(0, amount_fen=10.5), "f:4")
    assert isinstance(result, Rejection)


def test_none_fields_count_as_absent_as_in_parquet_rows() -> None:
    row = transfer(0) | {"phone": None, "text": None}
    assert isinstance(parse_mapping(row, "p:1"), Transfer)


def test_lead_level_travels_by_name_and_must_name_someone() -> None:
    lead = parse_mapping(
        {
            "kind": "lead",
            "event_id": "l1",
            "occurred_at": "2026-03-01T09:00:00+08:00",
            "source": "NAFC_FUND",
            "phone": "13800000001",
            "level": "CRITICAL",
        },
        "f:5",
    )
    assert isinstance(lead, Lead)
    assert lead.level is RiskLevel.CRITICAL
    assert lead.model_dump(mode="json")["level"] == "CRITICAL"
    nobody = parse_mapping(
        {"kind": "lead", "event_id": "l2", "occurred_at": "2026-03-01T09:00:00Z", "source": "BANK"}, "f:6"
    )
    assert isinstance(nobody, Rejection)
    assert "person_id, phone or account" in nobody.error


def test_chat_message_parses_and_resolves_through_its_phone() -> None:
    record = {
        "kind": "chat",
        "event_id": "c1",
        "occurred_at": "2026-03-01T09:00:00+08:00",
        "phone": "13800000001",
        "counterpart": "wxid_leader_001",
        "platform": "wechat",
        "group_id": "grp-finance",
        "new_contact": True,
        "text": "小王，把这笔款先转到这个账户",
    }
    chat = parse_mapping(record, "f:7")
    assert isinstance(chat, Chat)
    assert chat.new_contact
    assert chat.group_id == "grp-finance"
    assert subject_identifier(chat) == "phone:13800000001"
    bad = parse_mapping(record | {"platform": "telegraph"}, "f:8")
    assert isinstance(bad, Rejection)
    assert "platform" in bad.error
