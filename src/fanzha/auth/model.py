"""Roles, permissions and the Principal: who may do what, on which units' data (domain brief §9).

Pure: no I/O. The matrix below is the single source of truth; ARCHITECTURE.md shows it as a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    """The §9 roles. Every role is scoped to its unit and the units below it."""

    CITY_ADMIN = "city_admin"
    ANALYST = "analyst"
    STOP_PAYMENT_OFFICER = "stop_payment_officer"
    BRANCH_DISPATCHER = "branch_dispatcher"
    STATION_OFFICER = "station_officer"
    GRID_WORKER = "grid_worker"
    BANK_LIAISON = "bank_liaison"
    INSPECTOR = "inspector"
    STATISTICS = "statistics"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.CITY_ADMIN: "市局管理员",
    Role.ANALYST: "市局研判员",
    Role.STOP_PAYMENT_OFFICER: "止付专员",
    Role.BRANCH_DISPATCHER: "分局调度员",
    Role.STATION_OFFICER: "派出所民警",
    Role.GRID_WORKER: "社区网格员",
    Role.BANK_LIAISON: "银行联络员",
    Role.INSPECTOR: "督察",
    Role.STATISTICS: "统计分析",
}


class Permission(StrEnum):
    """Actions a route can require. Unit scope is checked separately (`Principal.can_see`)."""

    WARNING_LIST = "warning.list"  # the queue and API list, masked
    WARNING_VIEW = "warning.view"  # one warning's page, masked
    WARNING_REVEAL = "warning.reveal"  # unmasked personal data, with a purpose, audited
    WARNING_EXPORT = "warning.export"  # CSV of the list, with a purpose, audited
    WARNING_ASSIGN = "warning.assign"  # grade, assign and re-assign leads
    WARNING_HANDLE = "warning.handle"  # contact, meet, feedback on own leads
    FUNDS_VIEW = "funds.view"  # stop-payment, freeze and return records
    FUNDS_ACT = "funds.act"  # create stop / freeze / return records, bank messages
    BANK_REQUESTS = "bank.requests"  # a bank's own protective-hold / stop requests
    STATS_VIEW = "stats.view"  # de-identified aggregates and KPIs
    AUDIT_SEARCH = "audit.search"  # read the audit log
    USERS_MANAGE = "users.manage"  # accounts, tokens, configuration
    PREVENTION_ACT = "prevention.act"  # publicity campaigns, visit lists, events and imports (宣防)
    REPORTS_REVIEW = "reports.review"  # citizens' reports (举报) in the review queue


P = Permission
_SUPERVISE = frozenset({P.WARNING_LIST, P.WARNING_VIEW, P.STATS_VIEW})

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    # Config and users; masked supervision views; no reveal and no bulk export (needs dual approval).
    Role.CITY_ADMIN: frozenset({P.USERS_MANAGE}) | _SUPERVISE,
    Role.ANALYST: _SUPERVISE
    | {
        P.WARNING_REVEAL,
        P.WARNING_EXPORT,
        P.WARNING_ASSIGN,
        P.FUNDS_VIEW,
        P.PREVENTION_ACT,
        P.REPORTS_REVIEW,
    },
    Role.STOP_PAYMENT_OFFICER: frozenset(
        {P.WARNING_LIST, P.WARNING_VIEW, P.WARNING_REVEAL, P.FUNDS_VIEW, P.FUNDS_ACT}
    ),
    Role.BRANCH_DISPATCHER: _SUPERVISE | {P.WARNING_ASSIGN, P.WARNING_EXPORT, P.PREVENTION_ACT},
    Role.STATION_OFFICER: frozenset(
        {P.WARNING_LIST, P.WARNING_VIEW, P.WARNING_REVEAL, P.WARNING_HANDLE, P.STATS_VIEW, P.PREVENTION_ACT}
    ),
    # Only low/medium leads, only the fields a visit needs, no financial data (see `field_filter`).
    Role.GRID_WORKER: frozenset({P.WARNING_LIST, P.WARNING_VIEW, P.WARNING_HANDLE, P.PREVENTION_ACT}),
    Role.BANK_LIAISON: frozenset({P.BANK_REQUESTS}),
    Role.INSPECTOR: _SUPERVISE | {P.AUDIT_SEARCH, P.FUNDS_VIEW},
    Role.STATISTICS: frozenset({P.STATS_VIEW}),
}

# The highest warning level (RiskLevel value) a role may see; absent means every level.
MAX_LEVEL: dict[Role, int] = {Role.GRID_WORKER: 2}  # MEDIUM

# Evidence keys a role must not see at all (not even masked): financial data for grid workers.
FINANCIAL_KEY_MARKERS = ("account", "amount", "bank")


def hidden_evidence_key(role: str, key: str) -> bool:
    """True if `role` may not see evidence under `key` (grid workers get no financial data)."""
    if role != Role.GRID_WORKER:
        return False
    lowered = key.lower()
    return any(marker in lowered for marker in FINANCIAL_KEY_MARKERS)


def role_may(role: str, permission: str) -> bool:
    """Whether `role` holds `permission`; unknown roles hold nothing."""
    try:
        return Permission(permission) in PERMISSIONS[Role(role)]
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking, in which role, and which units' data their duty covers.

    `unit_scope` is the set of unit ids they may see (their unit and the units below it);
    None means every unit (a principal of the CITY unit, which also owns unassigned warnings).
    Every route that returns or changes unit-owned data checks `can_see(unit_id)` and answers
    404 when it fails, so ids cannot be probed; `may(permission)` checks the role's rights.
    """

    user_id: str
    role: str
    unit_id: str | None
    unit_scope: frozenset[str] | None = None
    display_name: str = ""

    def can_see(self, unit_id: str | None) -> bool:
        return self.unit_scope is None or (unit_id is not None and unit_id in self.unit_scope)

    def may(self, permission: str) -> bool:
        return role_may(self.role, permission)

    def can_see_level(self, level: int) -> bool:
        """Whether the role may see a warning of this RiskLevel value at all."""
        try:
            cap = MAX_LEVEL.get(Role(self.role))
        except ValueError:
            return False
        return cap is None or level <= cap

    @property
    def role_label(self) -> str:
        try:
            return Role(self.role).label
        except ValueError:
            return self.role


