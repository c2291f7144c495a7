"""Training: the default corpus from the generator families, and deterministic fitting.

scikit-learn is imported here only, so scoring never pays for it.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from fanzha.corpus import FAMILIES, Category, Channel, Part, Stage, Topic, fraud_text, normal_text, samples
from fanzha.event.codes import FraudType
from fanzha.text.featurise import LEXICON_PREFIX, features, grams
from fanzha.text.lexicon import COURTESY, CUE_PHRASES
from fanzha.text.model import FRAUD_COL, N_CLASSES, NORMAL_COL, SPAM_COL, TextModel
from fanzha.text.normalise import normalise

DEFAULT_SEED = 20261121
PROBE_SEED = 31
# Texts per family in the default corpus (the city's: spread over its types and topics).
DEFAULT_SIZES = {"city": 24_000, "sms": 14_000, "chat": 10_000}
# Templates the default model trains on: the city's training part only (the simulator draws from
# the held-out part), every template of the families the simulator never uses.
DEFAULT_PARTS = {"city": Part.TRAIN, "sms": Part.ALL, "chat": Part.ALL}


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled text: `label` is a fraud type, or None for not fraud; `spam` marks spam and
    promotions (gambling, loan ads, marketing) among the not-fraud texts."""

    text: str
    label: FraudType | None
    spam: bool = False

    @property
    def category(self) -> Category:
        if self.label is not None:
            return Category.FRAUD
        return Category.SPAM if self.spam else Category.NORMAL


@dataclass(frozen=True, slots=True)
class TrainConfig:
    n_min: int = 1
    n_max: int = 3
    min_df: int = 3
    max_features: int = 60_000  # kept after training, by largest weight
    c_class: float = 0.3
    c_type: float = 4.0
    seed: int = DEFAULT_SEED


def generated_corpus(
    seed: int = DEFAULT_SEED,
    sizes: dict[str, int] | None = None,
    part: Part | None = None,
    families: Sequence[str] = FAMILIES,
) -> list[Example]:
    """Texts of the generator families (`corpus.families`) from `part` of their templates (default:
    `DEFAULT_PARTS`)."""
    rng = random.Random(seed)
    sizes = sizes or DEFAULT_SIZES
    return [
        Example(s.text, s.fraud_type, s.category is Category.SPAM)
        for family in families
        for s in samples(family, sizes[family], rng, part or DEFAULT_PARTS[family])
    ]


def corpus_digest(examples: Sequence[Example]) -> str:
    """SHA-256 of the labelled texts, in order: what a model was trained on, in a few bytes."""
    digest = hashlib.sha256()
    for example in examples:
        label = example.label.value if example.label else ("spam" if example.spam else "")
        digest.update(f"{label}\t{example.text}\n".encode())
    return digest.hexdigest()


def probe_texts() -> list[str]:
    """A fixed handful of generated texts: one per fraud type and one per normal topic and channel."""
    rng = random.Random(PROBE_SEED)
    stages, channels = tuple(Stage), tuple(Channel)
    texts = [fraud_text(t, stages[i % len(stages)], channels[i % 3], rng) for i, t in enumerate(FraudType)]
    texts += [normal_text(topic, channel, rng) for topic in Topic for channel in channels]
    return texts + [s.text for family in FAMILIES[1:] for s in samples(family, 12, rng, Part.HELD_OUT)]


def probe_scores(model: TextModel) -> list[float]:
    """The model's fraud probabilities of `probe_texts()`, to 4 decimals (stored with the model)."""
    return [round(v.probability, 4) for v in model.score_many(probe_texts(), cues_from=2.0)]


