"""保护性止付 through the store: proposed → confirmed by a named officer → released by the sweep or early."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from fanzha.funds import holds_service as hs
from fanzha.funds import service
from fanzha.funds.hold import HoldSettings
from fanzha.funds.model import HoldStatus, TransitionError
from fanzha.store.engine import session_factory
from fanzha.uow import UnitOfWork

T0 = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)


def _propose(engine: Engine) -> str:
    with UnitOfWork(session_factory(engine)) as uow:
        hold = hs.propose_hold(
            uow.session, unit_id="U1", subject_id="P1", accounts=["6222000011112222", " "], now=T0
        )
        uow.commit()
    assert hold.accounts == ("6222000011112222",)
    return hold.hold_id


def test_a_hold_takes_effect_only_when_confirmed_and_the_sweep_releases_it(engine: Engine) -> None:
    hold_id = _propose(engine)
    with UnitOfWork(session_factory(engine)) as uow:
        assert service.sweep(uow.session, T0 + timedelta(days=30)) == []  # a proposal never runs out
        assert hs.get_hold(uow.session, hold_id).status is HoldStatus.PROPOSED
        with pytest.raises(TransitionError):
            hs.confirm_hold(uow.session, hold_id, by=" ", at=T0)
        hold, effects = hs.confirm_hold(uow.session, hold_id, by="officer-1", at=T0)
        uow.commit()
    assert hold.status is HoldStatus.ACTIVE
    assert hold.planned_end == T0 + timedelta(hours=72)
    assert {e.kind for e in effects} == {"SEND_INSTRUCTION", "NOTIFY_SUBJECT", "AUDIT"}
    with UnitOfWork(session_factory(engine)) as uow:
        assert service.sweep(uow.session, T0 + timedelta(hours=71)) == []
        effects = service.sweep(uow.session, T0 + timedelta(hours=72, minutes=5))
        uow.commit()
    assert [e.kind for e in effects] == ["SEND_INSTRUCTION", "AUDIT"]
    with UnitOfWork(session_factory(engine)) as uow:
        released = hs.get_hold(uow.session, hold_id)
        assert released.status is HoldStatus.RELEASED
        assert released.released_at == T0 + timedelta(hours=72)
        with pytest.raises(TransitionError):
            hs.release_hold(uow.session, hold_id, by="officer-1", at=T0, reason="again")


def test_duration_is_configurable_and_bounded(engine: Engine) -> None:
    hold_id = _propose(engine)
    short = HoldSettings(duration=timedelta(hours=24))
    with UnitOfWork(session_factory(engine)) as uow:
        with pytest.raises(TransitionError):
            hs.confirm_hold(uow.session, hold_id, by="o", at=T0, duration=timedelta(days=8))
        hold, _ = hs.confirm_hold(uow.session, hold_id, by="o", at=T0, settings=short)
        assert hold.planned_end == T0 + timedelta(hours=24)
        assert hs.time_left(hold, T0 + timedelta(hours=20)) == timedelta(hours=4)


def test_early_release_needs_a_reason_and_a_proposal_can_be_withdrawn(engine: Engine) -> None:
    active, proposed = _propose(engine), _propose(engine)
    with UnitOfWork(session_factory(engine)) as uow:
        hs.confirm_hold(uow.session, active, by="o", at=T0)
        with pytest.raises(TransitionError):
            hs.release_hold(uow.session, active, by="o", at=T0 + timedelta(hours=1), reason=" ")
        hold, effects = hs.release_hold(
            uow.session, active, by="o", at=T0 + timedelta(hours=1), reason="已见面核实"
        )
        assert hold.status is HoldStatus.RELEASED
        assert hold.release_reason == "已见面核实"
        assert any(e.kind == "AUDIT" for e in effects)
        withdrawn, _ = hs.release_hold(uow.session, proposed, by="o", at=T0, reason="误报")
        assert withdrawn.status is HoldStatus.CANCELLED
        uow.commit()
        assert {h.hold_id for h in hs.list_holds(uow.session, ["U1"])} == {active, proposed}
        assert hs.list_holds(uow.session, ["U2"]) == []
        with pytest.raises(hs.HoldNotFoundError):
            hs.get_hold(uow.session, "nope")
