"""Small builders for test events and reference data. All numbers are made up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from fanzha.event.codes import FraudType, IndicatorKind
from fanzha.event.entities import Indicator

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
VICTIM_PHONE = "13800000001"
VICTIM_ACCOUNT = "6222000000000001"
FRAUD_PHONE = "17000000009"
FRAUD_ACCOUNT = "6200999900000009"
SHOP_ACCOUNT = "6200111100000001"
_ids = count(1)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def record(kind: str, minutes: float, **fields: Any) -> dict[str, Any]:
    """A raw event record (wire format) at T0 + minutes."""
    data: dict[str, Any] = {
        "kind": kind,
        "event_id": fields.pop("event_id", f"t-{next(_ids)}"),
        "occurred_at": at(minutes).isoformat(),
    }
    data.update(fields)
    return data


def call(minutes: float, counterpart: str = FRAUD_PHONE, duration_s: int = 600, **kw: Any) -> dict[str, Any]:
    return record(
        "call",
        minutes,
        phone=VICTIM_PHONE,
        counterpart=counterpart,
        direction="IN",
        duration_s=duration_s,
        **kw,
    )


def transfer(
    minutes: float, payee: str = SHOP_ACCOUNT, amount_fen: int = 500_000, **kw: Any
) -> dict[str, Any]:
    return record(
        "transfer", minutes, payer_account=VICTIM_ACCOUNT, payee_account=payee, amount_fen=amount_fen, **kw
    )


def install(
    minutes: float, app: str = "屏幕共享助手", category: str = "SCREEN_SHARE", **kw: Any
) -> dict[str, Any]:
    return record("app_install", minutes, phone=VICTIM_PHONE, app_name=app, category=category, **kw)


def fraud_lists(listed_at: datetime | None = None) -> list[Indicator]:
    return [
        Indicator(
            kind=IndicatorKind.PHONE,
            value=FRAUD_PHONE,
            source="NAFC",
            fraud_type=FraudType.FAKE_AUTHORITY,
            listed_at=listed_at,
        ),
        Indicator(
            kind=IndicatorKind.ACCOUNT,
            value=FRAUD_ACCOUNT,
            source="NAFC",
            fraud_type=FraudType.FAKE_AUTHORITY,
            listed_at=listed_at,
        ),
        Indicator(
            kind=IndicatorKind.URL,
            value="kefu-tuikuan.top",
            source="MIIT",
            fraud_type=FraudType.FAKE_CS_REFUND,
            listed_at=listed_at,
        ),
    ]


RING_ACCOUNT = "6200888800000001"


def incoming(minutes: float, payer: str = RING_ACCOUNT, amount_fen: int = 2_000, **kw: Any) -> dict[str, Any]:
    """A payment into the victim's account."""
    return record(
        "transfer", minutes, payer_account=payer, payee_account=VICTIM_ACCOUNT, amount_fen=amount_fen, **kw
    )


def sms(minutes: float, counterpart: str = FRAUD_PHONE, **kw: Any) -> dict[str, Any]:
    return record("sms", minutes, phone=VICTIM_PHONE, counterpart=counterpart, direction="IN", **kw)


def chat(minutes: float, counterpart: str = "wxid_boss_clone", **kw: Any) -> dict[str, Any]:
    return record("chat", minutes, phone=VICTIM_PHONE, counterpart=counterpart, platform="wechat", **kw)
