"""Generalisation across laundering shapes: a model trained on some ring typologies of the simulator
still finds rings of typologies it never saw. (The shared AMLSim set is not used: the suite runs
without it; `docs/twocards.md` has the figures on it.)"""

import polars as pl

from fanzha.corpus.rings import TYPOLOGIES, RingConfig, generate
from fanzha.twocards import accounts, boost
from fanzha.twocards.default import as_transfers

SEEN = ("fan_in", "cycle")


def test_rings_of_unseen_typologies_are_found() -> None:
    train = generate(RingConfig(accounts=4_000, days=60, rings_per_typology=20, typologies=SEEN, seed=3))
    model, _ = accounts.train(as_transfers(train), train.labels.select("account", "label"), has_clock=True)
    unseen = tuple(t for t in TYPOLOGIES if t not in SEEN)
    test = generate(RingConfig(accounts=4_000, days=60, rings_per_typology=4, typologies=unseen, seed=4))
    scored = accounts.score(model, as_transfers(test), has_clock=True).join(test.labels, on="account")
    y, flag = scored["label"].to_numpy(), scored["flag"].to_numpy().astype(bool)
    fit = boost.measure(y, flag, model.threshold)
    assert fit.f1 > 0.7, fit
    recall = scored.filter(pl.col("label") == 1).group_by("typology").agg(pl.col("flag").mean())
    assert recall.height == len(unseen)
    assert recall["flag"].min() > 0.15, recall  # no unseen shape is missed wholesale (worst: fan-out)
