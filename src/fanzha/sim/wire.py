"""Events as columns: one wide frame per chunk, in the wire format of `fanzha.event.model`.

While a day is built, time is an integer `ts` (Unix seconds); on the way out it becomes an aware
`occurred_at` (a timestamp in Parquet, ISO 8601 with +08:00 in JSONL and in the in-memory dicts).
A column that does not apply to a kind is null; the parser treats null as absent.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import polars as pl

TZ = "Asia/Shanghai"
CST = timezone(timedelta(hours=8), "CST")  # the same offset, for Python datetimes
SCHEMA: dict[str, pl.DataType] = {
    "ts": pl.Int64(),
    "kind": pl.String(),
    "event_id": pl.String(),
    "person_id": pl.String(),
    "payer_account": pl.String(),
    "payee_account": pl.String(),
    "amount_fen": pl.Int64(),
    "payee_name": pl.String(),
    "channel": pl.String(),
    "phone": pl.String(),
    "counterpart": pl.String(),
    "direction": pl.String(),
    "duration_s": pl.Int64(),
    "transcript": pl.String(),
    "platform": pl.String(),
    "group_id": pl.String(),
    "new_contact": pl.Boolean(),
    "text": pl.String(),
    "app_name": pl.String(),
    "package": pl.String(),
    "app_hash": pl.String(),
    "category": pl.String(),
    "url": pl.String(),
    "source": pl.String(),
    "source_ref": pl.String(),
    "account": pl.String(),
    "level": pl.String(),
    "fraud_type": pl.String(),
    "note": pl.String(),
}
OUTPUT_COLUMNS = [
    "kind",
    "event_id",
    "occurred_at",
    *[c for c in SCHEMA if c not in {"ts", "kind", "event_id"}],
]


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with every wire column, in order and typed; missing columns are null."""
    return frame.select(
        [
            pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype=dtype).alias(name)
            for name, dtype in SCHEMA.items()
        ]
    )


def from_records(records: list[dict[str, Any]]) -> pl.DataFrame:
    """A conformed frame from record dicts that carry `ts` and wire fields."""
    if not records:
        return conform(pl.DataFrame(schema={"ts": pl.Int64()}))
    return conform(pl.DataFrame(records, schema={k: SCHEMA[k] for k in _keys(records)}))


def _keys(records: list[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for record in records:
        seen.update(dict.fromkeys(record))
    return [k for k in SCHEMA if k in seen]


def for_output(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame as written: `occurred_at` a timestamp in the city's zone, no `ts`."""
    at = pl.from_epoch("ts", "s").dt.replace_time_zone("UTC").dt.convert_time_zone(TZ).alias("occurred_at")
    return frame.with_columns(at).select(OUTPUT_COLUMNS)


def to_dicts(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Wire-format dicts (no null fields; `occurred_at` ISO 8601 with offset), as in JSONL."""
    out = for_output(frame).with_columns(pl.col("occurred_at").dt.strftime("%Y-%m-%dT%H:%M:%S%:z"))
    return [{k: v for k, v in row.items() if v is not None} for row in out.iter_rows(named=True)]


def epoch(at: datetime) -> int:
    return int(at.timestamp())
