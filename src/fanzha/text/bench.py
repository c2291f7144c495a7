"""Benchmark: scoring speed on one core and model load time, against the plain TF-IDF + logistic
regression baseline (`text/baseline.py`) trained and run in the same process.

Messages are unique (drawn from the held-out part of every generator family, duplicates dropped),
and the model's verdict memory is emptied before every run, so the rates measure scoring, not the
memory; a separate row measures a repeated message answered from it. Rates are messages per second
of CPU time (`time.process_time`): "per core", and steadier on a shared machine than wall-clock
time, which is shown beside it; each the best of three runs.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fanzha.corpus import FAMILIES, Category, Part, samples
from fanzha.text.baseline import Baseline
from fanzha.text.model import TextModel, load_model

DETECTOR_CUES_FROM = 0.7  # FraudText's default threshold: the detector asks for cues from there
NO_CUES = 2.0


@dataclass(frozen=True)
class Rate:
    """Messages per second of CPU time and of wall time."""

    cpu: float
    wall: float


@dataclass(frozen=True)
class BenchResult:
    messages: int
    unique: int
    fraud_share: float
    load_seconds: float
    detector: Rate  # one at a time, cues only for what the detector would show
    one_by_one: Rate  # one at a time, every verdict with its cues
    batch: Rate  # `score_many` in batches, no cues
    batch_cues: Rate  # `score_many` in batches, every verdict with its cues (as `text score`)
    cache_hits: Rate  # one at a time, every message seen just before (answered from memory)
    baseline_batch: Rate
    baseline_one_by_one: Rate


def messages(n: int, seed: int = 99) -> tuple[list[str], list[bool]]:
    """`n` unique texts (and whether each is fraud) from the held-out part of every family."""
    rng = random.Random(seed)
    seen: dict[str, bool] = {}
    while len(seen) < n:
        for family in FAMILIES:
            for sample in samples(family, 300, rng, Part.HELD_OUT):
                seen.setdefault(sample.text, sample.category is Category.FRAUD)
    texts = list(seen)[:n]
    rng.shuffle(texts)
    return texts, [seen[t] for t in texts]


def rate(
    work: Callable[[Sequence[str]], object],
    texts: Sequence[str],
    repeats: int = 3,
    before: Callable[[], object] = lambda: None,
) -> Rate:
    """The best of `repeats` runs (the least disturbed by other processes); `before` runs untimed."""
    best_cpu = best_wall = float("inf")
    for _ in range(repeats):
        before()
        cpu, wall = time.process_time(), time.perf_counter()
        work(texts)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return Rate(len(texts) / max(best_cpu, 1e-9), len(texts) / max(best_wall, 1e-9))


def run(n: int = 5000, model_path: Path | None = None, batch_size: int = 1000) -> BenchResult:
    texts, is_fraud = messages(n)
    started = time.perf_counter()
    model = load_model(model_path)
    model.warm()
    load_seconds = time.perf_counter() - started
    baseline = Baseline(texts, is_fraud)
    sample = texts[: min(len(texts), 1000)]
    forget = model.forget

    def detector(ts: Sequence[str]) -> list[object]:
        return [model.score(t, cues_from=DETECTOR_CUES_FROM) for t in ts]

    return BenchResult(
        messages=n,
        unique=len(set(texts)),
        fraud_share=sum(is_fraud) / len(is_fraud),
        load_seconds=load_seconds,
        detector=rate(detector, texts, before=forget),
        one_by_one=rate(lambda ts: [model.score(t) for t in ts], texts, before=forget),
        batch=rate(lambda ts: _batches(model, ts, batch_size, NO_CUES), texts, before=forget),
        batch_cues=rate(lambda ts: _batches(model, ts, batch_size, 0.0), texts, before=forget),
        cache_hits=rate(detector, sample, before=lambda: detector(sample)),
        baseline_batch=rate(lambda ts: _baseline_batches(baseline, ts, batch_size), texts),
        baseline_one_by_one=rate(lambda ts: [baseline.probabilities([t]) for t in ts], sample),
    )


def _batches(model: TextModel, texts: Sequence[str], size: int, cues_from: float) -> None:
    for start in range(0, len(texts), size):
        model.score_many(texts[start : start + size], cues_from=cues_from)


def _baseline_batches(baseline: Baseline, texts: Sequence[str], size: int) -> None:
    for start in range(0, len(texts), size):
        baseline.probabilities(texts[start : start + size])
