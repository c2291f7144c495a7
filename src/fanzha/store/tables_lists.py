"""Tables of the detection area: list imports (provenance of indicator lists) and shadow decisions.

Indicator entries themselves live in `indicators` (store/tables.py), which gained `expires_at`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fanzha.store.tables import Base, UTCDateTime


class ListImportRow(Base):
    """One CSV import into the indicator lists: what came from where, and how much was kept."""

    __tablename__ = "list_imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    file_name: Mapped[str] = mapped_column(String(255))
    source: Mapped[str | None] = mapped_column(String(60))
    rows_read: Mapped[int] = mapped_column(Integer)
    rows_stored: Mapped[int] = mapped_column(Integer)
    rows_rejected: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ShadowDecisionRow(Base):
    """What a candidate policy would have done with one assessment; never dispatched."""

    __tablename__ = "shadow_decisions"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    policy_version: Mapped[str] = mapped_column(String(40), index=True)
    event_id: Mapped[str] = mapped_column(String(64), index=True)
    subject_key: Mapped[str] = mapped_column(String(80))
    person_id: Mapped[str | None] = mapped_column(String(64))
    score: Mapped[int] = mapped_column(Integer)
    level: Mapped[int | None] = mapped_column(Integer)
    fraud_type: Mapped[str] = mapped_column(String(32))
    warn: Mapped[bool] = mapped_column(Boolean)
    opens: Mapped[bool] = mapped_column(Boolean)
    raises: Mapped[bool] = mapped_column(Boolean)
    propose_stop_payment: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime())
