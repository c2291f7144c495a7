"""The keyed-state contract that lets a keyed engine host the detectors, checked without Flink.

A simulated city is evaluated twice with the same pure code: once over one in-memory state (the
embedded runner's view), once split by subject the way Flink splits it (`keyed.routes` + `keyed.process`
over one store per subject). Every evaluation must be the same. A detector that read another subject's
state, wrote a key naming no subject, or decided a counterparty's write from its own subject's state
would make them differ (or raise `UnscopedKeyError`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from fanzha.clock import ManualClock
from fanzha.detection.context import DetectionContext, DetectorSettings
from fanzha.detection.state import InMemoryState
from fanzha.evaluate.loop import Prepared, prepare
from fanzha.pipeline import Evaluation, PipelineContext, evaluate
from fanzha.risk.policy import default_policy
from fanzha.sim.world import generate
from fanzha.stream.flink.keyed import DictBackend, Role, ScopedState, UnscopedKeyError, process, routes


@pytest.fixture(scope="module")
def prepared() -> Prepared:
    return prepare(generate(1000, 3, 11, victim_rate=0.05))


def context(prepared: Prepared) -> PipelineContext:
    return PipelineContext(
        clock=ManualClock(datetime(2000, 1, 1, tzinfo=UTC)),
        policy=default_policy(),
        detection=DetectionContext(
            prepared.lists, DetectorSettings(), profiles=prepared.profiles, text_scorer=prepared.text_scorer
        ),
        directory=prepared.directory,
    )


def test_split_by_subject_the_detectors_decide_exactly_as_over_one_state(prepared: Prepared) -> None:
    ctx = context(prepared)
    events = sorted(prepared.events, key=lambda e: e.occurred_at)
    whole = InMemoryState()
    expected: list[Evaluation] = []
    for event in events:
        whole.at(event.occurred_at)
        expected.append(evaluate(event, whole, replace(ctx, clock=ManualClock(event.occurred_at))))

    stores: dict[str, DictBackend] = {}
    got: list[Evaluation | None] = []
    roles: list[Role] = []
    for event in events:
        for key, role in routes(event, ctx):
            roles.append(role)
            outcome = process(
                event, role, key, stores.setdefault(key, DictBackend()), ctx, now=event.occurred_at
            )
            if role is Role.SUBJECT:
                got.append(outcome.evaluation)

    assert got == expected
    # The city exercises what the contract is about: transfers between residents, and signals.
    assert roles.count(Role.COUNTERPARTY) > 100
    assert sum(1 for e in expected if e.assessment is not None) > 20
    rebates_in = [k for store in stores.values() for k in store.data if k.startswith("rebate_escalation:in:")]
    assert rebates_in, "no rebate came in: the counterparty writes went untested"


def test_a_key_naming_no_subject_is_refused() -> None:
    state = ScopedState(
        DictBackend(), local="person:P1", other="person:P2", now=datetime(2026, 1, 1, tzinfo=UTC)
    )
    state.put("norm:person:P1", b"x")
    state.put("rebate_escalation:in:person:P2", ("mark",))
    assert state.get("rebate_escalation:in:person:P2") == ("mark",)  # visible for this event only
    with pytest.raises(UnscopedKeyError):
        state.get("global-counter")
    backend = DictBackend()
    scoped = ScopedState(backend, local="person:P1", other="person:P2", now=datetime(2026, 1, 1, tzinfo=UTC))
    scoped.put("norm:person:P1", b"x")
    scoped.put("rebate_escalation:in:person:P2", ("mark",))
    scoped.commit()
    assert list(backend.data) == ["norm:person:P1"]  # the payee's worker keeps the payee's keys


def test_an_expired_key_reads_as_absent_before_cleanup_in_memory_and_staged() -> None:
    from datetime import timedelta

    from fanzha.detection.state import OverlayState

    t0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
    base = InMemoryState()
    base.put("norm:person:P1", b"n", t0 + timedelta(hours=1))
    overlay = OverlayState(base)
    overlay.put("risk:person:P1", ("s",), t0 + timedelta(hours=1))
    base.at(t0 + timedelta(minutes=30))
    assert base.get("norm:person:P1") == b"n"
    assert overlay.get("risk:person:P1") == ("s",)
    base.at(t0 + timedelta(hours=2))  # due, though `expire` has not run
    assert base.get("norm:person:P1") is None
    assert overlay.get("risk:person:P1") is None
    assert len(base) == 1  # still there until cleanup
