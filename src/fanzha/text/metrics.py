"""Evaluation: per-type precision/recall/F1, ROC-AUC for fraud vs not, recall at fixed false-positive
rates, the false-positive rate at the detector's thresholds, and a confusion matrix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fanzha.detection.text import TextScorer, TextVerdict
from fanzha.event.codes import FraudType

if TYPE_CHECKING:  # training pulls in SciPy; scoring (and `fanzha text score`) must not
    from fanzha.text.train import Example

NORMAL = "正常"
FRAUD_LINE = 0.5  # a text is called fraud at or above this probability (accuracy)
DETECTOR_THRESHOLDS = (0.7, 0.9)  # FraudText's [DESIGN] defaults: FRAUD_TEXT, FRAUD_TEXT_HIGH


@dataclass(frozen=True)
class Report:
    n: int
    n_fraud: int
    auc: float | None
    recall_at_fpr: dict[float, float | None]
    per_type: dict[str, tuple[float, float, float, int]]  # precision, recall, f1, support
    confusion: dict[tuple[str, str], int]  # (true, predicted) → count
    binary_accuracy: float
    fpr_at: dict[float, float | None]  # share of not-fraud texts at or above each probability
    recall_at_line: dict[float, float | None]  # share of fraud texts at or above each probability
    type_accuracy: float | None = None  # fraud texts of a known type given that type (None: no types)

    @property
    def macro_f1(self) -> float:
        scored = [f1 for _, _, f1, support in self.per_type.values() if support]
        return sum(scored) / len(scored) if scored else 0.0


def evaluate(scorer: TextScorer, examples: Sequence[Example], fprs: Sequence[float] = (0.01, 0.05)) -> Report:
    """Score `examples` (in batches where the scorer can) without cues, and report."""
    texts = [e.text for e in examples]
    many = getattr(scorer, "score_many", None)
    if many is not None:
        verdicts = [v for i in range(0, len(texts), 1000) for v in many(texts[i : i + 1000], cues_from=2.0)]
    else:
        verdicts = [scorer.score(t, cues_from=2.0) for t in texts]
    return report(examples, verdicts, fprs)


def report(examples: Sequence[Example], verdicts: Sequence[TextVerdict], fprs: Sequence[float]) -> Report:
    truth = [e.label.value if e.label else NORMAL for e in examples]
    predicted = [v.fraud_type.value if v.fraud_type else NORMAL for v in verdicts]
    positives = [v.probability for e, v in zip(examples, verdicts, strict=True) if e.label]
    negatives = [v.probability for e, v in zip(examples, verdicts, strict=True) if not e.label]
    confusion = Counter(zip(truth, predicted, strict=True))
    labels = sorted(set(truth) | set(predicted))
    per_type = {}
    for label in labels:
        tp = confusion[(label, label)]
        predicted_n, support = predicted.count(label), truth.count(label)
        precision = tp / predicted_n if predicted_n else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_type[label] = (precision, recall, f1, support)
    flagged = [v.probability >= FRAUD_LINE for v in verdicts]
    correct = sum((t != NORMAL) == f for t, f in zip(truth, flagged, strict=True))
    typed = [(e.label, v.fraud_type) for e, v in zip(examples, verdicts, strict=True) if e.label]
    typed = [(t, p) for t, p in typed if t is not FraudType.UNKNOWN]
    has_types = any(v.type_probabilities for v in verdicts)
    return Report(
        n=len(examples),
        n_fraud=len(positives),
        auc=_auc(positives, negatives),
        recall_at_fpr={fpr: _recall_at(positives, negatives, fpr) for fpr in fprs},
        per_type=per_type,
        confusion=dict(confusion),
        binary_accuracy=correct / len(examples) if examples else 0.0,
        type_accuracy=sum(t == p for t, p in typed) / len(typed) if typed and has_types else None,
        fpr_at={
            t: sum(n >= t for n in negatives) / len(negatives) if negatives else None
            for t in DETECTOR_THRESHOLDS
        },
        recall_at_line={
            t: sum(p >= t for p in positives) / len(positives) if positives else None
            for t in DETECTOR_THRESHOLDS
        },
    )


def _auc(positives: Sequence[float], negatives: Sequence[float]) -> float | None:
    """Mann-Whitney AUC with ties counted half."""
    if not positives or not negatives:
        return None
    scored = sorted([(p, 1) for p in positives] + [(n, 0) for n in negatives])
    rank_sum, i = 0.0, 0
    while i < len(scored):
        j = i
        while j < len(scored) and scored[j][0] == scored[i][0]:
            j += 1
        mean_rank = (i + j + 1) / 2
        rank_sum += mean_rank * sum(label for _, label in scored[i:j])
        i = j
    n_pos, n_neg = len(positives), len(negatives)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def _recall_at(positives: Sequence[float], negatives: Sequence[float], fpr: float) -> float | None:
    """Recall at the threshold that lets through at most `fpr` of the negatives."""
    if not positives or not negatives:
        return None
    ranked = sorted(negatives, reverse=True)
    allowed = int(fpr * len(ranked))
    threshold = ranked[allowed] if allowed < len(ranked) else -1.0
    return sum(p > threshold for p in positives) / len(positives)
