"""Code lists shared across the platform (domain brief §3.2, §3.3, §6)."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class FraudType(StrEnum):
    """Fraud types of the MPS typology (domain brief §6)."""

    LOAN = "LOAN"
    BRUSHING = "BRUSHING"
    FAKE_CS_REFUND = "FAKE_CS_REFUND"
    PIG_BUTCHERING = "PIG_BUTCHERING"
    FAKE_AUTHORITY = "FAKE_AUTHORITY"
    FAKE_BOSS_ACQ = "FAKE_BOSS_ACQ"
    FLIGHT_CHANGE = "FLIGHT_CHANGE"
    SHOPPING = "SHOPPING"
    FAKE_CREDIT_REPAIR = "FAKE_CREDIT_REPAIR"
    GAME_TRADE = "GAME_TRADE"
    ROMANCE = "ROMANCE"
    UNKNOWN = "UNKNOWN"

    @property
    def label(self) -> str:
        return FRAUD_TYPE_LABELS[self]


FRAUD_TYPE_LABELS: dict[FraudType, str] = {
    FraudType.LOAN: "虚假网络贷款",
    FraudType.BRUSHING: "刷单返利",
    FraudType.FAKE_CS_REFUND: "冒充电商物流客服",
    FraudType.PIG_BUTCHERING: "杀猪盘/虚假投资理财",
    FraudType.FAKE_AUTHORITY: "冒充公检法",
    FraudType.FAKE_BOSS_ACQ: "冒充领导熟人",
    FraudType.FLIGHT_CHANGE: "航班退改签",
    FraudType.SHOPPING: "虚假购物服务",
    FraudType.FAKE_CREDIT_REPAIR: "虚假征信",
    FraudType.GAME_TRADE: "网络游戏虚假交易",
    FraudType.ROMANCE: "网络婚恋交友",
    FraudType.UNKNOWN: "类型待研判",
}


class RiskLevel(IntEnum):
    """Risk levels, ordered so that a higher value is more urgent (domain brief §3.3)."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return RISK_LEVEL_LABELS[self]


RISK_LEVEL_LABELS: dict[RiskLevel, str] = {
    RiskLevel.CRITICAL: "特高危",
    RiskLevel.HIGH: "高危",
    RiskLevel.MEDIUM: "中危",
    RiskLevel.LOW: "低危",
}


class LeadSource(StrEnum):
    """Where an upstream lead came from (domain brief §3.2)."""

    NAFC_FUND = "NAFC_FUND"
    NAFC_COMM = "NAFC_COMM"
    NAFC_NET = "NAFC_NET"
    MIIT_12381 = "MIIT_12381"
    BANK = "BANK"
    OPERATOR = "OPERATOR"
    INTERNET = "INTERNET"
    HOTLINE_96110 = "HOTLINE_96110"
    APP_REPORT = "APP_REPORT"
    CALL_110 = "CALL_110"
    LOCAL_MODEL = "LOCAL_MODEL"
    SPECIAL_GROUP = "SPECIAL_GROUP"


class AppCategory(StrEnum):
    """What an installed app is, as far as fraud is concerned."""

    SCREEN_SHARE = "SCREEN_SHARE"
    REMOTE_CONTROL = "REMOTE_CONTROL"
    MEETING = "MEETING"
    NICHE_CHAT = "NICHE_CHAT"
    LOAN = "LOAN"
    INVESTMENT = "INVESTMENT"
    TASK = "TASK"
    OTHER = "OTHER"


class UnitLevel(StrEnum):
    """The police hierarchy inside a city: 市局 → 分局 → 派出所 → 社区."""

    CITY = "CITY"
    BRANCH = "BRANCH"
    STATION = "STATION"
    COMMUNITY = "COMMUNITY"


class PersonGroup(StrEnum):
    """Population groups that fraud types target (domain brief §6.2)."""

    ELDERLY = "ELDERLY"
    STUDENT = "STUDENT"
    FINANCE_STAFF = "FINANCE_STAFF"
    SINGLE_18_40 = "SINGLE_18_40"
    OTHER = "OTHER"


class Direction(StrEnum):
    """Direction of a call or message, seen from the subscriber."""

    IN = "IN"
    OUT = "OUT"


class IndicatorKind(StrEnum):
    """Kinds of listed fraud indicators (domain brief §7)."""

    ACCOUNT = "ACCOUNT"
    PHONE = "PHONE"
    URL = "URL"
    APP = "APP"
