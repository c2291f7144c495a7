"""All SQL of campaigns, their reach (the publicity SMS outbox and the visit lists), opt-outs and the
special-groups sweep. Publicity records, places, counts and reports: `records_repository.py`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from fanzha.event.codes import FraudType, PersonGroup
from fanzha.prevention.model import (
    Campaign,
    CampaignStatus,
    Channel,
    Reach,
    ReachSource,
    ReachStatus,
    Resident,
)
from fanzha.prevention.special import Assessed
from fanzha.store.tables import AssessmentRow, PersonRow, PhoneRow
from fanzha.store.tables_prevention import CampaignRow, OptOutRow, ReachRow, SweepRow

CHUNK = 5000
_GROUPS = {g.value: g for g in PersonGroup}


def _campaign(r: CampaignRow) -> Campaign:
    return Campaign(
        campaign_id=r.id,
        unit_id=r.unit_id,
        topics=tuple(r.topics),
        channel=Channel(r.channel),
        title=r.title,
        texts=dict(r.texts),
        status=CampaignStatus(r.status),
        targeting_version=r.targeting_version,
        audience=r.audience,
        created_by=r.created_by,
        created_at=r.created_at,
        updated_at=r.updated_at,
        wechat_group=r.wechat_group,
    )


def _reach(r: ReachRow) -> Reach:
    return Reach(
        reach_id=r.id,
        source=ReachSource(r.source),
        campaign_id=r.campaign_id,
        person_id=r.person_id,
        unit_id=r.unit_id,
        channel=Channel(r.channel),
        topic=r.topic,
        status=ReachStatus(r.status),
        created_at=r.created_at,
        done_at=r.done_at,
        officer_minutes=r.officer_minutes,
    )


def resident(r: PersonRow) -> Resident:
    groups = frozenset(_GROUPS[g] for g in r.groups or () if g in _GROUPS)
    return Resident(r.person_id, r.unit_id, r.birth_year, r.sex, r.occupation, groups)


class PreventionRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # Campaigns ---------------------------------------------------------------------------------------
    def add_campaign(self, campaign: Campaign) -> int:
        row = CampaignRow(
            unit_id=campaign.unit_id,
            topics=list(campaign.topics),
            channel=campaign.channel.value,
            title=campaign.title,
            texts=dict(campaign.texts),
            status=campaign.status.value,
            targeting_version=campaign.targeting_version,
            audience=campaign.audience,
            wechat_group=campaign.wechat_group,
            created_by=campaign.created_by,
            created_at=campaign.created_at,
            updated_at=campaign.updated_at,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def campaign(self, campaign_id: int) -> Campaign | None:
        row = self._session.get(CampaignRow, campaign_id)
        return _campaign(row) if row is not None else None

    def campaigns(self, unit_ids: Iterable[str] | None, limit: int = 200) -> list[Campaign]:
        stmt = select(CampaignRow).order_by(CampaignRow.id.desc()).limit(limit)
        if unit_ids is not None:
            stmt = stmt.where(CampaignRow.unit_id.in_(list(unit_ids)))
        return [_campaign(r) for r in self._session.scalars(stmt)]

    def set_campaign(
        self, campaign_id: int, *, status: CampaignStatus, audience: int | None, now: datetime
    ) -> None:
        values: dict[str, Any] = {"status": status.value, "updated_at": now}
        if audience is not None:
            values["audience"] = audience
        self._session.execute(update(CampaignRow).where(CampaignRow.id == campaign_id).values(**values))

    def sending_without_pending(self) -> list[int]:
        """Campaigns still SENDING though nothing of theirs is pending any more."""
        pending = select(ReachRow.id).where(
            ReachRow.campaign_id == CampaignRow.id, ReachRow.status == ReachStatus.PENDING.value
        )
        stmt = select(CampaignRow.id).where(
            CampaignRow.status == CampaignStatus.SENDING.value, ~pending.exists()
        )
        return list(self._session.scalars(stmt))

    # The registry, as targeting sees it ---------------------------------------------------------------
    def residents(self, unit_ids: Iterable[str] | None) -> Iterator[Resident]:
        """Registry persons of the given units (all when None), streamed, ordered by person id."""
        stmt = select(PersonRow).order_by(PersonRow.person_id)
        if unit_ids is not None:
            stmt = stmt.where(PersonRow.unit_id.in_(list(unit_ids)))
        for row in self._session.scalars(stmt.execution_options(yield_per=CHUNK)):
            yield resident(row)

    def groups_of(self, person_ids: Sequence[str]) -> dict[str, Resident]:
        found: dict[str, Resident] = {}
        for start in range(0, len(person_ids), 500):
            stmt = select(PersonRow).where(PersonRow.person_id.in_(person_ids[start : start + 500]))
            found |= {r.person_id: resident(r) for r in self._session.scalars(stmt)}
        return found

    def first_phones(self, person_ids: Sequence[str]) -> dict[str, str]:
        """Each person's first registered phone (the number publicity SMS go to)."""
        found: dict[str, str] = {}
        for start in range(0, len(person_ids), 500):
            stmt = (
                select(PhoneRow.person_id, PhoneRow.phone)
                .where(PhoneRow.person_id.in_(person_ids[start : start + 500]))
                .order_by(PhoneRow.person_id, PhoneRow.phone)
            )
            for person_id, phone in self._session.execute(stmt):
                found.setdefault(person_id, phone)
        return found

    def contact_details(self, person_ids: Sequence[str]) -> dict[str, tuple[str, str | None]]:
        """Name and address of each person (for a visit list; the queries mask them)."""
        found: dict[str, tuple[str, str | None]] = {}
        for start in range(0, len(person_ids), 500):
            stmt = select(PersonRow.person_id, PersonRow.name, PersonRow.address).where(
                PersonRow.person_id.in_(person_ids[start : start + 500])
            )
            found |= {p: (n, a) for p, n, a in self._session.execute(stmt)}
        return found

    def person_of_phone(self, phone: str) -> str | None:
        found: str | None = self._session.scalar(select(PhoneRow.person_id).where(PhoneRow.phone == phone))
        return found

    # Opt-outs ----------------------------------------------------------------------------------------
    def add_opt_out(self, *, phone: str, person_id: str | None, via: str, now: datetime) -> bool:
        """Record an opt-out; False if the number had opted out already."""
        if self._session.get(OptOutRow, phone) is not None:
            return False
        self._session.add(OptOutRow(phone=phone, person_id=person_id, via=via[:32], at=now))
        self._session.flush()
        return True

    def opted_out_persons(self) -> set[str]:
        """Persons one of whose phones opted out."""
        by_phone = select(PhoneRow.person_id).join(OptOutRow, OptOutRow.phone == PhoneRow.phone)
        direct = select(OptOutRow.person_id).where(OptOutRow.person_id.is_not(None))
        return {p for p in self._session.scalars(by_phone.union(direct)) if p is not None}

    def opted_out_phones(self, phones: Sequence[str]) -> set[str]:
        stmt = select(OptOutRow.phone).where(OptOutRow.phone.in_(list(phones)))
        return set(self._session.scalars(stmt))

    def opt_out_count(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(OptOutRow)) or 0)

    # Reach -------------------------------------------------------------------------------------------
    def add_reach(self, rows: Iterable[dict[str, Any]]) -> int:
        """Insert reach rows in chunks (each a dict of `ReachRow` columns); returns how many."""
        count = 0
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                count += self._insert(chunk)
                chunk = []
        return count + (self._insert(chunk) if chunk else 0)

    def _insert(self, rows: list[dict[str, Any]]) -> int:
        dialect = self._session.get_bind().dialect.name
        module = postgresql if dialect == "postgresql" else sqlite
        stmt = module.insert(ReachRow).on_conflict_do_nothing(index_elements=["idempotency_key"])
        self._session.execute(stmt, rows)
        return len(rows)

    def reach(self, reach_id: int) -> Reach | None:
        row = self._session.get(ReachRow, reach_id)
        return _reach(row) if row is not None else None

    def status_counts(self, campaign_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        stmt = (
            select(ReachRow.campaign_id, ReachRow.status, func.count())
            .where(ReachRow.campaign_id.in_(list(campaign_ids)))
            .group_by(ReachRow.campaign_id, ReachRow.status)
        )
        out: dict[int, dict[str, int]] = {}
        for campaign_id, status, n in self._session.execute(stmt):
            out.setdefault(int(campaign_id or 0), {})[str(status)] = int(n)
        return out

    def topic_counts(self, campaign_id: int) -> dict[str, int]:
        stmt = (
            select(ReachRow.topic, func.count())
            .where(ReachRow.campaign_id == campaign_id)
            .group_by(ReachRow.topic)
        )
        return {str(t): int(n) for t, n in self._session.execute(stmt)}

    def cancel_pending(self, campaign_id: int, now: datetime) -> int:
        result = self._session.execute(
            update(ReachRow)
            .where(ReachRow.campaign_id == campaign_id, ReachRow.status == ReachStatus.PENDING.value)
            .values(status=ReachStatus.CANCELLED.value, done_at=now)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def recent_sms(self, since: datetime) -> dict[str, int]:
        """Publicity SMS per person sent (or waiting to be) since `since`, for the frequency cap."""
        stmt = (
            select(ReachRow.person_id, func.count())
            .where(
                ReachRow.channel == Channel.SMS.value,
                ReachRow.status.in_([ReachStatus.SENT.value, ReachStatus.PENDING.value]),
                ReachRow.created_at >= since,
                ReachRow.person_id.is_not(None),
            )
            .group_by(ReachRow.person_id)
        )
        return {str(p): int(n) for p, n in self._session.execute(stmt)}

    def due_sms(self, now: datetime, limit: int) -> list[tuple[int, str, str, int | None, int]]:
        """Publicity SMS due now, of approved campaigns or light contacts: (id, person, topic, campaign,
        attempts), oldest first."""
        approved = select(CampaignRow.id).where(CampaignRow.status == CampaignStatus.SENDING.value)
        stmt = (
            select(ReachRow.id, ReachRow.person_id, ReachRow.topic, ReachRow.campaign_id, ReachRow.attempts)
            .where(
                ReachRow.status == ReachStatus.PENDING.value,
                ReachRow.channel == Channel.SMS.value,
                ReachRow.next_attempt_at <= now,
                or_(ReachRow.campaign_id.is_(None), ReachRow.campaign_id.in_(approved)),
            )
            .order_by(ReachRow.next_attempt_at, ReachRow.id)
            .limit(limit)
        )
        return [(int(i), str(p), str(t), c, int(a)) for i, p, t, c, a in self._session.execute(stmt)]

    def mark(self, reach_id: int, *, status: ReachStatus, now: datetime, **values: Any) -> None:
        self._session.execute(
            update(ReachRow).where(ReachRow.id == reach_id).values(status=status.value, done_at=now, **values)
        )

    def mark_failed(self, reach_id: int, *, error: str, attempts: int, retry_at: datetime) -> None:
        self._session.execute(
            update(ReachRow)
            .where(ReachRow.id == reach_id)
            .values(attempts=attempts, last_error=error[:200], next_attempt_at=retry_at)
        )

    def opt_out_pending(self, person_id: str, now: datetime) -> int:
        result = self._session.execute(
            update(ReachRow)
            .where(
                ReachRow.person_id == person_id,
                ReachRow.channel == Channel.SMS.value,
                ReachRow.status == ReachStatus.PENDING.value,
            )
            .values(status=ReachStatus.OPTED_OUT.value, done_at=now)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def open_visits(self, unit_ids: Iterable[str] | None, limit: int = 500) -> list[Reach]:
        """Visits to make: of approved campaigns, and light contacts."""
        approved = select(CampaignRow.id).where(CampaignRow.status == CampaignStatus.SENDING.value)
        stmt = (
            select(ReachRow)
            .where(ReachRow.channel == Channel.VISIT.value, ReachRow.status == ReachStatus.PENDING.value)
            .where(or_(ReachRow.campaign_id.is_(None), ReachRow.campaign_id.in_(approved)))
            .order_by(ReachRow.unit_id, ReachRow.created_at, ReachRow.id)
            .limit(limit)
        )
        if unit_ids is not None:
            stmt = stmt.where(ReachRow.unit_id.in_(list(unit_ids)))
        return [_reach(r) for r in self._session.scalars(stmt)]

    # The special-groups sweep ------------------------------------------------------------------------
    def last_light_contacts(self, person_ids: Sequence[str]) -> dict[str, datetime]:
        stmt = (
            select(ReachRow.person_id, func.max(ReachRow.created_at))
            .where(
                ReachRow.source == ReachSource.SPECIAL_GROUP.value, ReachRow.person_id.in_(list(person_ids))
            )
            .group_by(ReachRow.person_id)
        )
        out: dict[str, datetime] = {}
        for person_id, value in self._session.execute(stmt):
            # Aggregates bypass the column type on SQLite.
            at = datetime.fromisoformat(value) if isinstance(value, str) else value
            out[str(person_id)] = _aware(at)
        return out

    def sweep_mark(self, name: str) -> int:
        row = self._session.get(SweepRow, name)
        return row.last_id if row is not None else 0

    def set_sweep_mark(self, name: str, last_id: int, now: datetime) -> None:
        row = self._session.get(SweepRow, name)
        if row is None:
            self._session.add(SweepRow(name=name, last_id=last_id, updated_at=now))
        else:
            row.last_id, row.updated_at = last_id, now
        self._session.flush()

    def quiet_assessments(
        self, after_id: int, min_score: int, limit: int
    ) -> tuple[list[tuple[int, Assessed]], int]:
        """Assessments after `after_id` of known persons that opened or enriched no warning, scoring at
        least `min_score`, and the id the sweep may move its mark to."""
        upper = int(self._session.scalar(select(func.max(AssessmentRow.id))) or 0)
        stmt = (
            select(AssessmentRow)
            .where(
                AssessmentRow.id > after_id,
                AssessmentRow.id <= upper,
                AssessmentRow.warning_id.is_(None),
                AssessmentRow.person_id.is_not(None),
                AssessmentRow.score >= min_score,
            )
            .order_by(AssessmentRow.id)
            .limit(limit)
        )
        rows = [
            (
                r.id,
                Assessed(
                    str(r.person_id), r.score, False, _fraud_type(r.fraud_type), r.assessed_at, _codes(r)
                ),
            )
            for r in self._session.scalars(stmt)
        ]
        mark = rows[-1][0] if len(rows) >= limit else max(upper, after_id)
        return rows, mark


def _codes(row: AssessmentRow) -> frozenset[str]:
    return frozenset(str(r.get("code")) for r in row.reasons or () if isinstance(r, dict))


def _fraud_type(value: str) -> FraudType:
    return FraudType(value) if value in FraudType.__members__ else FraudType.UNKNOWN


def _aware(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at
