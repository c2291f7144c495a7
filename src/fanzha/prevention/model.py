"""Records of prevention (宣防): campaigns and their reach, publicity operations, citizen reports.

Pure: frozen dataclasses and enums, no I/O. Times are aware; dates are calendar days in Beijing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from fanzha.event.codes import FraudType, PersonGroup


class Channel(StrEnum):
    """How a tip reaches people: an SMS, a community visit, a post in a WeChat group."""

    SMS = "SMS"
    VISIT = "VISIT"
    WECHAT = "WECHAT"


class CampaignStatus(StrEnum):
    """PLANNED (audience chosen) → SENDING (approved) → DONE; PLANNED or SENDING → CANCELLED."""

    PLANNED = "PLANNED"
    SENDING = "SENDING"
    DONE = "DONE"
    CANCELLED = "CANCELLED"


class ReachSource(StrEnum):
    CAMPAIGN = "CAMPAIGN"
    SPECIAL_GROUP = "SPECIAL_GROUP"  # 特殊群体预警劝阻: an early, light contact below the warn level


class ReachStatus(StrEnum):
    """One person's tip: PENDING → SENT (SMS) or DONE (visit); or never sent, with the reason."""

    PENDING = "PENDING"
    SENT = "SENT"
    DONE = "DONE"
    OPTED_OUT = "OPTED_OUT"
    CAPPED = "CAPPED"  # the person had their share of publicity messages this period
    NO_PHONE = "NO_PHONE"
    CANCELLED = "CANCELLED"

    @property
    def reached(self) -> bool:
        return self in (ReachStatus.SENT, ReachStatus.DONE)


class EventKind(StrEnum):
    """Publicity events: 进社区 / 进校园 / 进企业 / 进机关 / 进家庭."""

    COMMUNITY = "COMMUNITY"
    SCHOOL = "SCHOOL"
    ENTERPRISE = "ENTERPRISE"
    GOVERNMENT = "GOVERNMENT"
    FAMILY = "FAMILY"


class PostKind(StrEnum):
    ARTICLE = "ARTICLE"
    VIDEO = "VIDEO"


class PlaceKind(StrEnum):
    """Places the 无诈 board rates: communities (社区) and schools (校园)."""

    COMMUNITY = "COMMUNITY"
    SCHOOL = "SCHOOL"


class LookupKind(StrEnum):
    """What a citizen may check (公众查询): a phone number, an account, a URL, an app name."""

    PHONE = "PHONE"
    ACCOUNT = "ACCOUNT"
    URL = "URL"
    APP = "APP"


class Verdict(StrEnum):
    """The only two answers of the self-check, and the refusal of an input that is not exact."""

    KNOWN_FRAUD = "KNOWN_FRAUD"
    NOT_KNOWN = "NOT_KNOWN"
    INVALID = "INVALID"


class ReportKind(StrEnum):
    """What a citizen may report (举报): the lookup kinds, or a chat (an account on a chat app)."""

    PHONE = "PHONE"
    ACCOUNT = "ACCOUNT"
    URL = "URL"
    APP = "APP"
    CHAT = "CHAT"


class ReportStatus(StrEnum):
    """A citizen report in the review queue: NEW → ACCEPTED (listed) | REJECTED | DUPLICATE."""

    NEW = "NEW"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    DUPLICATE = "DUPLICATE"


@dataclass(frozen=True, slots=True)
class Resident:
    """A person of the registry as targeting sees them (no name, no identity number)."""

    person_id: str
    unit_id: str | None
    birth_year: int | None
    sex: str | None
    occupation: str | None
    groups: frozenset[PersonGroup]


@dataclass(frozen=True, slots=True)
class Campaign:
    """A targeted publicity campaign of one unit: topics, channel, each topic's SMS text, audience size."""

    campaign_id: int
    unit_id: str
    topics: tuple[str, ...]
    channel: Channel
    title: str
    texts: dict[str, str]
    status: CampaignStatus
    targeting_version: str
    audience: int
    created_by: str
    created_at: datetime
    updated_at: datetime
    wechat_group: str | None = None


@dataclass(frozen=True, slots=True)
class Reach:
    """Who got which tip, when, through which channel (one row per person and campaign or contact)."""

    reach_id: int
    source: ReachSource
    campaign_id: int | None
    person_id: str | None
    unit_id: str | None
    channel: Channel
    topic: str
    status: ReachStatus
    created_at: datetime
    done_at: datetime | None = None
    officer_minutes: float = 0.0


@dataclass(frozen=True, slots=True)
class PublicityEvent:
    """A publicity event held: when, by which unit, where, for whom, how many came."""

    event_id: int
    unit_id: str
    kind: EventKind
    held_on: date
    place: str
    audience: str
    headcount: int
    place_id: str | None = None
    app_installs: int = 0


@dataclass(frozen=True, slots=True)
class Post:
    """An article or video on an official account, with its figures as last imported."""

    unit_id: str
    kind: PostKind
    platform: str
    external_id: str
    title: str
    published_on: date
    reads: int = 0
    plays: int = 0
    likes: int = 0
    shares: int = 0


@dataclass(frozen=True, slots=True)
class SmsBatch:
    """Publicity SMS sent outside fanzha (an operator's broadcast): how many, when, for which unit."""

    unit_id: str
    sent_on: date
    messages: int
    batch_ref: str


@dataclass(frozen=True, slots=True)
class Place:
    """A community or school the 无诈 board rates; `unit_id` is the police unit responsible for it."""

    place_id: str
    kind: PlaceKind
    name: str
    unit_id: str


@dataclass(frozen=True, slots=True)
class Registration:
    """NAFC App registrations of a place on a day, against its population."""

    place_id: str
    as_of: date
    registered: int
    population: int


@dataclass(frozen=True, slots=True)
class PlaceCase:
    """A fraud case (发案) of a place, as the case system reports it (the seam until `case/` lands)."""

    place_id: str
    occurred_on: date
    case_ref: str
    loss_fen: int = 0


@dataclass(frozen=True, slots=True)
class CitizenReport:
    """A citizen's report (举报) waiting in, or settled by, the review queue."""

    report_id: int
    kind: ReportKind
    value: str
    fraud_type: FraudType
    description: str
    status: ReportStatus
    received_at: datetime
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    review_note: str = ""
