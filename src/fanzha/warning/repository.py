"""All SQL of warnings: the warning rows (status and owner belong to `workflow_repository.py`), the
names the read side shows beside them, and the shadow policy's virtual warnings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from fanzha.event.codes import FraudType, RiskLevel
from fanzha.store.codec import reason_from_json, reason_to_json
from fanzha.store.tables import AssessmentRow, DeadLetterRow, EventRow, PersonRow, UnitRow, WarningRow
from fanzha.store.tables_lists import ShadowDecisionRow
from fanzha.warning.dedup import ShadowDecision
from fanzha.warning.model import Identity, StoredAssessment, Warning, WarningStatus


def warning_from_row(row: WarningRow) -> Warning:
    return Warning(
        warning_id=row.warning_id,
        subject_key=row.subject_key,
        person_id=row.person_id,
        unit_id=row.unit_id,
        level=RiskLevel(row.level),
        score=row.score,
        fraud_type=FraudType(row.fraud_type),
        status=WarningStatus(row.status),
        reasons=tuple(reason_from_json(r) for r in row.reasons),
        policy_version=row.policy_version,
        created_at=row.created_at,
        updated_at=row.updated_at,
        first_event_id=row.first_event_id,
        last_event_id=row.last_event_id,
        signal_count=row.signal_count,
        propose_stop_payment=row.propose_stop_payment,
    )


def warning_values(warning: Warning) -> dict[str, Any]:
    return {
        "subject_key": warning.subject_key,
        "person_id": warning.person_id,
        "unit_id": warning.unit_id,
        "level": int(warning.level),
        "score": warning.score,
        "fraud_type": warning.fraud_type.value,
        "status": warning.status.value,
        "reasons": [reason_to_json(r) for r in warning.reasons],
        "policy_version": warning.policy_version,
        "created_at": warning.created_at,
        "updated_at": warning.updated_at,
        "first_event_id": warning.first_event_id,
        "last_event_id": warning.last_event_id,
        "signal_count": warning.signal_count,
        "propose_stop_payment": warning.propose_stop_payment,
    }


class WarningRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def open_for(self, subject_key: str) -> Warning | None:
        stmt = select(WarningRow).where(
            WarningRow.subject_key == subject_key, WarningRow.status != WarningStatus.CLOSED.value
        )
        row = self._session.scalars(stmt).one_or_none()
        return warning_from_row(row) if row is not None else None

    def save(self, warning: Warning) -> int:
        values = warning_values(warning)
        if warning.warning_id is None:
            result = self._session.execute(
                insert(WarningRow).values(**values).returning(WarningRow.warning_id)
            )
            return int(result.scalar_one())
        # Status and owner belong to the workflow (workflow_repository.py, version-checked); enrichment
        # must not write back the stale copies it loaded.
        del values["status"], values["unit_id"]
        self._session.execute(
            update(WarningRow).where(WarningRow.warning_id == warning.warning_id).values(**values)
        )
        return warning.warning_id

    def get(self, warning_id: int) -> Warning | None:
        row = self._session.get(WarningRow, warning_id)
        return warning_from_row(row) if row is not None else None

    def list(
        self,
        *,
        open_only: bool = True,
        unit_ids: Iterable[str] | None = None,
        limit: int = 200,
        offset: int = 0,
        max_level: int | None = None,
    ) -> list[Warning]:
        """Warnings, most urgent first: level, then score, then newest."""
        stmt = select(WarningRow)
        if open_only:
            stmt = stmt.where(WarningRow.status != WarningStatus.CLOSED.value)
        if unit_ids is not None:
            stmt = stmt.where(WarningRow.unit_id.in_(list(unit_ids)))
        if max_level is not None:
            stmt = stmt.where(WarningRow.level <= max_level)
        stmt = stmt.order_by(WarningRow.level.desc(), WarningRow.score.desc(), WarningRow.created_at.desc())
        return [warning_from_row(r) for r in self._session.scalars(stmt.limit(limit).offset(offset))]

    def count_by_level(
        self, *, open_only: bool = True, unit_ids: Iterable[str] | None = None, max_level: int | None = None
    ) -> dict[int, int]:
        stmt = select(WarningRow.level, func.count()).group_by(WarningRow.level)
        if open_only:
            stmt = stmt.where(WarningRow.status != WarningStatus.CLOSED.value)
        if unit_ids is not None:
            stmt = stmt.where(WarningRow.unit_id.in_(list(unit_ids)))
        if max_level is not None:
            stmt = stmt.where(WarningRow.level <= max_level)
        return {int(level): int(n) for level, n in self._session.execute(stmt)}

    # the read side: names and assessments beside the warnings ----------------------------------------

    def unit_names(self, unit_ids: Iterable[str | None]) -> dict[str, str]:
        wanted = sorted({i for i in unit_ids if i})
        if not wanted:
            return {}
        stmt = select(UnitRow.unit_id, UnitRow.name).where(UnitRow.unit_id.in_(wanted))
        return {str(u): str(n) for u, n in self._session.execute(stmt)}

    def person_names(self, person_ids: Iterable[str | None]) -> dict[str, str]:
        """Real names, for masking only: the read side never lets them out unmasked."""
        wanted = sorted({i for i in person_ids if i})
        if not wanted:
            return {}
        stmt = select(PersonRow.person_id, PersonRow.name).where(PersonRow.person_id.in_(wanted))
        return {str(p): str(n) for p, n in self._session.execute(stmt)}

    def identity(self, person_id: str) -> Identity | None:
        """The person's name, identity number and address in full (for the audited reveal only)."""
        row = self._session.get(PersonRow, person_id)
        return Identity(row.name, row.id_no, row.address) if row is not None else None

    def assessments(self, warning_id: int) -> tuple[StoredAssessment, ...]:
        """The assessments that raised or updated the warning, oldest first."""
        stmt = select(AssessmentRow).where(AssessmentRow.warning_id == warning_id).order_by(AssessmentRow.id)
        return tuple(
            StoredAssessment(
                id=r.id,
                event_id=r.event_id,
                score=r.score,
                level=RiskLevel(r.level) if r.level is not None else None,
                fraud_type=FraudType(r.fraud_type),
                policy_version=r.policy_version,
                assessed_at=r.assessed_at,
                reasons=tuple(reason_from_json(x) for x in r.reasons),
            )
            for r in self._session.scalars(stmt)
        )

    def pipeline_totals(self) -> tuple[int, int]:
        """(events processed, dead letters): the counters shown above the warnings."""
        events = self._session.scalar(select(func.count()).select_from(EventRow))
        dead = self._session.scalar(select(func.count()).select_from(DeadLetterRow))
        return int(events or 0), int(dead or 0)


class ShadowRepository:
    """Shadow decisions, buffered and written in one insert when the unit of work commits."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._pending: list[dict[str, Any]] = []

    def add(self, decision: ShadowDecision) -> None:
        a = decision.assessment
        self._pending.append(
            {
                "policy_version": a.policy_version,
                "event_id": a.event_id,
                "subject_key": a.subject_key,
                "person_id": a.person_id,
                "score": a.score,
                "level": int(a.level) if a.level is not None else None,
                "fraud_type": a.fraud_type.value,
                "warn": a.warn,
                "opens": decision.opens,
                "raises": decision.raises,
                "propose_stop_payment": a.propose_stop_payment,
                "reasons": [reason_to_json(r) for r in a.reasons],
                "assessed_at": a.assessed_at,
            }
        )

    def flush(self) -> None:
        if self._pending:
            self._session.connection().execute(insert(ShadowDecisionRow), self._pending)
            self._pending = []

    def discard(self) -> None:
        self._pending = []

    def count(self, policy_version: str | None = None) -> int:
        stmt = select(func.count()).select_from(ShadowDecisionRow)
        if policy_version is not None:
            stmt = stmt.where(ShadowDecisionRow.policy_version == policy_version)
        return int(self._session.scalar(stmt) or 0)
