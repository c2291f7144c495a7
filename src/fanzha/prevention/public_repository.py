"""All SQL of the citizen self-check (an exact lookup in the indicator lists, counts per day) and of
citizen reports. `RecordsRepository` (`uow.publicity`) inherits it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from fanzha.event.codes import FraudType, IndicatorKind
from fanzha.prevention.model import CitizenReport, ReportKind, ReportStatus
from fanzha.store.tables import IndicatorRow
from fanzha.store.tables_prevention import CitizenReportRow, SelfCheckCountRow


def _report(r: CitizenReportRow) -> CitizenReport:
    return CitizenReport(
        report_id=r.id,
        kind=ReportKind(r.kind),
        value=r.value,
        fraud_type=FraudType(r.fraud_type) if r.fraud_type in FraudType.__members__ else FraudType.UNKNOWN,
        description=r.description,
        status=ReportStatus(r.status),
        received_at=r.received_at,
        reviewed_by=r.reviewed_by,
        reviewed_at=r.reviewed_at,
        review_note=r.review_note,
    )


class PublicRecords:
    _session: Session

    # Self-check --------------------------------------------------------------------------------------
    def listed_type(self, kind: IndicatorKind, value: str, now: datetime) -> FraudType | None:
        """The fraud type of an active list entry matching `value` exactly, or None."""
        stmt = select(IndicatorRow.fraud_type).where(
            IndicatorRow.kind == kind.value,
            IndicatorRow.value == value,
            or_(IndicatorRow.listed_at.is_(None), IndicatorRow.listed_at <= now),
            or_(IndicatorRow.expires_at.is_(None), IndicatorRow.expires_at > now),
        )
        types = [
            FraudType(t) if t in FraudType.__members__ else FraudType.UNKNOWN
            for t in self._session.scalars(stmt)
        ]
        if not types:
            return None
        return next((t for t in types if t is not FraudType.UNKNOWN), FraudType.UNKNOWN)

    def count_check(self, day: date, kind: str, verdict: str) -> None:
        module = postgresql if self._session.get_bind().dialect.name == "postgresql" else sqlite
        stmt = module.insert(SelfCheckCountRow).values(day=day, kind=kind, verdict=verdict, count=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=["day", "kind", "verdict"], set_={"count": SelfCheckCountRow.count + 1}
        )
        self._session.execute(stmt)

    def check_counts(self, since: date) -> list[tuple[date, str, str, int]]:
        stmt = (
            select(
                SelfCheckCountRow.day,
                SelfCheckCountRow.kind,
                SelfCheckCountRow.verdict,
                SelfCheckCountRow.count,
            )
            .where(SelfCheckCountRow.day >= since)
            .order_by(SelfCheckCountRow.day.desc(), SelfCheckCountRow.kind, SelfCheckCountRow.verdict)
        )
        return [(d, str(k), str(v), int(n)) for d, k, v, n in self._session.execute(stmt)]

    # Citizen reports ---------------------------------------------------------------------------------
    def add_report(
        self, *, kind: ReportKind, value: str, fraud_type: FraudType, description: str, now: datetime
    ) -> int:
        row = CitizenReportRow(
            kind=kind.value,
            value=value[:300],
            fraud_type=fraud_type.value,
            description=description,
            status=ReportStatus.NEW.value,
            received_at=now,
            review_note="",
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def report(self, report_id: int) -> CitizenReport | None:
        row = self._session.get(CitizenReportRow, report_id)
        return _report(row) if row is not None else None

    def reports(self, status: ReportStatus | None, limit: int = 200) -> list[CitizenReport]:
        stmt = select(CitizenReportRow).order_by(CitizenReportRow.id.desc()).limit(limit)
        if status is not None:
            stmt = stmt.where(CitizenReportRow.status == status.value)
        return [_report(r) for r in self._session.scalars(stmt)]

    def settle_report(
        self,
        report_id: int,
        *,
        status: ReportStatus,
        fraud_type: FraudType,
        reviewer: str,
        note: str,
        now: datetime,
    ) -> bool:
        """Settle a NEW report; False if it was settled already (someone reviewed it first)."""
        result = self._session.execute(
            update(CitizenReportRow)
            .where(CitizenReportRow.id == report_id, CitizenReportRow.status == ReportStatus.NEW.value)
            .values(
                status=status.value,
                fraud_type=fraud_type.value,
                reviewed_by=reviewer,
                reviewed_at=now,
                review_note=note[:500],
            )
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]
