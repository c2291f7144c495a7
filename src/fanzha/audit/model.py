"""The audit trail's record: who, in which role and unit, did what to which object, why, when, from where."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Action(StrEnum):
    LOGIN = "auth.login"
    LOGIN_FAILED = "auth.login_failed"
    LOCKED = "auth.locked"
    LOGOUT = "auth.logout"
    WARNING_LIST = "warning.list"
    WARNING_VIEW = "warning.view"
    WARNING_REVEAL = "warning.reveal"
    WARNING_EXPORT = "warning.export"
    AUDIT_SEARCH = "audit.search"
    FUNDS_VIEW = "funds.view"
    CHANGE = "change"  # any state-changing request (method and path as the object)
    DENIED = "denied"  # a request refused for lack of permission or scope
    USER_CREATED = "user.created"
    TOKEN_CREATED = "token.created"
    TOKEN_REVOKED = "token.revoked"
    USER_LIST = "user.list"
    USER_DISABLED = "user.disabled"
    USER_ENABLED = "user.enabled"
    USER_UNLOCKED = "user.unlocked"
    PASSWORD_RESET = "user.password_reset"
    PASSWORD_CHANGED = "user.password_changed"
    RETENTION_PURGE = "retention.purge"
    LEGAL_HOLD = "legal_hold.placed"
    LEGAL_HOLD_RELEASED = "legal_hold.released"
    FUNDS_AUTO_RELEASE = "funds.auto_release"  # the sweep ended a stop, freeze or hold (actor "system")
    PREVENTION_VIEW = "prevention.view"  # a visit list (masked) or a citizen report's value in full


ACTION_LABELS: dict[str, str] = {
    Action.LOGIN: "登录",
    Action.LOGIN_FAILED: "登录失败",
    Action.LOCKED: "账号锁定",
    Action.LOGOUT: "退出",
    Action.WARNING_LIST: "查看列表",
    Action.WARNING_VIEW: "查看预警",
    Action.WARNING_REVEAL: "查看完整信息",
    Action.WARNING_EXPORT: "导出",
    Action.AUDIT_SEARCH: "查询审计",
    Action.FUNDS_VIEW: "查看资金流向",
    Action.CHANGE: "变更",
    Action.DENIED: "拒绝访问",
    Action.USER_CREATED: "创建用户",
    Action.TOKEN_CREATED: "创建令牌",
    Action.TOKEN_REVOKED: "吊销令牌",
    Action.USER_LIST: "查看用户",
    Action.USER_DISABLED: "停用用户",
    Action.USER_ENABLED: "启用用户",
    Action.USER_UNLOCKED: "解除锁定",
    Action.PASSWORD_RESET: "重置密码",
    Action.PASSWORD_CHANGED: "修改密码",
    Action.RETENTION_PURGE: "到期清理",
    Action.LEGAL_HOLD: "设置法律保全",
    Action.LEGAL_HOLD_RELEASED: "解除法律保全",
    Action.FUNDS_AUTO_RELEASE: "到期自动解除",
    Action.PREVENTION_VIEW: "查看宣防名单/举报",
}


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One row of the append-only audit log."""

    at: datetime
    actor: str
    role: str
    unit_id: str | None
    action: str
    object_type: str | None = None
    object_id: str | None = None
    object_unit_id: str | None = None
    fields: tuple[str, ...] = field(default_factory=tuple)
    purpose: str | None = None
    address: str | None = None
    outcome: str = "ok"


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Filters of an audit search; None means any."""

    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    unit_ids: frozenset[str] | None = None  # the searcher's scope: actor unit or object unit within it
    limit: int = 200
    offset: int = 0


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One stored audit row, as the inspector sees it (it holds no personal data beyond ids)."""

    id: int
    at: datetime
    actor: str
    role: str
    unit_id: str | None
    action: str
    object_type: str | None
    object_id: str | None
    object_unit_id: str | None
    fields: tuple[str, ...]
    purpose: str | None
    address: str | None
    outcome: str
