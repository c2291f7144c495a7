"""The packaged mule-account model: trained deterministically on the simulator's mule rings (every
typology), never on the shared data sets. `fanzha twocards accounts train --default` rebuilds it; a test
fails when the shipped file is no longer what this would build (probe scores and the data digest)."""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import polars as pl

from fanzha.corpus.rings import RingConfig, RingNetwork, generate
from fanzha.twocards import accounts

DEFAULT_CONFIG = RingConfig(accounts=12_000, days=90, rings_per_typology=30, seed=20261201)
PROBE_CONFIG = RingConfig(accounts=1_500, days=40, rings_per_typology=2, seed=31)
PROBES = 25  # accounts of the probe network whose scores are stored with the model


def as_transfers(net: RingNetwork) -> pl.DataFrame:
    """The network's transfers in the models' shape: amounts in yuan."""
    return net.transfers.select("payer", "payee", (pl.col("amount") / 100).alias("amount"), "ts")


def digest(net: RingNetwork) -> str:
    """SHA-256 of the training transfers and labels: what the default model learned from."""
    h = hashlib.sha256()
    h.update(net.transfers.write_csv().encode())
    h.update(net.labels.write_csv().encode())
    return h.hexdigest()


def probe_scores(model: accounts.AccountModel) -> list[float]:
    """The model's scores of the first PROBES accounts (by name) of a small fixed probe network."""
    net = generate(PROBE_CONFIG)
    scored = accounts.score(model, as_transfers(net), has_clock=True).sort("account").head(PROBES)
    return [round(float(s), 4) for s in scored["score"]]


def train_default() -> tuple[accounts.AccountModel, dict[str, Any]]:
    net = generate(DEFAULT_CONFIG)
    model, report = accounts.train(as_transfers(net), net.labels.select("account", "label"), has_clock=True)
    meta: dict[str, Any] = {
        "training": report,
        "data": "simulator mule rings (fanzha.corpus.rings), all typologies",
        "config": {k: getattr(DEFAULT_CONFIG, k) for k in DEFAULT_CONFIG.__slots__},
        "digest": digest(net),
    }
    built = accounts.AccountModel(model.first, model.second, model.threshold, model.high, meta)
    probes = probe_scores(built)
    meta["probe"] = probes
    assert np.isfinite(probes).all()
    return built, report
