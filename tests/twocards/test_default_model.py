"""The packaged mule-account model is what `fanzha twocards accounts train --default` would build."""

import pytest

from fanzha.corpus.rings import generate
from fanzha.twocards import accounts, default
from fanzha.twocards.features import FIRST_PASS, SECOND_PASS


def test_the_shipped_model_is_what_train_default_would_build() -> None:
    """Fails when the simulator's rings change (digest), when the features or scoring code change
    (probe scores), or when the model file is missing: rebuild it with the hint's command."""
    hint = "the default mule-account model is stale: run `uv run fanzha twocards accounts train --default`"
    model = accounts.AccountModel.load(accounts.DEFAULT_MODEL)
    assert model.meta["digest"] == default.digest(generate(default.DEFAULT_CONFIG)), hint
    assert model.meta["config"]["seed"] == default.DEFAULT_CONFIG.seed, hint
    assert default.probe_scores(model) == pytest.approx(model.meta["probe"], abs=2e-4), hint
    assert len(model.meta["probe"]) == default.PROBES


def test_the_shipped_model_was_trained_on_the_simulator_and_scores_well_there() -> None:
    model = accounts.AccountModel.load(accounts.DEFAULT_MODEL)
    assert model.meta["data"].startswith("simulator mule rings")
    assert model.meta["training"]["oof"]["f1"] > 0.85
    assert model.first.feature_name() == list(FIRST_PASS)
    assert model.second.feature_name() == list(SECOND_PASS)
