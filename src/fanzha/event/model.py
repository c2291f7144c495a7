"""The signal kinds that enter fraud detection, validated at the edge.

Every event carries a globally unique `event_id` (re-ingesting it is a no-op), an aware
`occurred_at`, and either the `person_id` it concerns or an identifier (phone, account) from
which the directory resolves the person. Money is integer fen, never float.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    model_validator,
)

from fanzha.event.codes import AppCategory, Direction, FraudType, LeadSource, RiskLevel

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
PhoneNo = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9]{3,20}$")]
AccountNo = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9A-Za-z_-]{4,40}$")]


def _level_from_name(value: object) -> object:
    if isinstance(value, str) and value.upper() in RiskLevel.__members__:
        return RiskLevel[value.upper()]
    return value


# Levels travel by name on the wire ("HIGH"); the numbers order them inside.
Level = Annotated[
    RiskLevel, BeforeValidator(_level_from_name), PlainSerializer(lambda lv: lv.name, return_type=str)
]
Fen = Annotated[int, Field(gt=0, le=10**13, description="amount in fen (1/100 yuan)")]


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_max_length=20_000)

    event_id: Id
    occurred_at: AwareDatetime
    person_id: Id | None = None


class Transfer(_Event):
    """A payment from the subscriber's account to a payee account."""

    kind: Literal["transfer"] = "transfer"
    payer_account: AccountNo
    payee_account: AccountNo
    amount_fen: Fen
    payee_name: Annotated[str, StringConstraints(max_length=100)] | None = None
    channel: Literal["mobile", "online", "atm", "counter", "pos", "other"] = "mobile"


class Call(_Event):
    """A voice call as seen from the subscriber's line; `transcript` if the operator holds one."""

    kind: Literal["call"] = "call"
    phone: PhoneNo
    counterpart: PhoneNo
    direction: Direction
    duration_s: Annotated[int, Field(ge=0, le=86_400)] = 0
    transcript: str | None = None


class Sms(_Event):
    """A text message as seen from the subscriber's line."""

    kind: Literal["sms"] = "sms"
    phone: PhoneNo
    counterpart: PhoneNo
    direction: Direction = Direction.IN
    text: str | None = None


Handle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class Chat(_Event):
    """An instant message (WeChat, QQ ...) on the account bound to the subscriber's phone.

    `group_id` names the chat group it was posted in, if any; `new_contact` is true when the
    counterpart became a contact (friend request, group join) within the platform's look-back.
    """

    kind: Literal["chat"] = "chat"
    phone: PhoneNo
    counterpart: Handle
    platform: Literal["wechat", "qq", "dingtalk", "other"] = "other"
    direction: Direction = Direction.IN
    group_id: Handle | None = None
    new_contact: bool = False
    text: str | None = None


class AppInstall(_Event):
    """An app installed on the subscriber's phone."""

    kind: Literal["app_install"] = "app_install"
    phone: PhoneNo
    app_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    package: Annotated[str, StringConstraints(max_length=200)] | None = None
    app_hash: Annotated[str, StringConstraints(max_length=128)] | None = None
    category: AppCategory = AppCategory.OTHER


class UrlVisit(_Event):
    """A visit from the subscriber's phone to a URL."""

    kind: Literal["url_visit"] = "url_visit"
    phone: PhoneNo
    url: Annotated[str, StringConstraints(strip_whitespace=True, min_length=4, max_length=2048)]


class Lead(_Event):
    """A warning lead pushed from upstream (NAFC, banks, operators, 96110, citizen reports)."""

    kind: Literal["lead"] = "lead"
    source: LeadSource
    source_ref: Annotated[str, StringConstraints(max_length=100)] | None = None
    phone: PhoneNo | None = None
    account: AccountNo | None = None
    level: Level = RiskLevel.MEDIUM
    fraud_type: FraudType = FraudType.UNKNOWN
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None

    @model_validator(mode="after")
    def _names_someone(self) -> Lead:
        if not (self.person_id or self.phone or self.account):
            raise ValueError("a lead must name person_id, phone or account")
        return self


Event = Annotated[
    Transfer | Call | Sms | Chat | AppInstall | UrlVisit | Lead,
    Field(discriminator="kind"),
]

EVENT_KINDS: tuple[str, ...] = ("transfer", "call", "sms", "chat", "app_install", "url_visit", "lead")


def subject_identifier(event: Transfer | Call | Sms | Chat | AppInstall | UrlVisit | Lead) -> str | None:
    """The identifier on the event from which the concerned person is resolved, as `kind:value`."""
    match event:
        case Transfer():
            return f"account:{event.payer_account}"
        case Call() | Sms() | Chat() | AppInstall() | UrlVisit():
            return f"phone:{event.phone}"
        case Lead():
            if event.phone:
                return f"phone:{event.phone}"
            if event.account:
                return f"account:{event.account}"
            return None
