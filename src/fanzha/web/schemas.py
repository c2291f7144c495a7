"""Response models of the JSON API; the console renders the same (already masked) models."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

EvidenceValue = str | int


class Health(BaseModel):
    status: str = "ok"
    events: int = Field(description="events processed")
    open_warnings: int
    dead_letters: int


class EvidenceItem(BaseModel):
    """One masked evidence fact in readable form, e.g. 收款账户 ****1234 or 金额 ¥5,000.00."""

    key: str
    label: str
    text: str


class ReasonOut(BaseModel):
    code: str
    summary: str
    weight: int
    fraud_type: str
    fraud_type_label: str
    at: datetime
    event_id: str
    evidence: dict[str, EvidenceValue] = Field(description="evidence with personal identifiers masked")
    evidence_text: list[EvidenceItem] = Field(description="the same evidence, labelled and formatted")


class AssessmentOut(BaseModel):
    id: int
    event_id: str
    score: int
    level: int | None
    level_label: str | None
    fraud_type: str
    fraud_type_label: str
    policy_version: str
    assessed_at: datetime
    reasons: list[ReasonOut]


class WarningSummary(BaseModel):
    """A warning as listed: personal data masked, unit resolved to its name."""

    model_config = ConfigDict(frozen=True)

    warning_id: int
    level: int
    level_name: str
    level_label: str
    score: int
    fraud_type: str
    fraud_type_label: str
    status: str
    status_label: str
    subject: str = Field(description="masked subject: the person's masked name, else the masked key")
    subject_key_masked: str = Field(description="masked subject key, e.g. 手机 138****1234")
    person_name_masked: str | None
    unit_id: str | None
    unit_name: str = Field(description="name of the responsible unit, its id, or 未指派")
    top_reasons: list[str]
    signal_count: int
    propose_stop_payment: bool
    policy_version: str
    created_at: datetime
    updated_at: datetime


class WarningDetail(WarningSummary):
    first_event_id: str
    last_event_id: str
    reasons: list[ReasonOut]
    assessments: list[AssessmentOut]


class ErrorOut(BaseModel):
    detail: str


class LevelCount(BaseModel):
    level: int
    level_name: str
    label: str
    count: int


class Overview(BaseModel):
    """Counters for the console header: open warnings per level and pipeline totals."""

    levels: list[LevelCount]
    open_warnings: int
    events: int
    dead_letters: int
