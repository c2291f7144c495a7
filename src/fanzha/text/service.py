"""Score JSONL records: one output line per input line, errors per line, the rest still scored."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from fanzha.detection.text import TextScorer, TextVerdict
from fanzha.text.metrics import NORMAL


def verdict_record(record_id: object, verdict: TextVerdict) -> dict[str, Any]:
    types = {t.value: round(p, 4) for t, p in verdict.type_probabilities}
    return {
        "id": record_id,
        "fraud_probability": round(verdict.probability, 4),
        "fraud_type": verdict.fraud_type.value if verdict.fraud_type else NORMAL,
        "fraud_type_label": verdict.fraud_type.label if verdict.fraud_type else NORMAL,
        "type_probabilities": {NORMAL: round(1 - verdict.probability, 4), **types},
        "cues": list(verdict.cues),
    }


def score_record(line: str, scorer: TextScorer) -> dict[str, Any]:
    """One input line → its result, or `{"id", "error"}` naming what is wrong (never the content)."""
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
    return verdict_record(record_id, scorer.score(text))


def score_lines(lines: Iterable[str], scorer: TextScorer) -> Iterator[dict[str, Any]]:
    for line in lines:
        if line.strip():
            yield score_record(line, scorer)
        else:
            yield {"id": None, "error": "empty line"}
