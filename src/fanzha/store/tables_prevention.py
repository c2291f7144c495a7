"""Tables of prevention (宣防): campaigns and reach, opt-outs, publicity records, the 无诈 board's
places, the self-check's counts and citizen reports. `store/migrations/env.py` imports this module."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fanzha.store.tables import Base, UTCDateTime

_BIG_ID = BigInteger().with_variant(Integer, "sqlite")


class CampaignRow(Base):
    __tablename__ = "prevention_campaigns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    unit_id: Mapped[str] = mapped_column(String(64), index=True)
    topics: Mapped[list[str]] = mapped_column(JSON)
    channel: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    texts: Mapped[dict[str, str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    targeting_version: Mapped[str] = mapped_column(String(40))
    audience: Mapped[int] = mapped_column(Integer)
    wechat_group: Mapped[str | None] = mapped_column(String(100))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReachRow(Base):
    """Who got which tip, when: one row per person and campaign (or light contact); also the outbox
    of publicity SMS (PENDING rows with `next_attempt_at`) and the community visit list."""

    __tablename__ = "prevention_reach"
    __table_args__ = (
        Index("ix_prevention_reach_status_channel_next", "status", "channel", "next_attempt_at"),
    )
    id: Mapped[int] = mapped_column(_BIG_ID, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    source: Mapped[str] = mapped_column(String(16))
    campaign_id: Mapped[int | None] = mapped_column(Integer, index=True)
    person_id: Mapped[str | None] = mapped_column(String(64), index=True)
    unit_id: Mapped[str | None] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(200))
    gateway_id: Mapped[str | None] = mapped_column(String(80))
    audience: Mapped[int] = mapped_column(Integer, default=1)
    officer_minutes: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    done_by: Mapped[str | None] = mapped_column(String(64))


class OptOutRow(Base):
    __tablename__ = "prevention_opt_outs"
    phone: Mapped[str] = mapped_column(String(24), primary_key=True)
    person_id: Mapped[str | None] = mapped_column(String(64), index=True)
    via: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class PublicityEventRow(Base):
    __tablename__ = "publicity_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    natural_key: Mapped[str] = mapped_column(String(64), unique=True)
    unit_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(String(100))
    headcount: Mapped[int] = mapped_column(Integer)
    place_id: Mapped[str | None] = mapped_column(String(64), index=True)
    app_installs: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PostRow(Base):
    __tablename__ = "publicity_posts"
    __table_args__ = (
        Index("uq_publicity_posts_platform_external_id", "platform", "external_id", unique=True),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    unit_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    platform: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    published_on: Mapped[date] = mapped_column(Date, index=True)
    reads: Mapped[int] = mapped_column(BigInteger, default=0)
    plays: Mapped[int] = mapped_column(BigInteger, default=0)
    likes: Mapped[int] = mapped_column(BigInteger, default=0)
    shares: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SmsBatchRow(Base):
    """Publicity SMS sent outside fanzha (an operator's broadcast for the city), as a count."""

    __tablename__ = "publicity_sms_batches"
    batch_ref: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(64), index=True)
    sent_on: Mapped[date] = mapped_column(Date, index=True)
    messages: Mapped[int] = mapped_column(BigInteger)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PlaceRow(Base):
    __tablename__ = "publicity_places"
    place_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    unit_id: Mapped[str] = mapped_column(String(64), index=True)


class RegistrationRow(Base):
    __tablename__ = "app_registrations"
    place_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date, primary_key=True)
    registered: Mapped[int] = mapped_column(Integer)
    population: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PlaceCaseRow(Base):
    __tablename__ = "publicity_place_cases"
    case_ref: Mapped[str] = mapped_column(String(64), primary_key=True)
    place_id: Mapped[str] = mapped_column(String(64), index=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    loss_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class SelfCheckCountRow(Base):
    """How many self-checks were made per day, kind and verdict: a count, never the value asked."""

    __tablename__ = "selfcheck_counts"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    verdict: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)


class CitizenReportRow(Base):
    __tablename__ = "citizen_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(300))
    fraud_type: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_note: Mapped[str] = mapped_column(String(500), default="")


class SweepRow(Base):
    """How far a sweep has read (the special-groups sweep: the last assessment id it looked at)."""

    __tablename__ = "prevention_sweeps"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
