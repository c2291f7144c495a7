"""Score JSONL records: one output line per input line, errors per line, the rest still scored."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, Protocol

from fanzha.detection.text import TextVerdict
from fanzha.text.metrics import NORMAL


class BatchScorer(Protocol):
    def score_many(self, texts: Sequence[str]) -> list[TextVerdict]: ...


def verdict_record(record_id: object, verdict: TextVerdict) -> dict[str, Any]:
    types = {t.value: round(p, 4) for t, p in verdict.type_probabilities}
    return {
        "id": record_id,
        "fraud_probability": round(verdict.probability, 4),
        "fraud_type": verdict.fraud_type.value if verdict.fraud_type else NORMAL,
        "fraud_type_label": verdict.fraud_type.label if verdict.fraud_type else NORMAL,
        "category": verdict.category,
        "spam_probability": round(verdict.spam_probability, 4),
        "type_probabilities": {NORMAL: round(1 - verdict.probability, 4), **types},  # 正常: not fraud
        "cues": list(verdict.cues),
    }


def parse_record(line: str) -> tuple[object, str] | dict[str, Any]:
    """One input line → (id, text), or `{"id", "error"}` naming what is wrong (never the content)."""
    if not line.strip():
        return {"id": None, "error": "empty line"}
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return {"id": None, "error": "not valid JSON"}
    if not isinstance(record, dict):
        return {"id": None, "error": "not a JSON object"}
    record_id, text = record.get("id"), record.get("text")
    if not isinstance(text, str):
        return {"id": record_id, "error": "text is missing or not a string"}
    if not text.strip():
        return {"id": record_id, "error": "text is empty"}
    return record_id, text


def score_lines(
    lines: Iterable[str], scorer: BatchScorer, batch_size: int = 1000
) -> Iterator[dict[str, Any]]:
    """One result per line, in order; the valid lines of each `batch_size` lines scored as one batch."""
    source = iter(lines)
    while chunk := [parse_record(line) for line in islice(source, batch_size)]:
        valid = [parsed for parsed in chunk if isinstance(parsed, tuple)]
        verdicts = iter(scorer.score_many([text for _, text in valid]))
        for parsed in chunk:
            yield verdict_record(parsed[0], next(verdicts)) if isinstance(parsed, tuple) else parsed
