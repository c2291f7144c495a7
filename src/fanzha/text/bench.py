"""Benchmark: scoring speed on one core and model load time, against a plain TF-IDF + logistic
regression baseline (scikit-learn, char 1-3 grams) trained and run in the same process."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path

from fanzha.event.codes import FraudType
from fanzha.sim.texts import Channel, Stage, Topic, fraud_text, normal_text
from fanzha.text.model import load_model


@dataclass(frozen=True)
class BenchResult:
    messages: int
    load_seconds: float
    model_per_second: float
    baseline_per_second: float
    baseline_one_by_one_per_second: float

    @property
    def ratio(self) -> float:
        return self.model_per_second / self.baseline_per_second


def messages(n: int, seed: int = 99) -> list[str]:
    """A mixed stream: a third fraud, the rest normal, mostly SMS and chats."""
    rng = random.Random(seed)
    channels = (Channel.SMS, Channel.SMS, Channel.CHAT, Channel.CALL)
    out = []
    for i in range(n):
        channel = rng.choice(channels)
        if i % 3 == 0:
            out.append(fraud_text(rng.choice(tuple(FraudType)), rng.choice(tuple(Stage)), channel, rng))
        else:
            out.append(normal_text(rng.choice(tuple(Topic)), channel, rng))
    return out


def run(n: int = 5000, model_path: Path | None = None) -> BenchResult:
    texts = messages(n)
    started = time.perf_counter()
    model = load_model(model_path)
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for text in texts:
        model.score(text)
    model_rate = n / (time.perf_counter() - started)
    return BenchResult(n, load_seconds, model_rate, *_baseline_rates(texts))


def _baseline_rates(texts: list[str]) -> tuple[float, float]:
    """(batch, one message at a time) rates of the baseline."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    labels = [i % 3 == 0 for i in range(len(texts))]
    vectoriser = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    classifier = LogisticRegression(max_iter=300).fit(vectoriser.fit_transform(texts), labels)
    started = time.perf_counter()
    classifier.predict_proba(vectoriser.transform(texts))
    batch = len(texts) / (time.perf_counter() - started)
    sample = texts[: min(len(texts), 1000)]
    started = time.perf_counter()
    for text in sample:
        classifier.predict_proba(vectoriser.transform([text]))
    return batch, len(sample) / (time.perf_counter() - started)
