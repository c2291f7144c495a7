"""Presentation shared by every edge (console, API, CLI, exports): evidence masking, money and time.

Every identifier that leaves fanzha goes through `mask_evidence` (for evidence) or `display_subject`
(for the warned person), so the console, the API, the CLI and the exports mask the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fanzha.masking import mask_account, mask_id_no, mask_name, mask_phone, mask_subject

EvidenceValue = str | int

AMOUNT_KEY_SUFFIX = "amount_fen"

try:
    DISPLAY_TZ: timezone | ZoneInfo = ZoneInfo("Asia/Shanghai")
except ZoneInfoNotFoundError:  # no tz database installed: China has kept UTC+8 without DST since 1991
    DISPLAY_TZ = timezone(timedelta(hours=8), "CST")

# Officer-facing labels for the evidence keys the detectors emit; unknown keys are shown as they are.
EVIDENCE_LABELS: dict[str, str] = {
    "payee_account": "收款账户",
    "payer_account": "付款账户",
    "account": "账户",
    "amount_fen": "金额",
    "counterpart_phone": "涉诈号码",
    "phone": "手机号码",
    "id_no": "身份证号",
    "channel": "联系方式",
    "list_source": "名单来源",
    "minutes_after": "间隔（分钟）",
    "mark_event_id": "前序事件",
    "app_name": "应用名称",
    "category": "应用类别",
    "host": "域名",
    "source": "线索来源",
    "lead_level": "线索等级",
    "source_ref": "线索编号",
    "cues": "可疑话术",
    "text_probability": "文本涉诈概率（%）",
}


STATUS_LABELS: dict[str, str] = {
    "RECEIVED": "已接收",
    "ASSIGNED": "已下发",
    "SIGNED": "已签收",
    "CONTACTING": "劝阻中",
    "DISSUADED_BY_PHONE": "已电话劝阻",
    "NEED_MEET": "需见面",
    "UNREACHABLE": "无法联系",
    "LOCATING": "上门寻找",
    "MET": "已见面",
    "FEEDBACK_SUBMITTED": "已反馈",
    "FOLLOW_UP": "回访中",
    "TRANSFERRED": "已移交",
    "CLOSED": "已办结",
}


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def evidence_label(key: str) -> str:
    """The Chinese label of an evidence key; unknown identifier keys get a generic label, others the key."""
    if key in EVIDENCE_LABELS:
        return EVIDENCE_LABELS[key]
    lowered = key.lower()
    if lowered.endswith("account"):
        return "账户"
    if "phone" in lowered:
        return "号码"
    if "id_no" in lowered:
        return "身份证号"
    return key


def mask_evidence_value(key: str, value: EvidenceValue) -> EvidenceValue:
    """Mask one evidence value according to its key; values that identify nobody pass unchanged."""
    lowered = key.lower()
    if lowered.endswith("account"):
        return mask_account(str(value))
    if "phone" in lowered:
        return mask_phone(str(value))
    if "id_no" in lowered:
        return mask_id_no(str(value))
    return value


def mask_evidence(evidence: Mapping[str, EvidenceValue]) -> dict[str, EvidenceValue]:
    """A copy of `evidence` with every personal identifier masked (account, phone, identity number)."""
    return {key: mask_evidence_value(key, value) for key, value in evidence.items()}


def format_yuan(fen: int) -> str:
    """`500000` fen → `¥5,000.00`."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}¥{yuan:,}.{cents:02d}"


def evidence_items(evidence: Mapping[str, EvidenceValue]) -> list[tuple[str, str, str]]:
    """Masked evidence as readable (key, label, text): `("amount_fen", "金额", "¥5,000.00")`."""
    items: list[tuple[str, str, str]] = []
    for key, value in mask_evidence(evidence).items():
        label = evidence_label(key)
        if key.endswith(AMOUNT_KEY_SUFFIX) and isinstance(value, int):
            text = format_yuan(value)
        else:
            text = str(value)
        items.append((key, label, text))
    return items


def format_time(value: datetime | None) -> str:
    """A timestamp as `YYYY-MM-DD HH:MM` in Beijing time (naive values are taken as UTC)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(DISPLAY_TZ).strftime("%Y-%m-%d %H:%M")


def display_person(person_name: str | None) -> str | None:
    """The warned person's masked name, or None when the person is unknown."""
    return mask_name(person_name) if person_name else None


def display_subject(subject_key: str, person_name: str | None) -> str:
    """How a warning's subject is shown: the masked name if the person is known, else the masked key."""
    return display_person(person_name) or mask_subject(subject_key)
