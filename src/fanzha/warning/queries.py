"""The warnings' read side: stored warnings in, frozen masked read models out, once.

Every edge renders these same models: the console's templates, the JSON API (FastAPI serialises the
dataclasses), the CLI and the CSV export. A read goes row → `Warning` (repository) → read model here →
template or JSON; nothing converts them again. Personal data is masked; `reveal` is the one function
that returns it in full, and only its audited routes call it after checking permission, scope and
purpose. `visible_*` apply a principal's need-to-know: unit scope, level ceiling, hidden evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from fanzha.auth.model import MAX_LEVEL, Principal, Purpose, Role, hidden_evidence_key
from fanzha.event.codes import RiskLevel
from fanzha.masking import mask_subject
from fanzha.present import (
    EvidenceValue,
    display_person,
    display_subject,
    evidence_items,
    evidence_label,
    mask_evidence,
    status_label,
)
from fanzha.risk.model import Reason
from fanzha.warning.model import StoredAssessment, Warning
from fanzha.warning.repository import WarningRepository

UNASSIGNED = "未指派"
TOP_REASONS = 3
PERSONAL_KEY_MARKERS = ("account", "phone", "id_no")


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One masked evidence fact in readable form, e.g. 收款账户 ****1234 or 金额 ¥5,000.00."""

    key: str
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class ReasonView:
    code: str
    summary: str
    weight: int
    fraud_type: str
    fraud_type_label: str
    at: datetime
    event_id: str
    evidence: dict[str, EvidenceValue]  # personal identifiers masked
    evidence_text: tuple[EvidenceItem, ...]  # the same evidence, labelled and formatted


@dataclass(frozen=True, slots=True)
class AssessmentView:
    id: int
    event_id: str
    score: int
    level: int | None
    level_label: str | None
    fraud_type: str
    fraud_type_label: str
    policy_version: str
    assessed_at: datetime
    reasons: tuple[ReasonView, ...]


@dataclass(frozen=True, slots=True)
class WarningSummary:
    """A warning as listed: personal data masked, the unit resolved to its name."""

    warning_id: int
    level: int
    level_name: str
    level_label: str
    score: int
    fraud_type: str
    fraud_type_label: str
    status: str
    status_label: str
    subject: str  # the person's masked name, else the masked key
    subject_key_masked: str  # e.g. 手机 138****1234
    person_name_masked: str | None
    unit_id: str | None
    unit_name: str  # the responsible unit's name, its id, or 未指派
    top_reasons: tuple[str, ...]
    signal_count: int
    propose_stop_payment: bool
    policy_version: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class WarningDetail(WarningSummary):
    first_event_id: str
    last_event_id: str
    reasons: tuple[ReasonView, ...]
    assessments: tuple[AssessmentView, ...]


@dataclass(frozen=True, slots=True)
class Health:
    events: int  # events processed
    open_warnings: int
    dead_letters: int
    status: str = "ok"


@dataclass(frozen=True, slots=True)
class LevelCount:
    level: int
    level_name: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Overview:
    """Counters for the console header: open warnings per level and pipeline totals."""

    levels: tuple[LevelCount, ...]
    open_warnings: int
    events: int
    dead_letters: int


def summary_fields(summary: WarningSummary) -> dict[str, Any]:
    """The summary's fields, for read models that extend it (queue items, supervision items)."""
    return {f.name: getattr(summary, f.name) for f in fields(WarningSummary)}


def reason_view(reason: Reason) -> ReasonView:
    return ReasonView(
        code=reason.code,
        summary=reason.summary,
        weight=reason.weight,
        fraud_type=reason.fraud_type.value,
        fraud_type_label=reason.fraud_type.label,
        at=reason.at,
        event_id=reason.event_id,
        evidence=mask_evidence(reason.evidence),
        evidence_text=tuple(
            EvidenceItem(k, label, text) for k, label, text in evidence_items(reason.evidence)
        ),
    )


def top_reasons(reasons: Iterable[Reason], n: int = TOP_REASONS) -> tuple[str, ...]:
    """The summaries of the heaviest reasons, without repeats, heaviest first."""
    seen: list[str] = []
    for reason in sorted(reasons, key=lambda r: r.weight, reverse=True):
        if reason.summary not in seen:
            seen.append(reason.summary)
        if len(seen) == n:
            break
    return tuple(seen)


def _summary(warning: Warning, person_name: str | None, unit_name: str | None) -> WarningSummary:
    if warning.warning_id is None:
        raise ValueError("warning has not been stored")
    return WarningSummary(
        warning_id=warning.warning_id,
        level=int(warning.level),
        level_name=warning.level.name,
        level_label=warning.level.label,
        score=warning.score,
        fraud_type=warning.fraud_type.value,
        fraud_type_label=warning.fraud_type.label,
        status=warning.status.value,
        status_label=status_label(warning.status.value),
        subject=display_subject(warning.subject_key, person_name),
        subject_key_masked=mask_subject(warning.subject_key),
        person_name_masked=display_person(person_name),
        unit_id=warning.unit_id,
        unit_name=unit_name or warning.unit_id or UNASSIGNED,
        top_reasons=top_reasons(warning.reasons),
        signal_count=warning.signal_count,
        propose_stop_payment=warning.propose_stop_payment,
        policy_version=warning.policy_version,
        created_at=warning.created_at,
        updated_at=warning.updated_at,
    )


def summaries(session: Session, warnings: list[Warning]) -> list[WarningSummary]:
    """`warnings` as masked summaries, in the same order."""
    repo = WarningRepository(session)
    people = repo.person_names(w.person_id for w in warnings)
    units = repo.unit_names(w.unit_id for w in warnings)
    return [_summary(w, people.get(w.person_id or ""), units.get(w.unit_id or "")) for w in warnings]


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


