"""Benchmark: scoring speed on one core and model load time, against a plain TF-IDF + logistic
regression baseline (scikit-learn, char 1-3 grams) trained and run in the same process.

Rates are messages per second of CPU time (`time.process_time`) — "per core", and steadier on a
shared machine where wall-clock time depends on what else runs — and, for reference, of wall time;
each the best of three runs.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fanzha.corpus import Channel, Stage, Topic, fraud_text, normal_text
from fanzha.event.codes import FraudType
from fanzha.text.model import TextModel, load_model

DETECTOR_CUES_FROM = 0.7  # FraudText's default threshold: the detector asks for cues from there


@dataclass(frozen=True)
class Rate:
    """Messages per second of CPU time and of wall time."""

    cpu: float
    wall: float


@dataclass(frozen=True)
class BenchResult:
    messages: int
    load_seconds: float
    detector: Rate  # one at a time, cues only for what the detector would show
    one_by_one: Rate  # one at a time, every verdict with its cues
    batch: Rate  # `score_many`, every verdict with its cues
    baseline_batch: Rate
    baseline_one_by_one: Rate


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


def rate(work: Callable[[Sequence[str]], object], texts: Sequence[str], repeats: int = 3) -> Rate:
    """The best of `repeats` runs (the least disturbed by other processes)."""
    best_cpu = best_wall = float("inf")
    for _ in range(repeats):
        cpu, wall = time.process_time(), time.perf_counter()
        work(texts)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return Rate(len(texts) / max(best_cpu, 1e-9), len(texts) / max(best_wall, 1e-9))


def run(n: int = 5000, model_path: Path | None = None, batch_size: int = 1000) -> BenchResult:
    texts = messages(n)
    started = time.perf_counter()
    model = load_model(model_path)
    model.warm()
    load_seconds = time.perf_counter() - started
    baseline_batch, baseline_one = _baseline_rates(texts)
    return BenchResult(
        messages=n,
        load_seconds=load_seconds,
        detector=rate(lambda ts: [model.score(t, cues_from=DETECTOR_CUES_FROM) for t in ts], texts),
        one_by_one=rate(lambda ts: [model.score(t) for t in ts], texts),
        batch=rate(lambda ts: _batches(model, ts, batch_size), texts),
        baseline_batch=baseline_batch,
        baseline_one_by_one=baseline_one,
    )


def _batches(model: TextModel, texts: Sequence[str], size: int) -> None:
    for start in range(0, len(texts), size):
        model.score_many(texts[start : start + size])


def _baseline_rates(texts: list[str]) -> tuple[Rate, Rate]:
    """(batch, one message at a time) rates of the baseline."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    labels = [i % 3 == 0 for i in range(len(texts))]
    vectoriser = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    classifier = LogisticRegression(max_iter=300).fit(vectoriser.fit_transform(texts), labels)
    batch = rate(lambda ts: classifier.predict_proba(vectoriser.transform(ts)), texts)
    sample = texts[: min(len(texts), 1000)]
    one = rate(lambda ts: [classifier.predict_proba(vectoriser.transform([t])) for t in ts], sample)
    return batch, one
