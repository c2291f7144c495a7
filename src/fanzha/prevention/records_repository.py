"""All SQL of publicity records (events, posts, SMS batches), the 无诈 board's places, registrations and
cases, the figures' facts, the self-check (lists lookup, counts) and citizen reports."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from fanzha.event.codes import UnitLevel
from fanzha.prevention.figures import Fact
from fanzha.prevention.model import (
    CampaignStatus,
    Channel,
    EventKind,
    Place,
    PlaceCase,
    PlaceKind,
    Post,
    PostKind,
    PublicityEvent,
    ReachSource,
    ReachStatus,
    Registration,
    SmsBatch,
)
from fanzha.prevention.public_repository import PublicRecords
from fanzha.store.tables import UnitRow
from fanzha.store.tables_prevention import (
    CampaignRow,
    PlaceCaseRow,
    PlaceRow,
    PostRow,
    PublicityEventRow,
    ReachRow,
    RegistrationRow,
    SmsBatchRow,
)


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period: Beijing days `first`..`last` and the instants bounding them."""

    first: date
    last: date
    start: datetime
    end: datetime


def event_key(e: PublicityEvent) -> str:
    text = "\x1f".join((e.unit_id, e.kind.value, e.held_on.isoformat(), e.place, e.audience))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _event(r: PublicityEventRow) -> PublicityEvent:
    return PublicityEvent(
        r.id,
        r.unit_id,
        EventKind(r.kind),
        r.held_on,
        r.place,
        r.audience,
        r.headcount,
        r.place_id,
        r.app_installs,
    )