def fit(examples: Sequence[Example], config: TrainConfig = TrainConfig()) -> TextModel:
    """Fit both heads; deterministic for the same examples and config."""
    norms = [normalise(e.text) for e in examples]
    docs = [features(n, (config.n_min, config.n_max), CUE_PHRASES) for n in norms]
    vocab = _vocabulary(docs, config.min_df, (config.n_min, config.n_max))
    index = {name: i for i, name in enumerate(vocab)}
    x = _matrix(docs, index)
    classes = np.array([_CLASS_COL[e.category] for e in examples])
    is_fraud = classes == FRAUD_COL
    if is_fraud.all() or not is_fraud.any():
        raise ValueError("training needs both fraud and not-fraud examples")
    fraud_labels = [e.label.value for e in examples if e.label is not None]
    types = sorted(set(fraud_labels))
    weights = np.zeros((len(vocab), N_CLASSES + len(types)), dtype=np.float64)
    bias = np.zeros(N_CLASSES + len(types))
    _fit_classes(x, classes, config, weights, bias)
    if len(types) > 1:
        type_head = _logistic(config.c_type, balanced=True).fit(x[is_fraud], fraud_labels)
        weights[:, N_CLASSES:], bias[N_CLASSES:] = type_head.coef_.T, type_head.intercept_
    meta: dict[str, Any] = {
        "examples": len(examples),
        "fraud_examples": int(is_fraud.sum()),
        "spam_examples": int((classes == SPAM_COL).sum()),
        "config": {k: getattr(config, k) for k in config.__dataclass_fields__},
        "corpus_sha256": corpus_digest(examples),
        "courtesy": list(COURTESY),
    }
    model = _pruned(
        vocab=vocab,
        weights=weights,
        bias=bias,
        types=tuple(FraudType(t) for t in types),
        config=config,
        meta=meta,
    )
    model.meta["probe"] = probe_scores(model)
    return model


_CLASS_COL = {Category.NORMAL: NORMAL_COL, Category.SPAM: SPAM_COL, Category.FRAUD: FRAUD_COL}
ABSENT_CLASS_BIAS = -30.0  # a class the training data never shows (e.g. no spam in a centre's file)


def _logistic(c: float, *, balanced: bool) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=1000, class_weight="balanced" if balanced else None)


def _fit_classes(x: Any, classes: Any, config: TrainConfig, weights: Any, bias: Any) -> None:
    """The normal / spam / fraud head into columns 0-2; a class absent from the data never wins."""
    present = sorted(set(classes.tolist()))
    head = _logistic(config.c_class, balanced=True).fit(x, classes)
    bias[:N_CLASSES] = ABSENT_CLASS_BIAS
    if len(present) == 2:  # scikit-learn gives one row: the second class against the first
        weights[:, present[1]], bias[present[0]], bias[present[1]] = head.coef_[0], 0.0, head.intercept_[0]
    else:
        for row, col in enumerate(present):
            weights[:, col], bias[col] = head.coef_[row], head.intercept_[row]


def courtesy_grams(n_range: tuple[int, int]) -> frozenset[str]:
    """The n-grams inside a courtesy phrase (`lexicon.COURTESY`): never features."""
    return frozenset().union(*(grams(phrase, *n_range) for phrase in COURTESY))


def _vocabulary(docs: Sequence[set[str]], min_df: int, n_range: tuple[int, int]) -> list[str]:
    counts: Counter[str] = Counter()
    for doc in docs:
        counts.update(doc)
    polite = courtesy_grams(n_range)
    return sorted(
        f for f, n in counts.items() if (n >= min_df or f.startswith(LEXICON_PREFIX)) and f not in polite
    )


def _matrix(docs: Sequence[set[str]], index: dict[str, int]) -> Any:
    rows, cols, vals = [], [], []
    for row, doc in enumerate(docs):
        present = sorted(index[f] for f in doc if f in index)
        scale = 1.0 / np.sqrt(len(present)) if present else 0.0
        rows.extend([row] * len(present))
        cols.extend(present)
        vals.extend([scale] * len(present))
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(index)))


def _pruned(
    *,
    vocab: list[str],
    weights: Any,
    bias: Any,
    types: tuple[FraudType, ...],
    config: TrainConfig,
    meta: dict[str, Any],
) -> TextModel:
    """Keep the `max_features` features with the largest weight in any head (ties by name)."""
    strength = np.abs(weights).max(axis=1)
    order = sorted(range(len(vocab)), key=lambda i: (-round(float(strength[i]), 6), vocab[i]))
    keep = sorted(order[: config.max_features], key=lambda i: vocab[i])
    return TextModel(
        index={vocab[i]: j for j, i in enumerate(keep)},
        weights=weights[keep].astype(np.float16).astype(np.float32),
        bias=bias.astype(np.float32),
        types=types,
        lexicon=CUE_PHRASES,
        n_range=(config.n_min, config.n_max),
        meta={**meta, "features": len(keep)},
    )


def train_default() -> TextModel:
    """The packaged default model: the generator families' training part only, fixed seed and config."""
    return fit(generated_corpus(DEFAULT_SEED), TrainConfig())
