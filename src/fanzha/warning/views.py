"""What a person takes away: the masked warnings list as CSV (spreadsheets read it as Chinese)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from fanzha.present import format_time
from fanzha.warning.queries import WarningSummary

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
