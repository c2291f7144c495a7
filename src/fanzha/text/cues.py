"""Turn the features that drove a decision back into phrases an officer can read."""

from __future__ import annotations

from collections.abc import Sequence

MAX_CUES = 5
TOP_FEATURES = 24
MIN_CONTRIBUTION = 0.02


def extract_cues(norm: str, contributions: Sequence[tuple[str, float]]) -> tuple[str, ...]:
    """Spans of `norm` covered by the strongest features (n ≥ 2 or lexicon phrases), merged where
    they overlap or touch, ranked by their summed contribution. Every cue is a substring of `norm`."""
    strongest = sorted(
        ((name.lstrip("§"), c) for name, c in contributions if c > MIN_CONTRIBUTION and len(name) > 1),
        key=lambda item: (-item[1], item[0]),
    )[:TOP_FEATURES]
    spans: list[tuple[int, int, float]] = []
    for phrase, weight in strongest:
        at = norm.find(phrase)
        if at >= 0 and phrase.strip(","):
            spans.append((at, at + len(phrase), weight))
    merged: list[tuple[int, int, float]] = []
    for begin, finish, weight in sorted(spans):
        if merged and begin <= merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], finish), last[2] + weight)
        else:
            merged.append((begin, finish, weight))
    cues: list[str] = []
    for begin, finish, _ in sorted(merged, key=lambda m: (-m[2], m[0])):
        cue = norm[begin:finish].strip(",")
        if cue and cue not in cues:
            cues.append(cue)
    return tuple(cues[:MAX_CUES])
