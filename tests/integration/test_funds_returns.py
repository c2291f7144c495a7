"""资金返还 through the store: traced parts at once, pro rata only after the 30-day notice, each once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from fanzha.funds import returns_service as rs
from fanzha.funds.model import FreezeOrder, FreezeStatus, TransitionError
from fanzha.funds.repository import FundsRepository
from fanzha.funds.returns import ProRata, ReturnApplication
from fanzha.store.engine import session_factory
from fanzha.uow import UnitOfWork

T0 = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
FROZEN = "6200000011112222"


def applicant(victim: str, loss: int, traced: int) -> rs.Applicant:
    form = ReturnApplication(
        victim_id=victim,
        return_account=f"62220000{victim[-1] * 8}",
        case_unit="U1",
        case_no="A2025-1",
        involved_account=FROZEN,
        loss_fen=loss,
        case_officers=("甲", "乙"),
        freezing_unit="U1",
        freeze_officers=("丙", "丁"),
        frozen_account=FROZEN,
        frozen_fen=900_000,
        applied_at=T0,
    )
    return rs.Applicant(form, traced)


APPLICANTS = [applicant("V1", 600_000, 300_000), applicant("V2", 600_000, 0)]


@pytest.fixture
def freeze_id(engine: Engine) -> str:
    order = FreezeOrder(
        freeze_id="DJ1",
        unit_id="U1",
        notice_no="DJ1",
        account=FROZEN,
        account_name=None,
        amount_fen=900_000,
        requested_at=T0 - timedelta(days=2),
        status=FreezeStatus.ACTIVE,
        starts_at=T0 - timedelta(days=1),
        ends_at=T0 + timedelta(days=180),
    )
    with UnitOfWork(session_factory(engine)) as uow:
        FundsRepository(uow.session).save_freeze(order)
        uow.commit()
    return order.freeze_id


def test_pro_rata_waits_for_the_notice_and_nothing_is_decided_twice(engine: Engine, freeze_id: str) -> None:
    with UnitOfWork(session_factory(engine)) as uow:
        s = uow.session
        first = rs.decide(s, freeze_id, APPLICANTS, now=T0, prefix="东")
        assert first.pro_rata_refused
        assert [(d.victim_id, d.basis, d.amount_fen) for d in first.decisions] == [("V1", "TRACED", 300_000)]
        assert first.decisions[0].decision_no == "东公(刑)返字〔2025〕1号"
        with pytest.raises(TransitionError, match="30-day notice"):
            rs.decide(s, freeze_id, APPLICANTS, now=T0 + timedelta(days=40), prefix="东")
        rs.publish_notice(s, freeze_id, T0)
        with pytest.raises(TransitionError):
            rs.publish_notice(s, freeze_id, T0)
        early = rs.plan(s, freeze_id, APPLICANTS, T0 + timedelta(days=29))
        assert early.pro_rata is ProRata.AWAITING_NOTICE
        with pytest.raises(TransitionError, match="30-day notice"):
            rs.decide(s, freeze_id, APPLICANTS, now=T0 + timedelta(days=29), prefix="东")
        later = rs.decide(s, freeze_id, APPLICANTS, now=T0 + timedelta(days=30), prefix="东")
        uow.commit()
    assert not later.pro_rata_refused
    # 600,000 left after the traced 300,000, shared by remaining loss 300,000 : 600,000
    assert [(d.victim_id, d.basis, d.amount_fen) for d in later.decisions] == [
        ("V1", "PRO_RATA", 200_000),
        ("V2", "PRO_RATA", 400_000),
    ]
    assert [d.decision_no[-3:] for d in later.decisions] == ["〕2号", "〕3号"]
    with UnitOfWork(session_factory(engine)) as uow:
        stored = rs.decisions_for(uow.session, freeze_id)
        assert sum(d.amount_fen for d in stored) == 900_000
        with pytest.raises(TransitionError, match="nothing left"):
            rs.decide(uow.session, freeze_id, APPLICANTS, now=T0 + timedelta(days=31), prefix="东")
        with pytest.raises(rs.FreezeNotFoundError):
            rs.publish_notice(uow.session, "nope", T0)
