"""Cross-source evaluation: train on one source, test on another, beside in-set results.

Sources: `sim` (the generator, with a seed unlike the default model's), and the research sets found
under a datasets directory (`telecom_fraud_texts` = texts_5 ∪ texts_8, `teleantifraud_multiagent`).
In-set results use a deterministic 80/20 split by a hash of the text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fanzha.detection.text import TextScorer
from fanzha.text.data import load_research_set
from fanzha.text.metrics import Report, evaluate
from fanzha.text.train import Example, fit, generated_corpus

SIM_EVAL_SEED = 7


@dataclass(frozen=True)
class Row:
    trained_on: str
    tested_on: str
    report: Report


def sources(datasets: Path | None) -> dict[str, list[Example]]:
    found = {"sim": generated_corpus(SIM_EVAL_SEED, per_type=400, per_topic=600)}
    if datasets is None:
        return found
    tft = [d for d in ("telecom_fraud_texts_5", "telecom_fraud_texts_8") if (datasets / d).is_dir()]
    if tft:
        seen: dict[str, Example] = {}
        for name in tft:
            for example in load_research_set(datasets / name).examples:
                seen.setdefault(example.text, example)
        found["telecom_fraud_texts"] = list(seen.values())
    if (datasets / "teleantifraud_multiagent").is_dir():
        found["teleantifraud_multiagent"] = load_research_set(datasets / "teleantifraud_multiagent").examples
    return found


def split(examples: Sequence[Example]) -> tuple[list[Example], list[Example]]:
    """(train 80 %, test 20 %) by a hash of the text: stable across runs and machines."""
    train: list[Example] = []
    test: list[Example] = []
    for example in examples:
        bucket = hashlib.sha256(example.text.encode("utf-8")).digest()[0] % 5
        (test if bucket == 0 else train).append(example)
    return train, test


def crosseval(
    data: dict[str, list[Example]], default: TextScorer, progress: Callable[[str], None] = lambda _: None
) -> list[Row]:
    rows = []
    for name, examples in data.items():
        progress(f"default → {name}")
        rows.append(Row("default", name, evaluate(default, examples)))
    for trained_on, examples in data.items():
        train, test = split(examples)
        if len({e.label is None for e in train}) < 2:
            continue
        progress(f"training on {trained_on}")
        model = fit(train)
        for tested_on, other in data.items():
            progress(f"{trained_on} → {tested_on}")
            held_out = test if tested_on == trained_on else other
            rows.append(
                Row(
                    trained_on,
                    tested_on + (" (in-set)" if tested_on == trained_on else ""),
                    evaluate(model, held_out),
                )
            )
    return rows
