"""The fast scoring paths (one text, a batch, cues only when asked) give what the plain definition
of the model gives: features as a set of names, a float64 dot product, cues from every feature."""

import dataclasses
import json
import math
import random
import unicodedata

import numpy as np
import pytest

from fanzha.corpus import Channel, Stage, Topic, fraud_text, normal_text
from fanzha.detection.text import TextVerdict
from fanzha.event.codes import FraudType
from fanzha.text import normalise as norm_module
from fanzha.text.concepts import CONCEPT_PREFIX
from fanzha.text.cues import TOP_FEATURES, extract_cues
from fanzha.text.featurise import LEXICON_PREFIX, Featuriser, features, grams
from fanzha.text.lexicon import COURTESY, CUE_PHRASES
from fanzha.text.model import FRAUD_COL, N_CLASSES, NORMAL_COL, SPAM_COL, TextModel, default_scorer
from fanzha.text.normalise import normalise
from fanzha.text.packed import PackedFeaturiser
from fanzha.text.service import score_lines, verdict_record
from fanzha.text.train import (
    DEFAULT_SEED,
    TrainConfig,
    corpus_digest,
    generated_corpus,
    probe_scores,
    probe_texts,
)

EDGE_CASES = [
    "",
    "转",
    "，，，！！",
    "nfc",
    "NFC支付",
    "反诈中心提醒：凡是让你转到安全账户的都是诈骗",
    "請轉賬到安全賬戶，屏幕共享，日结兼职日结",
    "A：喂，你好\nB：你是谁\nA：我是公安局的，你涉嫌洗钱",
    "点击http://t.cn/xxxx领取💰💰，退订回T",
    "安全账户" * 1500,
]


def reference_score(model: TextModel, text: str) -> TextVerdict:
    """The model by its definition: slow, obviously right, float64."""
    norm = normalise(text)
    present = sorted(model.index[f] for f in features(norm, model.n_range, model.lexicon) if f in model.index)
    scale = 1.0 / math.sqrt(len(present)) if present else 0.0
    rows = model.weights[present]
    logits = rows.astype(np.float64).sum(axis=0) * scale + model.bias
    classes = np.exp(logits[:N_CLASSES] - logits[:N_CLASSES].max())
    classes /= classes.sum()
    probability = float(classes[FRAUD_COL])
    types = np.exp(logits[N_CLASSES:] - logits[N_CLASSES:].max())
    best = int(np.argmax(types))
    fraud = probability >= model.threshold
    other = NORMAL_COL if classes[NORMAL_COL] >= classes[SPAM_COL] else SPAM_COL
    if fraud:
        contributions = (rows[:, FRAUD_COL] - rows[:, other] + rows[:, N_CLASSES + best]) * scale
    else:
        contributions = (rows[:, other] - rows[:, FRAUD_COL]) * scale
    names = model.names()
    ranked = sorted(
        range(len(present)),
        key=lambda k: (-float(contributions[k]), names[present[k]].lstrip(LEXICON_PREFIX)),
    )
    strongest = [
        (names[present[k]], float(contributions[k]))
        for k in ranked[:TOP_FEATURES]
        if not names[present[k]].startswith(CONCEPT_PREFIX)
    ]
    return TextVerdict(
        probability=probability,
        fraud_type=model.types[best] if fraud else None,
        cues=extract_cues(norm, strongest),
        type_probabilities=tuple(
            (t, probability * p / types.sum()) for t, p in zip(model.types, types, strict=True)
        ),
        spam_probability=float(classes[SPAM_COL]),
    )


def generated_texts(seed: int = 404) -> list[str]:
    rng = random.Random(seed)
    texts = [fraud_text(t, s, c, rng) for t in FraudType for s in Stage for c in Channel]
    texts += [normal_text(t, c, rng) for t in Topic for c in Channel for _ in range(4)]
    return texts + EDGE_CASES


def assert_same(fast: TextVerdict, slow: TextVerdict) -> None:
    assert fast.probability == pytest.approx(slow.probability, abs=1e-6)
    assert fast.fraud_type == slow.fraud_type
    assert fast.cues == slow.cues
    assert [t for t, _ in fast.type_probabilities] == [t for t, _ in slow.type_probabilities]
    for (_, p_fast), (_, p_slow) in zip(fast.type_probabilities, slow.type_probabilities, strict=True):
        assert p_fast == pytest.approx(p_slow, abs=1e-6)
    assert fast.spam_probability == pytest.approx(slow.spam_probability, abs=1e-6)


def test_grams_are_every_distinct_substring_of_each_length() -> None:
    assert grams("abca", 1, 3) == {"a", "b", "c", "ab", "bc", "ca", "abc", "bca"}
    assert grams("abca", 2, 2) == {"ab", "bc", "ca"}
    assert grams("ab", 3, 3) == set()
    assert grams("", 1, 3) == set()


def test_one_at_a_time_matches_the_definition() -> None:
    model = default_scorer()
    texts = generated_texts()
    for text in texts:
        assert_same(model.score(text), reference_score(model, text))
    assert sum(reference_score(model, t).fraud_type is not None for t in texts) > len(texts) // 3


def test_a_batch_matches_one_at_a_time() -> None:
    model = default_scorer()
    texts = generated_texts(405)
    for fast, slow in zip(model.score_many(texts), map(model.score, texts), strict=True):
        assert_same(fast, slow)
    assert model.score_many([]) == []


def test_cues_are_only_worked_out_from_the_floor() -> None:
    model = default_scorer()
    for text in generated_texts(406):
        full, lazy = model.score(text), model.score(text, cues_from=0.7)
        assert lazy.probability == full.probability
        assert lazy.cues == (full.cues if full.probability >= 0.7 else ())
        batch = model.score_many([text], cues_from=0.7)[0]
        assert batch.cues == lazy.cues


