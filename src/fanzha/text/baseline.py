"""The yardstick: a plain char TF-IDF (1-3 grams) + logistic regression, fraud vs not, no types.

It is what the issue compares the shipped model with, trained in the same process on whatever it is
given (in `text crosseval`: the shared research sets; in `bench text`: the benchmark's messages).
scikit-learn is imported when it is built, never when the shipped model scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fanzha.detection.text import TextVerdict
from fanzha.text.train import Example


class Baseline:
    """`TextScorer` of the baseline: `probability` is its fraud probability; it has no types."""

    def __init__(self, texts: Sequence[str], is_fraud: Sequence[bool]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self._vectoriser: Any = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        x = self._vectoriser.fit_transform(texts)
        self._classifier: Any = LogisticRegression(max_iter=1000).fit(x, list(is_fraud))

    @classmethod
    def trained_on(cls, examples: Sequence[Example]) -> Baseline:
        return cls([e.text for e in examples], [e.label is not None for e in examples])

    def probabilities(self, texts: Sequence[str]) -> list[float]:
        if not texts:
            return []
        return [float(p) for p in self._classifier.predict_proba(self._vectoriser.transform(texts))[:, 1]]

    def score(self, text: str, *, cues_from: float = 0.0) -> TextVerdict:
        return self.score_many([text])[0]

    def score_many(self, texts: Sequence[str], *, cues_from: float = 0.0) -> list[TextVerdict]:
        return [TextVerdict(p, None) for p in self.probabilities(texts)]
