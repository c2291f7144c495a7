"""The benchmark's plain-pandas baseline builds the same features as the Polars path."""

import numpy as np
import pytest

from fanzha.corpus.rings import RingConfig, generate
from fanzha.twocards import features
from fanzha.twocards.default import as_transfers

pandas_baseline = pytest.importorskip("fanzha.twocards.pandas_baseline", reason="pandas is a dev dependency")


@pytest.mark.parametrize("has_clock", [True, False])
def test_pandas_and_polars_features_agree(has_clock: bool) -> None:
    net = generate(RingConfig(accounts=800, days=30, rings_per_typology=2, seed=21))
    tx, names = features.indexed(as_transfers(net))
    fast = features.first_pass(tx, names.len(), has_clock=has_clock)
    slow = pandas_baseline.first_pass(tx, names.len(), has_clock=has_clock)
    assert list(slow.columns) == ["id", *features.FIRST_PASS]
    for name in features.FIRST_PASS:
        left = fast[name].cast(float).to_numpy()
        right = slow[name].to_numpy(dtype=float)
        np.testing.assert_allclose(left, right, rtol=1e-9, atol=1e-12, equal_nan=True, err_msg=name)