SYSTEM = Principal(user_id="system", role=Role.CITY_ADMIN.value, unit_id=None, unit_scope=None)


class Purpose(StrEnum):
    """Why someone reveals personal data or exports: required, recorded in the audit log."""

    DISSUASION = "DISSUASION"
    STOP_PAYMENT = "STOP_PAYMENT"
    CASE_HANDLING = "CASE_HANDLING"
    SUPERVISION = "SUPERVISION"
    REPORTING = "REPORTING"

    @property
    def label(self) -> str:
        return PURPOSE_LABELS[self]


PURPOSE_LABELS: dict[Purpose, str] = {
    Purpose.DISSUASION: "劝阻处置（联系、见面）",
    Purpose.STOP_PAYMENT: "止付冻结",
    Purpose.CASE_HANDLING: "案件办理",
    Purpose.SUPERVISION: "督察检查",
    Purpose.REPORTING: "工作报告",
}


# Stored records, as the repository hands them to the services (never the table rows themselves).


@dataclass(frozen=True, slots=True)
class Account:
    """A console user. `password_hash` is the Argon2id hash; the password itself is never stored."""

    user_id: int
    username: str
    display_name: str
    password_hash: str
    role: str
    unit_id: str
    active: bool
    locked_until: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A machine client's token; only its hash is stored."""

    token_id: int
    name: str
    token_hash: str
    role: str
    unit_id: str
    created_at: datetime
    expires_at: datetime | None
    revoked: bool
    last_used_at: datetime | None


@dataclass(frozen=True, slots=True)
class ConsoleSession:
    """A console session, keyed by the hash of its cookie's token."""

    token_hash: str
    user_id: int
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    revoked: bool
    address: str | None