def assessment_view(a: StoredAssessment) -> AssessmentView:
    return AssessmentView(
        id=a.id,
        event_id=a.event_id,
        score=a.score,
        level=int(a.level) if a.level is not None else None,
        level_label=a.level.label if a.level is not None else None,
        fraud_type=a.fraud_type.value,
        fraud_type_label=a.fraud_type.label,
        policy_version=a.policy_version,
        assessed_at=a.assessed_at,
        reasons=tuple(reason_view(r) for r in a.reasons),
    )


def get_warning(session: Session, warning_id: int) -> WarningDetail | None:
    """One warning with its reasons and the assessments that fed it, or None."""
    repo = WarningRepository(session)
    warning = repo.get(warning_id)
    if warning is None:
        return None
    person = repo.person_names([warning.person_id]).get(warning.person_id or "")
    summary = _summary(warning, person, repo.unit_names([warning.unit_id]).get(warning.unit_id or ""))
    return WarningDetail(
        **summary_fields(summary),
        first_event_id=warning.first_event_id,
        last_event_id=warning.last_event_id,
        reasons=tuple(reason_view(r) for r in warning.reasons),
        assessments=tuple(assessment_view(a) for a in repo.assessments(warning_id)),
    )


def health(session: Session) -> Health:
    repo = WarningRepository(session)
    events, dead_letters = repo.pipeline_totals()
    return Health(events, sum(repo.count_by_level(open_only=True).values()), dead_letters)


def overview(
    session: Session, *, unit_ids: frozenset[str] | None = None, max_level: int | None = None
) -> Overview:
    repo = WarningRepository(session)
    by_level = repo.count_by_level(open_only=True, unit_ids=unit_ids, max_level=max_level)
    events, dead_letters = repo.pipeline_totals()
    levels = tuple(
        LevelCount(level=int(lvl), level_name=lvl.name, label=lvl.label, count=by_level.get(int(lvl), 0))
        for lvl in sorted(RiskLevel, reverse=True)
    )
    return Overview(levels, sum(by_level.values()), events, dead_letters)


# Need to know: what a principal may see ------------------------------------------------------------


def max_level(principal: Principal) -> int | None:
    try:
        return MAX_LEVEL.get(Role(principal.role))
    except ValueError:
        return 0


def _redact(principal: Principal, reasons: tuple[ReasonView, ...]) -> tuple[ReasonView, ...]:
    return tuple(
        replace(
            r,
            evidence={k: v for k, v in r.evidence.items() if not hidden_evidence_key(principal.role, k)},
            evidence_text=tuple(e for e in r.evidence_text if not hidden_evidence_key(principal.role, e.key)),
        )
        for r in reasons
    )


def for_principal(principal: Principal, detail: WarningDetail) -> WarningDetail:
    """The detail as this role may see it: grid workers get no financial evidence at all."""
    if principal.role != Role.GRID_WORKER:
        return detail
    return replace(
        detail,
        reasons=_redact(principal, detail.reasons),
        assessments=tuple(replace(a, reasons=_redact(principal, a.reasons)) for a in detail.assessments),
        propose_stop_payment=False,
    )


def visible_detail(
    session: Session, principal: Principal, warning_id: int
) -> tuple[WarningDetail | None, bool]:
    """(detail, exists): the detail if the principal may see it; `exists` tells a probe from a miss."""
    detail = get_warning(session, warning_id)
    if detail is None:
        return None, False
    if not principal.can_see(detail.unit_id) or not principal.can_see_level(detail.level):
        return None, True
    return for_principal(principal, detail), True


def visible_list(
    session: Session, principal: Principal, *, open_only: bool, limit: int, offset: int
) -> list[WarningSummary]:
    return list_warnings(
        session,
        open_only=open_only,
        limit=limit,
        offset=offset,
        unit_ids=principal.unit_scope,
        max_level=max_level(principal),
    )


def visible_overview(session: Session, principal: Principal) -> Overview:
    return overview(session, unit_ids=principal.unit_scope, max_level=max_level(principal))


# The audited reveal ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RevealedItem:
    field: str
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Revealed:
    """Personal data of one warning, in full. Every value of this shape is an audited reveal."""

    warning_id: int
    purpose: str
    items: tuple[RevealedItem, ...]

    @property
    def fields(self) -> list[str]:
        return [item.field for item in self.items]


def _personal(key: str) -> bool:
    lowered = key.lower()
    return any(marker in lowered for marker in PERSONAL_KEY_MARKERS)


def reveal(session: Session, principal: Principal, warning_id: int, purpose: Purpose) -> Revealed:
    """The warning's personal data in full (the caller has checked permission and scope)."""
    repo = WarningRepository(session)
    warning = repo.get(warning_id)
    if warning is None:
        raise LookupError(warning_id)
    items: list[RevealedItem] = []
    person = repo.identity(warning.person_id) if warning.person_id else None
    if person is not None:
        items.append(RevealedItem("person.name", "姓名", person.name))
        if person.id_no:
            items.append(RevealedItem("person.id_no", "身份证号", person.id_no))
        if person.address:
            items.append(RevealedItem("person.address", "住址", person.address))
    kind, _, value = warning.subject_key.partition(":")
    items.append(RevealedItem(f"subject.{kind}", evidence_label(kind), value))
    seen: set[tuple[str, str]] = set()
    for reason in warning.reasons:
        for key, raw in reason.evidence.items():
            if not _personal(key) or hidden_evidence_key(principal.role, key) or (key, str(raw)) in seen:
                continue
            seen.add((key, str(raw)))
            items.append(RevealedItem(f"evidence.{key}", evidence_label(key), str(raw)))
    return Revealed(warning_id, purpose.value, tuple(items))
