"""Batch featurisation in NumPy: the same columns as `Featuriser`, for a whole batch at once.

A char n-gram (n ≤ 3) packs exactly into one integer, 21 bits a character, and the n-grams of all
texts of a batch are built by shifts over one array of code points and looked up in the sorted
packed vocabulary with `searchsorted`: no Python work per n-gram. Lexicon and concept phrases are
found the same way through their first n-gram (a longer phrase is then confirmed with `in`, for the
few texts that have its first n-gram), and concept pairs through a presence matrix. One text at a
time, the Python `Featuriser` is faster (NumPy's per-call cost dominates); tests hold both to the
definition (`featurise.features`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations

import numpy as np
import numpy.typing as npt

from fanzha.text.concepts import CONCEPT_PREFIX, CONCEPTS, NAMES
from fanzha.text.featurise import LEXICON_PREFIX

BITS = 21  # every code point + 1 fits (max 0x110000)
MAX_N = 3  # 3 × 21 = 63 bits
IntArray = npt.NDArray[np.intp]
Codes = npt.NDArray[np.uint64]


def pack(gram: str) -> int:
    """The packed integer of an n-gram (n ≤ `MAX_N`): code point + 1 per character, so that no
    n-gram packs like a shorter one (a leading NUL would otherwise vanish)."""
    value = 0
    for char in gram:
        value = (value << BITS) | (ord(char) + 1)
    return value


class _Table:
    """Packed keys → targets (a key may have several), looked up for many keys at once."""

    def __init__(self, pairs: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(set(pairs))
        keys = np.array([k for k, _ in ordered], dtype=np.uint64)
        self.targets = np.array([t for _, t in ordered], dtype=np.intp)
        self.codes, self.starts = np.unique(keys, return_index=True)
        self.ends = np.append(self.starts[1:], len(keys)).astype(np.intp)

    def find(self, keys: Codes) -> tuple[IntArray, IntArray]:
        """(index into `keys`, target) for every target of every key found."""
        if not len(self.codes) or not len(keys):
            empty = np.zeros(0, dtype=np.intp)
            return empty, empty
        pos = np.minimum(np.searchsorted(self.codes, keys), len(self.codes) - 1)
        hit = np.flatnonzero(self.codes[pos] == keys)
        counts = self.ends[pos[hit]] - self.starts[pos[hit]]
        which = np.repeat(hit, counts)
        first = np.repeat(self.starts[pos[hit]], counts)
        step = np.arange(len(which)) - np.repeat(np.cumsum(counts) - counts, counts)
        return which, self.targets[first + step]


class PackedFeaturiser:
    """`Featuriser.batch` in NumPy (requires n_max ≤ 3)."""

    def __init__(self, index: dict[str, int], n_range: tuple[int, int], lexicon: Iterable[str]) -> None:
        n_min, n_max = n_range
        if n_max > MAX_N:
            raise ValueError(f"n-grams longer than {MAX_N} do not pack")
        self.n_range, self.width = n_range, len(index)
        self.grams = _Table((pack(name), col) for name, col in index.items() if n_min <= len(name) <= n_max)
        whole: list[tuple[int, int]] = []  # phrase is its own first n-gram: packed → target
        self.long: list[tuple[str, int]] = []  # (phrase, target) confirmed with `in`
        self.always: list[tuple[str, int]] = []  # shorter than n_min: searched for in every text
        trigger: list[tuple[int, int]] = []
        # Targets: a column (≥ 0) for lexicon phrases, −1 − rank for concept phrases.
        phrases = [(p, index.get(LEXICON_PREFIX + p, -1)) for p in dict.fromkeys(lexicon)]
        phrases = [(p, c) for p, c in phrases if c >= 0]
        phrases += [(p, -1 - rank) for rank, name in enumerate(NAMES) for p in CONCEPTS[name]]
        for phrase, target in phrases:
            length = min(len(phrase), n_max)
            if length < max(n_min, 1):
                self.always.append((phrase, target))
            elif length == len(phrase):
                whole.append((pack(phrase), target))
            else:
                trigger.append((pack(phrase[:length]), len(self.long)))
                self.long.append((phrase, target))
        self.whole, self.trigger = _Table(whole), _Table(trigger)
        pairs = list(combinations(range(len(NAMES)), 2))
        single = [index.get(CONCEPT_PREFIX + name, -1) for name in NAMES]
        pair = [index.get(f"{CONCEPT_PREFIX}{NAMES[a]}+{NAMES[b]}", -1) for a, b in pairs]
        self.single_cols = np.array(single, dtype=np.intp)
        self.pair_a = np.array([a for a, _ in pairs], dtype=np.intp)
        self.pair_b = np.array([b for _, b in pairs], dtype=np.intp)
        self.pair_cols = np.array(pair, dtype=np.intp)

    def batch(self, norms: Sequence[str]) -> tuple[IntArray, IntArray]:
        """(distinct columns of each text, one text after the other; where each text starts; n + 1)."""
        docs, keys = self._grams(norms)
        order = np.argsort(keys)  # searchsorted is several times faster on sorted needles
        docs, keys = docs[order], keys[order]
        at, cols = self.grams.find(keys)
        doc_parts, col_parts = [docs[at]], [cols]
        at, targets = self.whole.find(keys)
        phrase_docs, phrase_targets = [docs[at]], [targets]
        at, longs = self.trigger.find(keys)
        extra = [
            (d, self.long[i][1])
            for d, i in zip(docs[at].tolist(), longs.tolist(), strict=True)
            if self.long[i][0] in norms[d]
        ]
        extra += [(d, t) for d, norm in enumerate(norms) for p, t in self.always if p in norm]
        phrase_docs.append(np.array([d for d, _ in extra], dtype=np.intp))
        phrase_targets.append(np.array([t for _, t in extra], dtype=np.intp))
        found_docs, found = np.concatenate(phrase_docs), np.concatenate(phrase_targets)
        lexicon = found >= 0
        doc_parts.append(found_docs[lexicon])
        col_parts.append(found[lexicon])
        present = np.zeros((len(norms), len(NAMES)), dtype=bool)
        present[found_docs[~lexicon], -1 - found[~lexicon]] = True
        for cols_of, mask in ((self.single_cols, present), (self.pair_cols, self._pairs(present))):
            d, k = np.nonzero(mask)
            keep = cols_of[k] >= 0
            doc_parts.append(d[keep].astype(np.intp))
            col_parts.append(cols_of[k[keep]])
        return self._distinct(np.concatenate(doc_parts), np.concatenate(col_parts), len(norms))

    def _pairs(self, present: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
        both: npt.NDArray[np.bool_] = present[:, self.pair_a] & present[:, self.pair_b]
        return both

    def _grams(self, norms: Sequence[str]) -> tuple[IntArray, Codes]:
        """(text index, packed n-gram) for every n-gram of every text, repeats included."""
        n_min, n_max = self.n_range
        lengths = np.array([len(n) for n in norms], dtype=np.intp)
        text = "".join(norms).encode("utf-32-le", errors="surrogatepass")
        chars = np.frombuffer(text, dtype=np.uint32).astype(np.uint64) + np.uint64(1)
        docs = np.repeat(np.arange(len(norms), dtype=np.intp), lengths)
        room = np.repeat(np.cumsum(lengths), lengths) - np.arange(len(chars))  # chars left in its text
        gram, doc_parts, key_parts = chars, [], []
        for n in range(1, n_max + 1):
            if n > 1:
                gram = (gram[:-1] << np.uint64(BITS)) | chars[n - 1 :]
            if n >= n_min:
                ok = room[: len(gram)] >= n
                doc_parts.append(docs[: len(gram)][ok])
                key_parts.append(gram[ok])
        if not key_parts:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.uint64)
        return np.concatenate(doc_parts), np.concatenate(key_parts)

    def _distinct(self, docs: IntArray, cols: IntArray, n: int) -> tuple[IntArray, IntArray]:
        pairs = np.sort(docs.astype(np.int64) * self.width + cols)  # np.unique hashes: slower here
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs
        offsets = np.searchsorted(pairs // self.width, np.arange(n + 1)).astype(np.intp)
        return (pairs % self.width).astype(np.intp), offsets
