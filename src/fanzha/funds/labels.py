"""The funds records as the console shows them: Chinese status labels, masked accounts, alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from fanzha.funds.followups import FollowUp
from fanzha.funds.model import (
    FreezeOrder,
    FreezeStatus,
    HoldStatus,
    ProtectiveHold,
    StopPaymentOrder,
    StopStatus,
)
from fanzha.funds.service import FundsSettings
from fanzha.masking import mask_account

STOP_LABELS = {
    StopStatus.DRAFT: "待发送银行",
    StopStatus.SENT: "已发送，待银行反馈",
    StopStatus.PENDING_RETRY: "未获银行应答，待重发",
    StopStatus.STOPPED: "止付中",
    StopStatus.MISMATCH: "户名账号不符",
    StopStatus.FAILED: "止付失败",
    StopStatus.EXPIRED: "已到期（未转冻结）",
    StopStatus.CONVERTED: "已转冻结",
    StopStatus.RELEASED: "已解除",
}
FREEZE_LABELS = {
    FreezeStatus.REQUESTED: "待审批",
    FreezeStatus.APPROVED: "已审批，待发送",
    FreezeStatus.SENT: "已发送，待银行反馈",
    FreezeStatus.PENDING_RETRY: "未获银行应答，待重发",
    FreezeStatus.ACTIVE: "冻结中",
    FreezeStatus.QUEUED: "轮候冻结",
    FreezeStatus.FAILED: "冻结失败",
    FreezeStatus.LAPSED: "到期未续，已失效",
    FreezeStatus.RELEASED: "已解冻",
}
HOLD_LABELS = {
    HoldStatus.PROPOSED: "待民警确认",
    HoldStatus.ACTIVE: "保护性止付中",
    HoldStatus.RELEASED: "已解除",
    HoldStatus.CANCELLED: "已撤回",
}
INSTRUCTION_LABELS = {
    "RENEW_FREEZE": "续冻指令",
    "RELEASE_FREEZE": "解冻指令",
    "PROTECTIVE_HOLD": "保护性止付指令",
    "RELEASE_HOLD": "解除保护性止付指令",
}
INSTRUCTION_STATES = {
    "QUEUED": "待发送（fanzha funds retry）",
    "SENT": "已发送，待银行反馈",
    "PENDING_RETRY": "未获银行应答，待重发",
    "DONE": "银行已办理",
    "FAILED": "银行未能办理，请人工核实",
}
ERROR_LABELS = {
    "TIMEOUT": "银行超时未应答",
    "UNREACHABLE": "银行接口不可达",
    "BAD_ANSWER": "银行应答不符合协议",
}


def error_label(code: str | None) -> str:
    if not code:
        return ""
    if code.startswith("HTTP_"):
        return f"银行接口错误（{code.removeprefix('HTTP_')}）"
    return ERROR_LABELS.get(code, code)


@dataclass(frozen=True, slots=True)
class StopView:
    order_id: str
    status: str
    status_label: str
    account: str  # masked
    bank: str
    amount_fen: int
    layer: int
    stop_count: int
    max_stops: int
    stopped_at: datetime | None
    expires_at: datetime | None  # only while the stop runs: the countdown's target
    alert: str
    error: str


def stop_view(o: StopPaymentOrder, now: datetime, cfg: FundsSettings) -> StopView:
    running = o.status is StopStatus.STOPPED and o.expires_at is not None
    alert = ""
    if running and o.expires_at is not None and o.expires_at - now <= cfg.stop.alert_before:
        alert = "止付即将到期，尚未冻结：请尽快办理冻结"
    elif o.status is StopStatus.EXPIRED:
        alert = "止付已到期且未冻结，资金可能已恢复支付"
    return StopView(
        order_id=o.order_id,
        status=o.status.value,
        status_label=STOP_LABELS[o.status],
        account=mask_account(o.payee_account),
        bank=o.payee_bank_hq or "—",
        amount_fen=o.amount_fen,
        layer=o.layer,
        stop_count=o.stop_count,
        max_stops=cfg.stop.max_stops_per_account,
        stopped_at=o.stopped_at,
        expires_at=o.expires_at if running else None,
        alert=alert,
        error=error_label(o.last_error) if o.status is StopStatus.PENDING_RETRY else "",
    )


def instruction_label(f: FollowUp) -> str:
    """e.g. 续冻指令：未获银行应答，待重发（银行超时未应答）."""
    text = f"{INSTRUCTION_LABELS[f.instruction_kind]}：{INSTRUCTION_STATES[f.state]}"
    reason = error_label(f.reason) if f.state == "PENDING_RETRY" else ""
    return f"{text}（{reason}）" if reason else text


def freeze_version(f: FreezeOrder) -> str:
    """What the form saw: a submit made against another version of the freeze is refused (stale)."""
    ends = f.ends_at.isoformat() if f.ends_at else "-"
    return f"{f.status.value}|{len(f.renewals)}|{ends}"


@dataclass(frozen=True, slots=True)
class FreezeView:
    freeze_id: str
    status: str
    version: str
    status_label: str
    account: str  # masked
    amount_fen: int
    major_case: bool
    starts_at: datetime | None
    ends_at: datetime | None
    days_left: int | None
    renewals: int
    alert: str
    error: str
    instructions: tuple[str, ...] = ()


def freeze_view(
    f: FreezeOrder, now: datetime, cfg: FundsSettings, follow: tuple[FollowUp, ...] = ()
) -> FreezeView:
    active = f.status is FreezeStatus.ACTIVE and f.ends_at is not None
    left = f.ends_at - now if active and f.ends_at is not None else None
    alert = ""
    if left is not None and left <= cfg.freeze.alert_before:
        alert = "冻结即将到期：请在到期前办理续冻或解冻，逾期自动失效"
    return FreezeView(
        freeze_id=f.freeze_id,
        status=f.status.value,
        version=freeze_version(f),
        status_label=FREEZE_LABELS[f.status],
        account=mask_account(f.account),
        amount_fen=f.amount_fen,
        major_case=f.major_case,
        starts_at=f.starts_at,
        ends_at=f.ends_at,
        days_left=max(left, timedelta(0)).days if left is not None else None,
        renewals=len(f.renewals),
        alert=alert,
        error=error_label(f.last_error) if f.status is FreezeStatus.PENDING_RETRY else "",
        instructions=tuple(instruction_label(x) for x in follow),
    )


@dataclass(frozen=True, slots=True)
class HoldView:
    hold_id: str
    status: str
    status_label: str
    accounts: str  # masked, comma separated
    imposed_by: str
    proposed_at: datetime
    confirmed_by: str | None
    planned_end: datetime | None
    instructions: tuple[str, ...] = ()


def hold_view(h: ProtectiveHold, follow: tuple[FollowUp, ...] = ()) -> HoldView:
    return HoldView(
        hold_id=h.hold_id,
        status=h.status.value,
        status_label=HOLD_LABELS[h.status],
        accounts="、".join(mask_account(a) for a in h.accounts),
        imposed_by="银行" if h.imposed_by == "bank" else "公安",
        proposed_at=h.proposed_at,
        confirmed_by=h.confirmed_by,
        planned_end=h.planned_end if h.status is HoldStatus.ACTIVE else None,
        instructions=tuple(instruction_label(x) for x in follow),
    )


# Outcomes of a console action, shown after the redirect (fixed texts: nothing from the request is echoed).
NOTICES = {
    "stop_sent": "紧急止付指令已发送，银行已反馈。",
    "stop_pending": "紧急止付指令已发送，等待银行反馈。",
    "stop_retry": "紧急止付指令已创建，但银行未应答：已进入待重发队列（fanzha funds retry）。",
    "stop_queued": "紧急止付指令已创建；未配置银行接口（FANZHA_FUNDS_BANK_URL），"
    "指令待发送，请用 fanzha funds retry STOP <编号> --bank-url … 发送。",
    "stop_duplicate": "该止付指令已提交过，未重复创建。",
    "hold_confirmed": "保护性止付已确认生效。",
    "freeze_approved": "冻结已审批。",
    "freeze_renewed": "已续冻。",
    "freeze_released": "已解冻。",
    "bank_done": "指令已发送，银行已办理。",
    "bank_pending": "指令已发送，等待银行反馈。",
    "bank_retry": "指令已记录，但银行未应答或应答异常：已进入待重发队列（fanzha funds retry）。",
    "bank_queued": "指令已记录；未配置银行接口（FANZHA_FUNDS_BANK_URL），待用 fanzha funds retry 发送。",
}