class RecordsRepository(PublicRecords):
    """Publicity records and the board's data; the self-check's and reports' SQL it inherits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # Publicity records -------------------------------------------------------------------------------
    def add_events(self, events: Iterable[PublicityEvent], *, actor: str, now: datetime) -> int:
        """Store events; one already stored (same unit, kind, day, place and audience) is kept once."""
        rows = [
            {
                "natural_key": event_key(e),
                "unit_id": e.unit_id,
                "kind": e.kind.value,
                "held_on": e.held_on,
                "place": e.place,
                "audience": e.audience,
                "headcount": e.headcount,
                "place_id": e.place_id,
                "app_installs": e.app_installs,
                "created_by": actor,
                "created_at": now,
            }
            for e in events
        ]
        if not rows:
            return 0
        module = postgresql if self._session.get_bind().dialect.name == "postgresql" else sqlite
        stmt = module.insert(PublicityEventRow).on_conflict_do_nothing(index_elements=["natural_key"])
        # RETURNING, not rowcount: PostgreSQL's driver reports -1 for an ORM-executed insert.
        returning = stmt.returning(PublicityEventRow.id)
        return sum(len(self._session.execute(returning.values(**row)).all()) for row in rows)

    def events(self, unit_ids: Iterable[str] | None, limit: int = 200) -> list[PublicityEvent]:
        stmt = select(PublicityEventRow).order_by(
            PublicityEventRow.held_on.desc(), PublicityEventRow.id.desc()
        )
        if unit_ids is not None:
            stmt = stmt.where(PublicityEventRow.unit_id.in_(list(unit_ids)))
        return [_event(r) for r in self._session.scalars(stmt.limit(limit))]

    def event_days(self) -> dict[str, list[date]]:
        stmt = select(PublicityEventRow.place_id, PublicityEventRow.held_on).where(
            PublicityEventRow.place_id.is_not(None)
        )
        out: dict[str, list[date]] = {}
        for place_id, day in self._session.execute(stmt):
            out.setdefault(str(place_id), []).append(day)
        return out

    def upsert_posts(self, posts: Sequence[Post], now: datetime) -> int:
        for post in posts:
            self._session.execute(
                delete(PostRow).where(
                    PostRow.platform == post.platform, PostRow.external_id == post.external_id
                )
            )
        rows = [
            {
                "unit_id": p.unit_id,
                "kind": p.kind.value,
                "platform": p.platform,
                "external_id": p.external_id,
                "title": p.title,
                "published_on": p.published_on,
                "reads": p.reads,
                "plays": p.plays,
                "likes": p.likes,
                "shares": p.shares,
                "updated_at": now,
            }
            for p in posts
        ]
        if rows:
            self._session.execute(insert(PostRow), rows)
        return len(rows)

    def posts(self, unit_ids: Iterable[str] | None, limit: int = 200) -> list[Post]:
        stmt = select(PostRow).order_by(PostRow.published_on.desc(), PostRow.id.desc()).limit(limit)
        if unit_ids is not None:
            stmt = stmt.where(PostRow.unit_id.in_(list(unit_ids)))
        return [
            Post(
                r.unit_id,
                PostKind(r.kind),
                r.platform,
                r.external_id,
                r.title,
                r.published_on,
                r.reads,
                r.plays,
                r.likes,
                r.shares,
            )
            for r in self._session.scalars(stmt)
        ]

    def upsert_sms_batches(self, batches: Sequence[SmsBatch], now: datetime) -> int:
        return self._replace(
            SmsBatchRow,
            SmsBatchRow.batch_ref,
            [b.batch_ref for b in batches],
            [
                {
                    "batch_ref": b.batch_ref,
                    "unit_id": b.unit_id,
                    "sent_on": b.sent_on,
                    "messages": b.messages,
                    "imported_at": now,
                }
                for b in batches
            ],
        )

    def upsert_places(self, places: Sequence[Place]) -> int:
        rows = [
            {"place_id": p.place_id, "kind": p.kind.value, "name": p.name, "unit_id": p.unit_id}
            for p in places
        ]
        return self._replace(PlaceRow, PlaceRow.place_id, [p.place_id for p in places], rows)

    def upsert_cases(self, cases: Sequence[PlaceCase]) -> int:
        rows = [
            {
                "case_ref": c.case_ref,
                "place_id": c.place_id,
                "occurred_on": c.occurred_on,
                "loss_fen": c.loss_fen,
            }
            for c in cases
        ]
        return self._replace(PlaceCaseRow, PlaceCaseRow.case_ref, [c.case_ref for c in cases], rows)

    def upsert_registrations(self, registrations: Sequence[Registration], now: datetime) -> int:
        for r in registrations:
            self._session.execute(
                delete(RegistrationRow).where(
                    RegistrationRow.place_id == r.place_id, RegistrationRow.as_of == r.as_of
                )
            )
        rows = [
            {
                "place_id": r.place_id,
                "as_of": r.as_of,
                "registered": r.registered,
                "population": r.population,
                "imported_at": now,
            }
            for r in registrations
        ]
        if rows:
            self._session.execute(insert(RegistrationRow), rows)
        return len(rows)

    def _replace(self, table: type, key: Any, keys: list[str], rows: Sequence[Mapping[str, Any]]) -> int:
        for start in range(0, len(keys), 500):
            self._session.execute(delete(table).where(key.in_(keys[start : start + 500])))
        if rows:
            self._session.execute(insert(table), rows)
        return len(rows)

    # Places, registrations, cases --------------------------------------------------------------------
    def places(self) -> list[Place]:
        """Imported places, and every COMMUNITY unit of the unit tree not imported as a place itself."""
        imported = [
            Place(r.place_id, PlaceKind(r.kind), r.name, r.unit_id)
            for r in self._session.scalars(select(PlaceRow))
        ]
        known = {p.place_id for p in imported}
        communities = self._session.scalars(select(UnitRow).where(UnitRow.level == UnitLevel.COMMUNITY.value))
        return imported + [
            Place(u.unit_id, PlaceKind.COMMUNITY, u.name, u.unit_id)
            for u in communities
            if u.unit_id not in known
        ]

    def registrations(self, until: date) -> list[Registration]:
        stmt = select(RegistrationRow).where(RegistrationRow.as_of <= until)
        return [
            Registration(r.place_id, r.as_of, r.registered, r.population) for r in self._session.scalars(stmt)
        ]

    def cases(self) -> list[PlaceCase]:
        return [
            PlaceCase(r.place_id, r.occurred_on, r.case_ref, r.loss_fen)
            for r in self._session.scalars(select(PlaceCaseRow))
        ]

    def known_ids(self) -> tuple[set[str], set[str]]:
        """Unit ids and place ids that records may name."""
        units = set(self._session.scalars(select(UnitRow.unit_id)))
        return units, {p.place_id for p in self.places()}

    # The figures' facts ------------------------------------------------------------------------------
    def facts(self, period: Period, campaign_minutes: float) -> list[Fact]:
        """Every count of the figures within `period`, per unit (`figures.py` defines them)."""
        facts: list[Fact] = []
        days = (period.first, period.last)
        for unit_id, n, heads in self._session.execute(
            select(PublicityEventRow.unit_id, func.count(), func.sum(PublicityEventRow.headcount))
            .where(PublicityEventRow.held_on.between(*days))
            .group_by(PublicityEventRow.unit_id)
        ):
            facts += [
                Fact(unit_id, "publicity_events", int(n)),
                Fact(unit_id, "publicity_reach", int(heads or 0)),
            ]
        facts += self._reach_facts(period)
        for unit_id, n in self._session.execute(
            select(CampaignRow.unit_id, func.count())
            .where(CampaignRow.created_at >= period.start, CampaignRow.created_at < period.end)
            .where(CampaignRow.status != CampaignStatus.CANCELLED.value)
            .group_by(CampaignRow.unit_id)
        ):
            facts.append(Fact(unit_id, "officer_minutes", round(int(n) * campaign_minutes)))
        for unit_id, messages in self._session.execute(
            select(SmsBatchRow.unit_id, func.sum(SmsBatchRow.messages))
            .where(SmsBatchRow.sent_on.between(*days))
            .group_by(SmsBatchRow.unit_id)
        ):
            facts += [
                Fact(unit_id, "publicity_sms", int(messages)),
                Fact(unit_id, "publicity_reach", int(messages)),
            ]
        for unit_id, n, reads in self._session.execute(
            select(PostRow.unit_id, func.count(), func.sum(PostRow.reads + PostRow.plays))
            .where(PostRow.published_on.between(*days))
            .group_by(PostRow.unit_id)
        ):
            facts += [
                Fact(unit_id, "publicity_posts", int(n)),
                Fact(unit_id, "publicity_reads", int(reads or 0)),
            ]
        return facts

    def _reach_facts(self, period: Period) -> list[Fact]:
        sums = (func.count(), func.sum(ReachRow.audience), func.sum(ReachRow.officer_minutes))
        stmt = (
            select(ReachRow.unit_id, ReachRow.channel, ReachRow.source, *sums)
            .where(ReachRow.status.in_([ReachStatus.SENT.value, ReachStatus.DONE.value]))
            .where(
                ReachRow.done_at >= period.start, ReachRow.done_at < period.end, ReachRow.unit_id.is_not(None)
            )
            .group_by(ReachRow.unit_id, ReachRow.channel, ReachRow.source)
        )
        facts: list[Fact] = []
        for unit, channel, source, n, audience, minutes in self._session.execute(stmt):
            unit_id = str(unit)
            reached = int(audience or 0) if channel == Channel.WECHAT.value else int(n)
            facts.append(Fact(unit_id, "publicity_reach", reached))
            facts.append(Fact(unit_id, "officer_minutes", round(float(minutes or 0))))
            if channel == Channel.SMS.value:
                facts.append(Fact(unit_id, "publicity_sms", int(n)))
            if source == ReachSource.SPECIAL_GROUP.value:
                facts.append(Fact(unit_id, "special_contacts", int(n)))
        return facts
