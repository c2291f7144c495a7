"""Training: the default corpus from the simulator's generator, and deterministic fitting.

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

from fanzha.corpus import Channel, Stage, Topic, fraud_text, normal_text
from fanzha.event.codes import FraudType
from fanzha.text.featurise import LEXICON_PREFIX, features
from fanzha.text.lexicon import CUE_PHRASES
from fanzha.text.model import TextModel
from fanzha.text.normalise import normalise

DEFAULT_SEED = 20261121
PROBE_SEED = 31


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled text: `label` is a fraud type, or None for normal (spam and ads are normal)."""

    text: str
    label: FraudType | None


@dataclass(frozen=True, slots=True)
class TrainConfig:
    n_min: int = 1
    n_max: int = 3
    min_df: int = 3
    max_features: int = 40_000  # kept after training, by largest weight
    c_fraud: float = 0.5
    c_type: float = 4.0
    seed: int = DEFAULT_SEED


def generated_corpus(seed: int = DEFAULT_SEED, per_type: int = 1500, per_topic: int = 2200) -> list[Example]:
    """Texts from the simulator's generator: every fraud type × stage × channel, every normal topic."""
    rng = random.Random(seed)
    examples: list[Example] = []
    for fraud_type in FraudType:
        for i in range(per_type):
            stage, channel = tuple(Stage)[i % len(Stage)], tuple(Channel)[(i // len(Stage)) % len(Channel)]
            examples.append(Example(fraud_text(fraud_type, stage, channel, rng), fraud_type))
    for topic in Topic:
        for i in range(per_topic):
            channel = tuple(Channel)[i % len(Channel)]
            examples.append(Example(normal_text(topic, channel, rng), None))
    return examples


def corpus_digest(examples: Sequence[Example]) -> str:
    """SHA-256 of the labelled texts, in order: what a model was trained on, in a few bytes."""
    digest = hashlib.sha256()
    for example in examples:
        digest.update(f"{example.label.value if example.label else ''}\t{example.text}\n".encode())
    return digest.hexdigest()


def probe_texts() -> list[str]:
    """A fixed handful of generated texts: one per fraud type and one per normal topic and channel."""
    rng = random.Random(PROBE_SEED)
    stages, channels = tuple(Stage), tuple(Channel)
    texts = [fraud_text(t, stages[i % len(stages)], channels[i % 3], rng) for i, t in enumerate(FraudType)]
    return texts + [normal_text(topic, channel, rng) for topic in Topic for channel in channels]


def probe_scores(model: TextModel) -> list[float]:
    """The model's fraud probabilities of `probe_texts()`, to 4 decimals (stored with the model)."""
    return [round(v.probability, 4) for v in model.score_many(probe_texts(), cues_from=2.0)]


def fit(examples: Sequence[Example], config: TrainConfig = TrainConfig()) -> TextModel:
    """Fit both heads; deterministic for the same examples and config."""
    from sklearn.linear_model import LogisticRegression

    norms = [normalise(e.text) for e in examples]
    docs = [features(n, (config.n_min, config.n_max), CUE_PHRASES) for n in norms]
    vocab = _vocabulary(docs, config.min_df)
    index = {name: i for i, name in enumerate(vocab)}
    x = _matrix(docs, index)
    is_fraud = np.array([e.label is not None for e in examples])
    if is_fraud.all() or not is_fraud.any():
        raise ValueError("training needs both fraud and normal examples")
    fraud_head = LogisticRegression(C=config.c_fraud, solver="liblinear", class_weight="balanced")
    fraud_head.fit(x, is_fraud)
    fraud_labels = [e.label.value for e in examples if e.label is not None]
    types = sorted(set(fraud_labels))
    weights = np.zeros((len(vocab), 1 + len(types)), dtype=np.float64)
    bias = np.zeros(1 + len(types))
    weights[:, 0], bias[0] = fraud_head.coef_[0], fraud_head.intercept_[0]
    if len(types) > 1:
        type_head = LogisticRegression(C=config.c_type, max_iter=500)
        type_head.fit(x[is_fraud], fraud_labels)
        weights[:, 1:], bias[1:] = type_head.coef_.T, type_head.intercept_
    meta: dict[str, Any] = {
        "examples": len(examples),
        "fraud_examples": int(is_fraud.sum()),
        "config": {k: getattr(config, k) for k in config.__dataclass_fields__},
        "corpus_sha256": corpus_digest(examples),
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


def _vocabulary(docs: Sequence[set[str]], min_df: int) -> list[str]:
    counts: Counter[str] = Counter()
    for doc in docs:
        counts.update(doc)
    return sorted(f for f, n in counts.items() if n >= min_df or f.startswith(LEXICON_PREFIX))


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
    """The packaged default model: the generator's corpus only, fixed seed and config."""
    return fit(generated_corpus(DEFAULT_SEED), TrainConfig())
