"""The citizen self-check (公众查询): normalise one value exactly, answer only "known fraud" or not (pure).

No wildcard and no partial value: a phone number, account, URL host or app name is normalised the way
the indicator lists store it and must then match an entry exactly, so the check cannot list entries.
The answer carries the fraud type and its standard tip, or what to watch for; never a source, a date, a
case or anyone's personal data (domain brief §7).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fanzha.detection.lists import normalise, url_host
from fanzha.event.codes import FraudType, IndicatorKind
from fanzha.prevention.model import LookupKind, ReportKind, Verdict
from fanzha.prevention.targets import Targeting

INDICATOR_KIND = {
    LookupKind.PHONE: IndicatorKind.PHONE,
    LookupKind.ACCOUNT: IndicatorKind.ACCOUNT,
    LookupKind.URL: IndicatorKind.URL,
    LookupKind.APP: IndicatorKind.APP,
}
WILDCARDS = frozenset("*?%")
_PHONE = re.compile(r"\d{5,15}")
_ACCOUNT = re.compile(r"[0-9A-Za-z@._-]{6,40}")
_HOST = re.compile(r"(?=.{4,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{2,63}")
NOT_KNOWN_NOTE = "未收录不代表安全：诈骗号码、账户、网址更换很快，请牢记以下防范要点。"


class InvalidValueError(ValueError):
    """The value cannot be checked exactly (the message says why, never repeats the value)."""


def clean(kind: LookupKind | ReportKind, raw: str) -> str:
    """The value as the lists store it, or `InvalidValueError`."""
    value = raw.strip()
    if not value or len(value) > 300:
        raise InvalidValueError("请输入要查询的内容（不超过300个字符）")
    url = kind in (LookupKind.URL, ReportKind.URL)
    if WILDCARDS & set(url_host(value) if url else value):  # a URL's query may hold `?` and `%`
        raise InvalidValueError("不支持模糊查询：请输入完整的号码、账户、网址或应用名称")
    if kind in (LookupKind.PHONE, ReportKind.PHONE):
        digits = normalise(IndicatorKind.PHONE, re.sub(r"[\s()-]", "", value))
        if not _PHONE.fullmatch(digits):
            raise InvalidValueError("电话号码应为5至15位数字")
        return digits
    if kind in (LookupKind.ACCOUNT, ReportKind.ACCOUNT):
        account = re.sub(r"[\s-]", "", value)
        if not _ACCOUNT.fullmatch(account):
            raise InvalidValueError("账户应为6至40位数字、字母（支付账户可含@和.）")
        return account
    if url:
        host = url_host(value)
        if not _HOST.fullmatch(host):
            raise InvalidValueError("请输入完整的网址或域名，例如 example.com")
        return host
    if kind in (LookupKind.APP, ReportKind.APP):
        return normalise(IndicatorKind.APP, value)[:100]
    return value[:200]  # a chat account: kept as given, for a reviewer to read


@dataclass(frozen=True, slots=True)
class Answer:
    """All a citizen learns: the verdict, and a type with its tip or the general advice."""

    verdict: Verdict
    message: str
    fraud_type: FraudType | None = None
    fraud_type_label: str | None = None
    tip: str | None = None


def answer(targeting: Targeting, hit: FraudType | None) -> Answer:
    """The answer for an exact match of type `hit`, or for no match (`hit` is None)."""
    if hit is None:
        return Answer(Verdict.NOT_KNOWN, NOT_KNOWN_NOTE, tip=targeting.topic("GENERAL").tip)
    topic = targeting.topic(targeting.topic_of(hit))
    label = hit.label if hit is not FraudType.UNKNOWN else "电信网络诈骗"
    return Answer(
        Verdict.KNOWN_FRAUD,
        f"已收录为涉诈信息（{label}）。请立即停止联系、不要转账；如已转账，请立即拨打110报警。",
        fraud_type=hit,
        fraud_type_label=label,
        tip=topic.tip,
    )


def invalid(reason: str) -> Answer:
    return Answer(Verdict.INVALID, reason)
