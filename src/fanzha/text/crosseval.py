"""Cross-source evaluation: every model is judged on sources it never trained on.

Sources: the generator families (`gen:city`, `gen:sms`, `gen:chat`; the held-out part of their
templates, a seed unlike the default model's) and, when a datasets directory is given, the research
sets (`telecom_fraud_texts` = texts_5 ∪ texts_8, `teleantifraud_multiagent`).

Rows:
- `fanzha (default)`: the shipped model on every source (every research set is unseen; of the
  families it trained on the city's training part and all of `sms` and `chat`, so these rows are
  not counted as unseen).
- `fanzha −F`: the model's recipe trained on the other families, tested on family F (each in turn):
  a register it never saw.
- `TF-IDF+LR`: the issue's baseline, trained on the research sets (all of them against the
  families; each one against the other research set).
The summary takes, per model, the worst unseen source by ROC-AUC and by recall at 1 % FPR.
In-set results of the research sets use a deterministic 80/20 split by a hash of the text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fanzha.corpus import FAMILIES, Part
from fanzha.detection.text import TextScorer
from fanzha.text.baseline import Baseline
from fanzha.text.data import load_research_set
from fanzha.text.metrics import Report, evaluate
from fanzha.text.train import DEFAULT_SIZES, Example, fit, generated_corpus

EVAL_SEED = 7
EVAL_SIZE = 3000  # texts per family for testing
LOFO_SHARE = 0.4  # share of the default corpus size used to train each leave-one-family-out model
FANZHA, BASELINE = "fanzha", "TF-IDF+LR"


@dataclass(frozen=True)
class Row:
    model: str
    trained_on: str
    tested_on: str
    report: Report


def sources(datasets: Path | None) -> dict[str, list[Example]]:
    found = {
        f"gen:{family}": generated_corpus(EVAL_SEED, {family: EVAL_SIZE}, Part.HELD_OUT, (family,))
        for family in FAMILIES
    }
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
    data: dict[str, list[Example]],
    default: TextScorer,
    progress: Callable[[str], None] = lambda _: None,
    lofo_share: float = LOFO_SHARE,
) -> list[Row]:
    rows = []
    for name, examples in data.items():
        progress(f"default → {name}")
        rows.append(Row(FANZHA, "default", name, evaluate(default, examples)))
    for family in FAMILIES:
        others = [f for f in FAMILIES if f != family]
        progress(f"training without {family}")
        sizes = {f: int(n * lofo_share) for f, n in DEFAULT_SIZES.items()}
        model = fit(generated_corpus(sizes=sizes, families=others))
        rows.append(Row(FANZHA, "−" + family, f"gen:{family}", evaluate(model, data[f"gen:{family}"])))
    research = [name for name in data if not name.startswith("gen:")]
    if research:
        progress("baseline on the research sets")
        everything = Baseline.trained_on([e for name in research for e in split(data[name])[0]])
        for name, examples in data.items():
            held = split(examples)[1] if name in research else examples
            suffix = " (in-set)" if name in research else ""
            rows.append(Row(BASELINE, "research sets", name + suffix, evaluate(everything, held)))
        for name in research if len(research) > 1 else ():
            only = Baseline.trained_on(data[name])
            for other in (r for r in research if r != name):
                rows.append(Row(BASELINE, name, other, evaluate(only, data[other])))
    return rows


def unseen(row: Row) -> bool:
    """Did the row's model never train on anything from the source it is tested on?"""
    if row.tested_on.endswith("(in-set)"):
        return False
    if row.model == BASELINE:
        return row.trained_on != "research sets" or row.tested_on.startswith("gen:")
    return row.trained_on != "default" or not row.tested_on.startswith("gen:")


def auc(report: Report) -> float | None:
    return report.auc


def recall_at_1pct(report: Report) -> float | None:
    return report.recall_at_fpr.get(0.01)


def worst_case(rows: Sequence[Row], measure: Callable[[Report], float | None] = auc) -> dict[str, Row]:
    """Per model, the unseen row with the lowest `measure` (ROC-AUC unless said)."""
    worst: dict[str, Row] = {}
    for row in rows:
        value = measure(row.report)
        if not unseen(row) or value is None:
            continue
        current = worst.get(row.model)
        if current is None or value < (measure(current.report) or 0.0):
            worst[row.model] = row
    return worst