@pytest.mark.parametrize("n_range", [(1, 3), (2, 3), (1, 1), (2, 4)])
def test_featurisers_find_exactly_the_defined_features(n_range: tuple[int, int]) -> None:
    texts = [normalise(t) for t in generated_texts(407)]
    lexicon = ("安全账户", "日结", "nfc", "反诈", "反诈中心", "a", "", "不在词表")
    seen = sorted(set().union(*(features(t, n_range, lexicon) for t in texts[::2])))
    index = {name: i for i, name in enumerate(seen) if "不在词表" not in name}  # half the texts: gaps
    found = Featuriser(index, n_range, lexicon)
    expected = [sorted(index[f] for f in features(t, n_range, lexicon) if f in index) for t in texts]
    assert [sorted(found.columns(t).tolist()) for t in texts] == expected
    columns, offsets = found.batch(texts)
    assert [sorted(columns[offsets[i] : offsets[i + 1]].tolist()) for i in range(len(texts))] == expected


def reference_normalise(text: str) -> str:
    """Every step of normalisation, none skipped, punctuation by a translation table."""
    n = norm_module
    t2s, _ = n._tables()
    punct = {c: "," for c in range(0x21, 0x10000) if unicodedata.category(chr(c))[0] in "PS"}
    punct = {c: v for c, v in punct.items() if not 0xE000 <= c <= 0xF8FF}
    text = unicodedata.normalize("NFKC", text[: n.MAX_CHARS * 2]).lower().translate(t2s)
    text = n._SPEAKER.sub("", text)
    text = n._URL_RE.sub(n._URL, text)
    text = n._LONG_NUMBER.sub(n._NUM, text)
    text = n._NUMBER.sub("0", text)
    text = n._NAME.sub("某", text)
    text = n._EMOJI.sub(n._EMO, text)
    text = text.replace("\n", ",").translate(punct)
    text = n._COMMAS.sub(",", n._SPACE.sub("", text)).strip(",")
    expand = {ord(n._URL): n.URL_TOKEN, ord(n._NUM): n.NUMBER_TOKEN, ord(n._EMO): n.EMOJI_TOKEN}
    return text.translate(expand)[: n.MAX_CHARS]


def test_normalise_skips_only_steps_that_cannot_match() -> None:
    tricky = ["见www.abc.com", "打开HTTPS://x.y/z", "客服：你好", "甲:喂", "a.b", "§¥€→①②", "\ue000\ue001"]
    for text in generated_texts(408) + tricky:
        assert normalise(text) == reference_normalise(text)


def test_scoring_lines_in_batches_keeps_order_and_errors() -> None:
    texts = generated_texts(409)[:40]
    lines = [json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in enumerate(texts)]
    lines[3:3] = ["", "{broken", json.dumps({"id": "x", "text": 7})]
    model = default_scorer()
    small, large = list(score_lines(lines, model, batch_size=2)), list(score_lines(lines, model))
    assert small == large
    assert len(small) == len(lines)
    assert [r.get("error") is not None for r in small[2:7]] == [False, True, True, True, False]
    assert [r["id"] for r in small if "error" not in r] == list(range(len(texts)))
    assert small[0] == verdict_record(0, model.score(texts[0]))


def test_the_shipped_model_is_what_train_default_would_build() -> None:
    """Retraining takes ~20 s, so check what it depends on: the generated corpus (a generator or
    phrase-table change without `fanzha text train --default` fails here), the config, the lexicon,
    and the scores the model gave a fixed probe set when it was trained (scoring code changes)."""
    model = default_scorer()
    hint = "the default model is stale: run `uv run fanzha text train --default`"
    assert model.meta["config"] == dataclasses.asdict(TrainConfig()), hint
    assert model.meta["corpus_sha256"] == corpus_digest(generated_corpus(DEFAULT_SEED)), hint
    assert model.lexicon == CUE_PHRASES, hint
    assert model.meta["courtesy"] == list(COURTESY), hint
    assert probe_scores(model) == pytest.approx(model.meta["probe"], abs=2e-4), hint
    assert len(model.meta["probe"]) == len(probe_texts())


def test_repeated_texts_are_answered_from_recent_verdicts_with_the_same_result() -> None:
    model = default_scorer()
    text = "您的快递丢失，请添加客服办理理赔退款"
    first = model.score(text, cues_from=0.7)
    assert model.score(text, cues_from=0.7) is first  # remembered
    assert model.score_normalised(normalise(text), cues_from=0.7) == first  # and the same as scoring anew
    assert model.score(text, cues_from=1.1).cues == ()  # a different cue request is its own entry


@pytest.mark.parametrize("n_range", [(1, 3), (2, 3), (1, 1), (3, 3)])
def test_the_packed_batch_featuriser_finds_exactly_the_defined_features(n_range: tuple[int, int]) -> None:
    texts = [normalise(t) for t in generated_texts(410)] + ["", "a", "\x00安全账户\x00", "\ud800转账"]
    lexicon = ("安全账户", "日结", "nfc", "反诈", "反诈中心", "a", "", "不在词表", "屏幕共享")
    seen = sorted(set().union(*(features(t, n_range, lexicon) for t in texts[::2])))
    index = {name: i for i, name in enumerate(seen) if "不在词表" not in name}
    expected = [sorted(index[f] for f in features(t, n_range, lexicon) if f in index) for t in texts]
    columns, offsets = PackedFeaturiser(index, n_range, lexicon).batch(texts)
    assert [columns[offsets[i] : offsets[i + 1]].tolist() for i in range(len(texts))] == expected
    empty, start = PackedFeaturiser(index, n_range, lexicon).batch([])
    assert len(empty) == 0
    assert start.tolist() == [0]
