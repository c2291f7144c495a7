"""Read-side queries of the web layer: store records in, masked response models out."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanzha.event.codes import FraudType, RiskLevel
from fanzha.masking import mask_subject
from fanzha.risk.model import Reason
from fanzha.store.codec import reason_from_json
from fanzha.store.repositories import AssessmentRepository, DeadLetterRepository, EventRepository
from fanzha.store.tables import AssessmentRow, PersonRow, UnitRow
from fanzha.warning.model import Warning
from fanzha.warning.repository import WarningRepository
from fanzha.web.present import (
    display_person,
    display_subject,
    evidence_items,
    mask_evidence,
    status_label,
)
from fanzha.web.schemas import (
    AssessmentOut,
    EvidenceItem,
    Health,
    LevelCount,
    Overview,
    ReasonOut,
    WarningDetail,
    WarningSummary,
)

UNASSIGNED = "未指派"
TOP_REASONS = 3


def _unit_names(session: Session, unit_ids: Iterable[str | None]) -> dict[str, str]:
    wanted = sorted({i for i in unit_ids if i})
    if not wanted:
        return {}
    stmt = select(UnitRow.unit_id, UnitRow.name).where(UnitRow.unit_id.in_(wanted))
    return dict(session.execute(stmt).all())


def _person_names(session: Session, person_ids: Iterable[str | None]) -> dict[str, str]:
    """Real names, for masking only: they never leave this module unmasked."""
    wanted = sorted({i for i in person_ids if i})
    if not wanted:
        return {}
    stmt = select(PersonRow.person_id, PersonRow.name).where(PersonRow.person_id.in_(wanted))
    return dict(session.execute(stmt).all())


def _summary(warning: Warning, people: dict[str, str], units: dict[str, str]) -> dict[str, object]:
    person_name = people.get(warning.person_id) if warning.person_id else None
    unit_name = units.get(warning.unit_id) if warning.unit_id else None
    return _summary_fields(warning, person_name, unit_name)


def reason_out(reason: Reason) -> ReasonOut:
    return ReasonOut(
        code=reason.code,
        summary=reason.summary,
        weight=reason.weight,
        fraud_type=reason.fraud_type.value,
        fraud_type_label=reason.fraud_type.label,
        at=reason.at,
        event_id=reason.event_id,
        evidence=mask_evidence(reason.evidence),
        evidence_text=[
            EvidenceItem(key=key, label=label, text=text)
            for key, label, text in evidence_items(reason.evidence)
        ],
    )


def top_reasons(reasons: Iterable[Reason], n: int = TOP_REASONS) -> list[str]:
    """The summaries of the heaviest reasons, without repeats, heaviest first."""
    seen: list[str] = []
    for reason in sorted(reasons, key=lambda r: r.weight, reverse=True):
        if reason.summary not in seen:
            seen.append(reason.summary)
        if len(seen) == n:
            break
    return seen


def _summary_fields(warning: Warning, person_name: str | None, unit_name: str | None) -> dict[str, object]:
    if warning.warning_id is None:
        raise ValueError("warning has not been stored")
    return {
        "warning_id": warning.warning_id,
        "level": int(warning.level),
        "level_name": warning.level.name,
        "level_label": warning.level.label,
        "score": warning.score,
        "fraud_type": warning.fraud_type.value,
        "fraud_type_label": warning.fraud_type.label,
        "status": warning.status.value,
        "status_label": status_label(warning.status.value),
        "subject": display_subject(warning.subject_key, person_name),
        "subject_key_masked": mask_subject(warning.subject_key),
        "person_name_masked": display_person(person_name),
        "unit_id": warning.unit_id,
        "unit_name": unit_name or warning.unit_id or UNASSIGNED,
        "top_reasons": top_reasons(warning.reasons),
        "signal_count": warning.signal_count,
        "propose_stop_payment": warning.propose_stop_payment,
        "policy_version": warning.policy_version,
        "created_at": warning.created_at,
        "updated_at": warning.updated_at,
    }


def list_warnings(
    session: Session,
    *,
    open_only: bool,
    limit: int,
    offset: int,
    unit_ids: frozenset[str] | None = None,
    max_level: int | None = None,
) -> list[WarningSummary]:
    """Warnings, most urgent first, masked and with unit names resolved; `unit_ids` None means all."""
    warnings = WarningRepository(session).list(
        open_only=open_only, limit=limit, offset=offset, unit_ids=unit_ids, max_level=max_level
    )
    return summaries(session, warnings)


def summaries(session: Session, warnings: list[Warning]) -> list[WarningSummary]:
    """`warnings` as masked summaries, in the same order."""
    people = _person_names(session, (w.person_id for w in warnings))
    units = _unit_names(session, (w.unit_id for w in warnings))
    return [WarningSummary.model_validate(_summary(w, people, units)) for w in warnings]


def assessment_out(row: AssessmentRow) -> AssessmentOut:
    level = RiskLevel(row.level) if row.level is not None else None
    fraud_type = FraudType(row.fraud_type)
    return AssessmentOut(
        id=row.id,
        event_id=row.event_id,
        score=row.score,
        level=int(level) if level is not None else None,
        level_label=level.label if level is not None else None,
        fraud_type=fraud_type.value,
        fraud_type_label=fraud_type.label,
        policy_version=row.policy_version,
        assessed_at=row.assessed_at,
        reasons=[reason_out(reason_from_json(r)) for r in row.reasons],
    )


def get_warning(session: Session, warning_id: int) -> WarningDetail | None:
    """One warning with its reasons and the assessments that fed it, or None."""
    warning = WarningRepository(session).get(warning_id)
    if warning is None:
        return None
    fields = _summary(
        warning, _person_names(session, [warning.person_id]), _unit_names(session, [warning.unit_id])
    )
    assessments = AssessmentRepository(session).for_warning(warning_id)
    return WarningDetail.model_validate(
        {
            **fields,
            "first_event_id": warning.first_event_id,
            "last_event_id": warning.last_event_id,
            "reasons": [reason_out(r) for r in warning.reasons],
            "assessments": [assessment_out(a) for a in assessments],
        }
    )


def health(session: Session) -> Health:
    open_warnings = sum(WarningRepository(session).count_by_level(open_only=True).values())
    return Health(
        events=EventRepository(session).count(),
        open_warnings=open_warnings,
        dead_letters=DeadLetterRepository(session).count(),
    )


def overview(
    session: Session, *, unit_ids: frozenset[str] | None = None, max_level: int | None = None
) -> Overview:
    by_level = WarningRepository(session).count_by_level(
        open_only=True, unit_ids=unit_ids, max_level=max_level
    )
    levels = [
        LevelCount(level=int(lvl), level_name=lvl.name, label=lvl.label, count=by_level.get(int(lvl), 0))
        for lvl in sorted(RiskLevel, reverse=True)
    ]
    return Overview(
        levels=levels,
        open_warnings=sum(by_level.values()),
        events=EventRepository(session).count(),
        dead_letters=DeadLetterRepository(session).count(),
    )
