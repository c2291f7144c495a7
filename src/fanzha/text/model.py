"""The scoring model: char n-grams, cue phrases and concepts → a class head (normal / spam / fraud)
and a type head, with cues.

Features of a normalised text are the distinct char n-grams (1..`n_max`), the lexicon phrases and
the concepts it contains (`text/featurise.py`), each worth 1, the vector scaled to unit length.
Columns 0-2 of `weights` are a multinomial head over normal / spam / fraud (`CLASSES`): spam and
promotions are a class of their own, so gambling or loan ads are not fraud warnings and are not
hidden either. The other columns are a multinomial head over fraud types (trained on fraud only).
An artifact is one `.npz` file: vocabulary, float16 weights, biases, type names and metadata.

Scoring sums the weight rows of the few active columns (one `take` + `sum`; a batch is one segmented
sum); cues are only worked out for verdicts at or above `cues_from`, since nobody reads the others.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from fanzha.detection.text import TextVerdict
from fanzha.event.codes import FraudType
from fanzha.text.concepts import CONCEPT_PREFIX
from fanzha.text.cues import MIN_CONTRIBUTION, TOP_FEATURES, extract_cues
from fanzha.text.featurise import LEXICON_PREFIX, Featuriser
from fanzha.text.normalise import normalise, warm
from fanzha.text.packed import MAX_N, PackedFeaturiser

DEFAULT_MODEL_PATH = Path(__file__).with_name("default_model.npz")
# Verdicts remembered by text (a few MB at most).
RECENT_VERDICTS = 8192
CLASSES = ("normal", "spam", "fraud")
NORMAL_COL, SPAM_COL, FRAUD_COL = 0, 1, 2
N_CLASSES = len(CLASSES)
FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.intp]


class _Heads(NamedTuple):
    """What the heads say about one text: P(fraud), P(spam), the likelier other class's column, the
    likeliest type's index and P(type) for each type (summing to P(fraud))."""

    probability: float
    spam: float
    other: int
    best: int
    types: list[float]


