"""Features of a normalised text: its distinct char n-grams and the lexicon phrases it contains.

`features` is the definition (training builds its vocabulary with it). `Featuriser` computes the
same set as model columns, fast: the n-grams are made by C-level `map`s over shifted copies of the
text (no Python loop per character) and looked up in one pass; a lexicon phrase is only searched for
when its first n-gram occurs (a phrase no longer than the longest n-gram occurs exactly when it is one).
(Packing n-grams into integers and looking them up with NumPy was tried: no faster for messages of
tens to hundreds of characters, since the cost is the memory traffic of the vocabulary lookups.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import add

import numpy as np
import numpy.typing as npt

from fanzha.text.concepts import ConceptFinder, concept_features

LEXICON_PREFIX = "§"
IntArray = npt.NDArray[np.intp]


def grams(text: str, n_min: int, n_max: int) -> set[str]:
    """The distinct char n-grams of `text`, n = n_min..n_max."""
    found: set[str] = set()
    level: list[str] = list(text)
    for n in range(1, n_max + 1):
        if n > 1:
            level = list(map(add, level, text[n - 1 :]))
        if n >= n_min:
            found.update(level)
    return found


def features(text: str, n_range: tuple[int, int], lexicon: Iterable[str]) -> set[str]:
    """N-grams, `§phrase` for each lexicon phrase present, and the concepts (`@…`, `text/concepts.py`)."""
    found = grams(text, *n_range)
    found.update(LEXICON_PREFIX + phrase for phrase in lexicon if phrase in text)
    found.update(concept_features(text))
    return found


class _Lexicon:
    """Lexicon phrases the model has a column for, keyed by their first n-gram."""

    def __init__(self, index: dict[str, int], n_range: tuple[int, int], lexicon: Iterable[str]) -> None:
        n_min, n_max = n_range
        self.triggers: dict[str, list[tuple[str, int, bool]]] = {}  # (phrase, column, is the n-gram)
        self.always: list[tuple[str, int]] = []  # phrases no n-gram announces
        for phrase in dict.fromkeys(lexicon):
            column = index.get(LEXICON_PREFIX + phrase)
            if column is None:
                continue
            length = min(len(phrase), n_max)
            if length >= max(n_min, 1):
                key = phrase[:length]
                self.triggers.setdefault(key, []).append((phrase, column, key == phrase))
            else:
                self.always.append((phrase, column))

    def found(self, norm: str, keys: Iterable[str]) -> list[int]:
        """Columns of the phrases in `norm`, given the trigger n-grams that occur in it."""
        columns = [
            column for key in keys for phrase, column, whole in self.triggers[key] if whole or phrase in norm
        ]
        return columns + [column for phrase, column in self.always if phrase in norm]


class Featuriser:
    """Maps normalised texts to the model columns of their features."""

    def __init__(self, index: dict[str, int], n_range: tuple[int, int], lexicon: Iterable[str]) -> None:
        self._get, self._n_range = index.get, n_range
        self._lexicon = _Lexicon(index, n_range, lexicon)
        self._keys = frozenset(self._lexicon.triggers)
        self._concepts = ConceptFinder(n_range)

    def ids(self, norm: str) -> list[int]:
        """The distinct model columns of `features(norm, …)` (in no particular order)."""
        found_grams = grams(norm, *self._n_range)
        get = self._get
        found = [c for c in map(get, found_grams) if c is not None]
        found += self._lexicon.found(norm, found_grams & self._keys)
        found += [c for c in map(get, self._concepts.features(norm, found_grams)) if c is not None]
        return found

    def columns(self, norm: str) -> IntArray:
        """`ids` as an array."""
        return np.array(self.ids(norm), dtype=np.intp)

    def batch(self, norms: Sequence[str]) -> tuple[IntArray, IntArray]:
        """(columns of all texts one after the other, where each text's columns start; n + 1)."""
        found: list[int] = []
        lengths = []
        for norm in norms:
            ids = self.ids(norm)
            found += ids
            lengths.append(len(ids))
        offsets = np.zeros(len(norms) + 1, dtype=np.intp)
        np.cumsum(lengths, out=offsets[1:])
        return np.array(found, dtype=np.intp), offsets
