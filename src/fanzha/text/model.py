"""The scoring model: char n-grams and cue phrases → a fraud head and a type head, with cues.

Features of a normalised text are the distinct char n-grams (1..`n_max`) and the lexicon phrases it
contains, each worth 1, the vector scaled to unit length. Column 0 of `weights` is the fraud-vs-not
logistic head; the other columns are a multinomial head over fraud types (trained on fraud only).
An artifact is one `.npz` file: vocabulary, float16 weights, biases, type names and metadata.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from fanzha.detection.text import TextVerdict
from fanzha.event.codes import FraudType
from fanzha.text.cues import TOP_FEATURES, extract_cues
from fanzha.text.normalise import normalise, warm

LEXICON_PREFIX = "§"
DEFAULT_MODEL_PATH = Path(__file__).with_name("default_model.npz")
FloatArray = npt.NDArray[np.float32]


def grams(text: str, n_min: int, n_max: int) -> set[str]:
    """The distinct char n-grams of `text`, n = n_min..n_max."""
    length = len(text)
    return {text[i : i + n] for n in range(n_min, n_max + 1) for i in range(length - n + 1)}


def features(text: str, n_range: tuple[int, int], lexicon: Iterable[str]) -> set[str]:
    """N-grams plus `§phrase` for each lexicon phrase present."""
    found = grams(text, *n_range)
    found.update(LEXICON_PREFIX + phrase for phrase in lexicon if phrase in text)
    return found


@dataclass(frozen=True)
class TextModel:
    """A trained model; `score` implements `fanzha.detection.text.TextScorer`."""

    index: dict[str, int]
    weights: FloatArray  # (features, 1 + types)
    bias: FloatArray  # (1 + types,)
    types: tuple[FraudType, ...]
    lexicon: tuple[str, ...]
    n_range: tuple[int, int]
    meta: dict[str, Any]
    threshold: float = 0.5

    def score(self, text: str) -> TextVerdict:
        return self.score_normalised(normalise(text))

    def score_normalised(self, norm: str) -> TextVerdict:
        found = map(self.index.get, features(norm, self.n_range, self.lexicon))
        present = [i for i in found if i is not None]
        scale = 1.0 / math.sqrt(len(present)) if present else 0.0
        rows = self.weights[present]
        logits = (rows.sum(axis=0) * scale + self.bias).tolist()
        probability = 1.0 / (1.0 + math.exp(-logits[0]))
        top_logit = max(logits[1:])
        exps = [math.exp(v - top_logit) for v in logits[1:]]
        total = sum(exps)
        best = exps.index(1.0) if 1.0 in exps else int(np.argmax(exps))
        fraud = probability >= self.threshold
        # Fraud: what pushed towards fraud and towards this type; not fraud: what pushed away.
        contributions = (rows[:, 0] + rows[:, 1 + best]) * scale if fraud else rows[:, 0] * -scale
        cues = extract_cues(norm, self._strongest(present, contributions))
        return TextVerdict(
            probability=probability,
            fraud_type=self.types[best] if fraud else None,
            cues=cues,
            type_probabilities=tuple(
                (t, probability * e / total) for t, e in zip(self.types, exps, strict=True)
            ),
        )

    def _strongest(self, present: list[int], contributions: FloatArray) -> list[tuple[str, float]]:
        """The features that pushed hardest towards the decision, by name."""
        if len(contributions) > TOP_FEATURES:
            top = np.argpartition(-contributions, TOP_FEATURES)[:TOP_FEATURES].tolist()
        else:
            top = range(len(contributions))
        names = self.names()
        return [(names[present[k]], float(contributions[k])) for k in top]

    def names(self) -> list[str]:
        cached: list[str] | None = self.meta.get("_names")
        if cached is None:
            cached = [""] * len(self.index)
            for name, i in self.index.items():
                cached[i] = name
            self.meta["_names"] = cached
        return cached

    def save(self, path: Path) -> None:
        meta = {k: v for k, v in self.meta.items() if not k.startswith("_")}
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                vocab=np.array("\n".join(self.names())),
                weights=self.weights.astype(np.float16),
                bias=self.bias.astype(np.float32),
                types=np.array("\n".join(t.value for t in self.types)),
                lexicon=np.array("\n".join(self.lexicon)),
                meta=np.array(
                    json.dumps({**meta, "n_range": list(self.n_range)}, ensure_ascii=False, sort_keys=True)
                ),
            )


@cache
def default_scorer() -> TextModel:
    """The packaged default model, loaded once per process."""
    return load_model()


def load_model(path: Path | None = None) -> TextModel:
    """Load an artifact (the packaged default when `path` is None)."""
    warm()
    with np.load(path or DEFAULT_MODEL_PATH) as data:
        vocab = str(data["vocab"]).split("\n")
        meta: dict[str, Any] = json.loads(str(data["meta"]))
        lexicon = str(data["lexicon"])
        return TextModel(
            index={name: i for i, name in enumerate(vocab)},
            weights=data["weights"].astype(np.float32),
            bias=data["bias"].astype(np.float32),
            types=tuple(FraudType(t) for t in str(data["types"]).split("\n")),
            lexicon=tuple(lexicon.split("\n")) if lexicon else (),
            n_range=(int(meta["n_range"][0]), int(meta["n_range"][1])),
            meta=meta,
        )