def _softmax(logits: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    exps = np.exp(logits - logits.max(axis=1, keepdims=True))
    out: npt.NDArray[np.float64] = exps / exps.sum(axis=1, keepdims=True)
    return out


@dataclass(frozen=True)
class TextModel:
    """A trained model; `score` implements `fanzha.detection.text.TextScorer`."""

    index: dict[str, int]
    weights: FloatArray  # (features, 3 classes + types)
    bias: FloatArray  # (3 classes + types,)
    types: tuple[FraudType, ...]
    lexicon: tuple[str, ...]
    n_range: tuple[int, int]
    meta: dict[str, Any]
    threshold: float = 0.5

    def score(self, text: str, *, cues_from: float = 0.0) -> TextVerdict:
        """The verdict of one text. Recent verdicts are remembered by text: a stream repeats the
        same bulk notifications and scripts many times (emptied when full; safe across threads)."""
        key = (text, cues_from)
        verdict = self._recent.get(key)
        if verdict is None:
            verdict = self.score_normalised(normalise(text), cues_from=cues_from)
            if len(self._recent) >= RECENT_VERDICTS:
                self._recent.clear()
            self._recent[key] = verdict
        return verdict

    def forget(self) -> None:
        """Empty the memory of recent verdicts (benchmarks measure scoring, not the memory)."""
        self._recent.clear()

    def score_normalised(self, norm: str, *, cues_from: float = 0.0) -> TextVerdict:
        ids = self._featuriser.columns(norm)
        rows = self.weights.take(ids, axis=0)
        scale = 1.0 / math.sqrt(len(ids)) if len(ids) else 0.0
        logits = (rows.sum(axis=0) * scale + self.bias).tolist()
        top_class = max(logits[:N_CLASSES])
        class_exps = [math.exp(v - top_class) for v in logits[:N_CLASSES]]
        class_total = sum(class_exps)
        probability = class_exps[FRAUD_COL] / class_total
        top_logit = max(logits[N_CLASSES:])
        exps = [math.exp(v - top_logit) for v in logits[N_CLASSES:]]
        total = sum(exps)
        heads = _Heads(
            probability=probability,
            spam=class_exps[SPAM_COL] / class_total,
            other=NORMAL_COL if class_exps[NORMAL_COL] >= class_exps[SPAM_COL] else SPAM_COL,
            best=exps.index(1.0) if 1.0 in exps else int(np.argmax(exps)),
            types=[probability * e / total for e in exps],
        )
        return self._verdict(norm, ids, scale, heads, cues_from=cues_from, rows=rows)

    def score_many(self, texts: Sequence[str], *, cues_from: float = 0.0) -> list[TextVerdict]:
        """The verdicts of `texts`, as `score` gives them: one segmented sum and one softmax per head
        for the whole batch."""
        norms = [normalise(text) for text in texts]
        packed = self._packed
        columns, offsets = packed.batch(norms) if packed is not None else self._featuriser.batch(norms)
        counts = np.diff(offsets)
        scales = np.zeros(len(norms), dtype=np.float32)
        sums = np.zeros((len(norms), len(self.bias)), dtype=np.float32)
        filled = counts > 0
        taken = self.weights.take(columns, axis=0)  # every text's rows, reused for its cues
        if filled.any():
            sums[filled] = np.add.reduceat(taken, offsets[:-1][filled], axis=0)
            scales[filled] = 1.0 / np.sqrt(counts[filled])
        logits = (sums * scales[:, None] + self.bias).astype(np.float64)
        classes = _softmax(logits[:, :N_CLASSES])
        types = _softmax(logits[:, N_CLASSES:]) * classes[:, FRAUD_COL : FRAUD_COL + 1]
        others = np.where(classes[:, NORMAL_COL] >= classes[:, SPAM_COL], NORMAL_COL, SPAM_COL)
        bounds = offsets.tolist()
        rows = zip(
            classes[:, FRAUD_COL].tolist(),
            classes[:, SPAM_COL].tolist(),
            others.tolist(),
            types.argmax(axis=1).tolist(),
            types.tolist(),
            strict=True,
        )
        return [
            self._verdict(
                norm,
                columns[bounds[i] : bounds[i + 1]],
                scale,
                _Heads(*row),
                cues_from=cues_from,
                rows=taken[bounds[i] : bounds[i + 1]],
            )
            for i, (norm, scale, row) in enumerate(zip(norms, scales.tolist(), rows, strict=True))
        ]

    def _verdict(
        self,
        norm: str,
        ids: IntArray,
        scale: float,
        heads: _Heads,
        *,
        cues_from: float,
        rows: FloatArray | None = None,
    ) -> TextVerdict:
        fraud = heads.probability >= self.threshold
        cues: tuple[str, ...] = ()
        if heads.probability >= cues_from:
            if rows is None:
                rows = self.weights.take(ids, axis=0)
            # Fraud: what pushed towards fraud (against the likelier other class) and this type;
            # not fraud: what pushed towards the likelier other class and away from fraud.
            if fraud:
                towards = rows[:, FRAUD_COL] - rows[:, heads.other] + rows[:, N_CLASSES + heads.best]
            else:
                towards = rows[:, heads.other] - rows[:, FRAUD_COL]
            cues = extract_cues(norm, self._strongest(ids, towards * scale))
        return TextVerdict(
            probability=heads.probability,
            fraud_type=self.types[heads.best] if fraud else None,
            cues=cues,
            type_probabilities=tuple(zip(self.types, heads.types, strict=True)),
            spam_probability=heads.spam,
        )

    def _strongest(self, ids: IntArray, contributions: FloatArray) -> list[tuple[str, float]]:
        """Of the `TOP_FEATURES` features that pushed hardest towards the decision (ties by name, so
        the choice never depends on the order features were found in), those cues can use: by name."""
        if len(ids) > TOP_FEATURES:
            top = np.lexsort((self._ranks[ids], -contributions))[:TOP_FEATURES]
        else:
            top = np.arange(len(ids))
        values = contributions[top].astype(np.float64)
        usable = (values > MIN_CONTRIBUTION) & self._multi_char[ids[top]]
        names = self._names
        return [
            (names[i], v) for i, v in zip(ids[top[usable]].tolist(), values[usable].tolist(), strict=True)
        ]

    def names(self) -> list[str]:
        """Feature names by column."""
        return self._names

    @cached_property
    def _names(self) -> list[str]:
        names = [""] * len(self.index)
        for name, i in self.index.items():
            names[i] = name
        return names

    @cached_property
    def _recent(self) -> dict[tuple[str, float], TextVerdict]:
        return {}

    @cached_property
    def _ranks(self) -> IntArray:
        """Each column's rank in the order of names as cues read them (lexicon prefix dropped)."""
        bare = [name.lstrip(LEXICON_PREFIX) for name in self._names]
        ranks = np.empty(len(bare), dtype=np.intp)
        ranks[sorted(range(len(bare)), key=bare.__getitem__)] = np.arange(len(bare), dtype=np.intp)
        return ranks

    @cached_property
    def _multi_char(self) -> npt.NDArray[np.bool_]:
        """Columns that can be cues: names longer than one char (single chars are never cues), not
        concepts (they name a kind of phrase, not a span of the text)."""
        return np.array(
            [len(name) > 1 and not name.startswith(CONCEPT_PREFIX) for name in self._names], dtype=bool
        )

    def warm(self) -> None:
        """Build the lookup structures now, so that the first message is as fast as the others."""
        for name in ("_featuriser", "_packed", "_ranks", "_multi_char"):
            getattr(self, name)

    @cached_property
    def _featuriser(self) -> Featuriser:
        return Featuriser(self.index, self.n_range, self.lexicon)

    @cached_property
    def _packed(self) -> PackedFeaturiser | None:
        """The batch featuriser (NumPy), when the n-grams pack (n ≤ 3)."""
        if self.n_range[1] > MAX_N:
            return None
        return PackedFeaturiser(self.index, self.n_range, self.lexicon)

    def save(self, path: Path) -> None:
        meta = dict(self.meta)
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                vocab=np.array("\n".join(self.names())),
                weights=self.weights.astype(np.float16),
                bias=self.bias.astype(np.float32),
                types=np.array("\n".join(t.value for t in self.types)),
                lexicon=np.array("\n".join(self.lexicon)),
                meta=np.array(
                    json.dumps(
                        {**meta, "n_range": list(self.n_range), "classes": list(CLASSES)},
                        ensure_ascii=False,
                        sort_keys=True,
                    )
                ),
            )


@cache
def default_scorer() -> TextModel:
    """The packaged default model, loaded once per process."""
    model = load_model()
    model.warm()
    return model


def load_model(path: Path | None = None) -> TextModel:
    """Load an artifact (the packaged default when `path` is None)."""
    warm()
    with np.load(path or DEFAULT_MODEL_PATH) as data:
        meta: dict[str, Any] = json.loads(str(data["meta"]))
        if meta.get("classes") != list(CLASSES):
            raise ValueError(
                "the model file predates the normal/spam/fraud head: retrain it (fanzha text train)"
            )
        vocab = str(data["vocab"]).split("\n")
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
