"""All SQL of the indicator lists: imports and building the in-memory lists.

A row with the same kind, value and source as a stored one replaces it (the CSV format:
`stream/lists_csv.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, tuple_
from sqlalchemy.orm import Session

from fanzha.detection.lists import IndicatorLists, ListBuilder, normalise
from fanzha.event.codes import FraudType, IndicatorKind
from fanzha.event.entities import Indicator
from fanzha.store.tables import IndicatorRow
from fanzha.store.tables_lists import ListImportRow

CHUNK = 2000


class ListRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def upsert(self, indicators: Iterable[Indicator]) -> int:
        """Store `indicators`, replacing stored rows with the same kind, value and source."""
        stored = 0
        chunk: dict[tuple[str, str, str], dict[str, Any]] = {}
        for indicator in indicators:
            values = indicator_values(indicator)
            chunk[(values["kind"], values["value"], values["source"])] = values
            if len(chunk) >= CHUNK:
                stored += self._write(chunk)
                chunk = {}
        return stored + (self._write(chunk) if chunk else 0)

    def _write(self, chunk: dict[tuple[str, str, str], dict[str, Any]]) -> int:
        keys = list(chunk)
        self._session.execute(
            delete(IndicatorRow).where(
                tuple_(IndicatorRow.kind, IndicatorRow.value, IndicatorRow.source).in_(keys)
            )
        )
        self._session.execute(insert(IndicatorRow), list(chunk.values()))
        return len(chunk)

    def record_import(
        self, *, file_name: str, source: str | None, read: int, stored: int, rejected: int
    ) -> None:
        self._session.add(
            ListImportRow(
                file_name=file_name[:255],
                source=source,
                rows_read=read,
                rows_stored=stored,
                rows_rejected=rejected,
                imported_at=datetime.now(UTC),
            )
        )

    def count_by_kind(self) -> dict[str, int]:
        stmt = select(IndicatorRow.kind, func.count()).group_by(IndicatorRow.kind)
        return {str(kind): int(n) for kind, n in self._session.execute(stmt)}

    def load(self) -> IndicatorLists:
        """Build the in-memory lists from every stored row (streamed, so memory holds only the arrays)."""
        builder = ListBuilder()
        cols = (
            IndicatorRow.kind,
            IndicatorRow.value,
            IndicatorRow.source,
            IndicatorRow.fraud_type,
            IndicatorRow.listed_at,
            IndicatorRow.expires_at,
        )
        kinds = {k.value: k for k in IndicatorKind}
        types = {t.value: t for t in FraudType}
        result = self._session.execute(select(*cols).execution_options(yield_per=50_000))
        for kind, value, source, fraud_type, listed_at, expires_at in result:
            builder.add(
                kinds[kind],
                value,
                source=source,
                fraud_type=types.get(fraud_type, FraudType.UNKNOWN),
                listed_at=listed_at,
                expires_at=expires_at,
                normalised=True,
            )
        return builder.build()


def indicator_values(indicator: Indicator) -> dict[str, Any]:
    return {
        "kind": indicator.kind.value,
        "value": normalise(indicator.kind, indicator.value)[:2048],
        "source": indicator.source,
        "fraud_type": indicator.fraud_type.value,
        "listed_at": indicator.listed_at,
        "expires_at": indicator.expires_at,
    }
