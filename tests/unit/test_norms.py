"""Payment norms, number origins and choosing detectors (the evaluation's baselines)."""

from __future__ import annotations

import pytest

from fanzha.detection.context import DetectorSettings
from fanzha.detection.detectors.risky_call import OVERSEAS, VIRTUAL, number_origin
from fanzha.detection.profile import PaymentProfile
from fanzha.detection.registry import DETECTORS, select_detectors

SETTINGS = DetectorSettings()


def test_profile_round_trips_through_bytes_and_learns_payees() -> None:
    profile = PaymentProfile.prior(SETTINGS)
    for k in range(30):
        profile = profile.after(f"6200{k:012d}", 10_000 + k, SETTINGS)
    again = PaymentProfile.decode(profile.encode())
    assert again.count == 30
    assert again.knows(f"6200{29:012d}")
    assert not again.knows(f"6200{0:012d}")  # only the most recent payees are kept
    assert len(profile.encode()) <= 10 + 4 * SETTINGS.known_payees


def test_one_huge_payment_barely_moves_a_long_norm() -> None:
    profile = PaymentProfile.prior(SETTINGS)
    for _ in range(50):
        profile = profile.after("shop", 10_000, SETTINGS)
    assert profile.deviations(2_000_000, SETTINGS) > SETTINGS.spike_deviations
    after = profile.after("car dealer", 20_000_000, SETTINGS)
    assert 9_000 < after.typical_fen() < 20_000


@pytest.mark.parametrize(
    ("number", "origin"),
    [
        ("+85261234567", OVERSEAS),
        ("0085261234567", OVERSEAS),
        ("+8613800000001", None),
        ("17012345678", VIRTUAL),
        ("+8616512345678", VIRTUAL),
        ("13800000001", None),
        ("95588", None),
    ],
)
def test_number_origin(number: str, origin: str | None) -> None:
    assert number_origin(number, SETTINGS) == origin


def test_select_detectors_for_baselines() -> None:
    assert [d.name for d in select_detectors(["upstream_lead", "payee_listed"])] == [
        "payee_listed",
        "upstream_lead",
    ]
    assert select_detectors() == tuple(DETECTORS.values())
    with pytest.raises(ValueError, match="unknown detectors: nope"):
        select_detectors(["nope"])
