"""Need-to-know on the read side: which warnings a principal sees, which fields, and the audited reveal.

Everything leaves masked (`web.queries`); `reveal` is the one function that returns personal data in
full, and only its routes call it, after checking the permission, the unit scope and the purpose.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from fanzha.auth.model import MAX_LEVEL, Principal, Purpose, Role, hidden_evidence_key
from fanzha.store.tables import PersonRow
from fanzha.warning.repository import WarningRepository
from fanzha.web import queries
from fanzha.web.present import evidence_label, format_time
from fanzha.web.schemas import ReasonOut, WarningDetail, WarningSummary

PERSONAL_KEY_MARKERS = ("account", "phone", "id_no")


class PurposeIn(BaseModel):
    purpose: Purpose = Field(description="why the data is needed; recorded in the audit log")


class RevealedItem(BaseModel):
    field: str
    label: str
    value: str


class RevealOut(BaseModel):
    """Personal data of one warning, in full. Every response of this shape is an audited reveal."""

    warning_id: int
    purpose: str
    items: list[RevealedItem]

    @property
    def fields(self) -> list[str]:
        return [item.field for item in self.items]


def max_level(principal: Principal) -> int | None:
    try:
        return MAX_LEVEL.get(Role(principal.role))
    except ValueError:
        return 0


def _redact_reasons(principal: Principal, reasons: Sequence[ReasonOut]) -> list[ReasonOut]:
    out = []
    for reason in reasons:
        evidence = {k: v for k, v in reason.evidence.items() if not hidden_evidence_key(principal.role, k)}
        text = [e for e in reason.evidence_text if not hidden_evidence_key(principal.role, e.key)]
        out.append(reason.model_copy(update={"evidence": evidence, "evidence_text": text}))
    return out


def for_principal(principal: Principal, detail: WarningDetail) -> WarningDetail:
    """The detail as this role may see it: grid workers get no financial evidence at all."""
    if principal.role != Role.GRID_WORKER:
        return detail
    return detail.model_copy(
        update={
            "reasons": _redact_reasons(principal, detail.reasons),
            "assessments": [
                a.model_copy(update={"reasons": _redact_reasons(principal, a.reasons)})
                for a in detail.assessments
            ],
            "propose_stop_payment": False,
        }
    )


def visible_detail(
    session: Session, principal: Principal, warning_id: int
) -> tuple[WarningDetail | None, bool]:
    """(detail, exists): the detail if the principal may see it; `exists` tells a probe from a miss."""
    detail = queries.get_warning(session, warning_id)
    if detail is None:
        return None, False
    if not principal.can_see(detail.unit_id) or not principal.can_see_level(detail.level):
        return None, True
    return for_principal(principal, detail), True


def visible_list(
    session: Session, principal: Principal, *, open_only: bool, limit: int, offset: int
) -> list[WarningSummary]:
    return queries.list_warnings(
        session,
        open_only=open_only,
        limit=limit,
        offset=offset,
        unit_ids=principal.unit_scope,
        max_level=max_level(principal),
    )


def _personal(key: str) -> bool:
    lowered = key.lower()
    return any(marker in lowered for marker in PERSONAL_KEY_MARKERS)


def reveal(session: Session, principal: Principal, warning_id: int, purpose: Purpose) -> RevealOut:
    """The warning's personal data in full (the caller has checked permission and scope)."""
    warning = WarningRepository(session).get(warning_id)
    if warning is None:
        raise LookupError(warning_id)
    items: list[RevealedItem] = []
    person = session.get(PersonRow, warning.person_id) if warning.person_id else None
    if person is not None:
        items.append(RevealedItem(field="person.name", label="姓名", value=person.name))
        if person.id_no:
            items.append(RevealedItem(field="person.id_no", label="身份证号", value=person.id_no))
        if person.address:
            items.append(RevealedItem(field="person.address", label="住址", value=person.address))
    kind, _, value = warning.subject_key.partition(":")
    items.append(RevealedItem(field=f"subject.{kind}", label=evidence_label(kind), value=value))
    seen: set[tuple[str, str]] = set()
    for reason in warning.reasons:
        for key, raw in reason.evidence.items():
            if not _personal(key) or hidden_evidence_key(principal.role, key) or (key, str(raw)) in seen:
                continue
            seen.add((key, str(raw)))
            items.append(RevealedItem(field=f"evidence.{key}", label=evidence_label(key), value=str(raw)))
    return RevealOut(warning_id=warning_id, purpose=purpose.value, items=items)


EXPORT_COLUMNS = (
    ("warning_id", "编号"),
    ("level_label", "风险等级"),
    ("score", "分值"),
    ("fraud_type_label", "诈骗类型"),
    ("status_label", "状态"),
    ("subject", "预警对象（脱敏）"),
    ("subject_key_masked", "标识（脱敏）"),
    ("unit_name", "责任单位"),
    ("top_reasons", "主要原因"),
    ("created_at", "创建时间"),
)


def _cell(value: object) -> object:
    """Neutralise text a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_csv(warnings: Sequence[WarningSummary]) -> str:
    """The list as CSV (UTF-8 with BOM so spreadsheet programs read the Chinese), masked like the list."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([label for _, label in EXPORT_COLUMNS])
    for w in warnings:
        writer.writerow(
            _cell(v)
            for v in [
                w.warning_id,
                w.level_label,
                w.score,
                w.fraud_type_label,
                w.status_label,
                w.subject,
                w.subject_key_masked,
                w.unit_name,
                "；".join(w.top_reasons),
                format_time(w.created_at),
            ]
        )
    return buffer.getvalue()
