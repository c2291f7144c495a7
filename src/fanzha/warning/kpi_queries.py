"""The KPIs' read side (§3.8): what the metrics need of each assigned warning, and the rates as shown."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from fanzha.auth.model import Principal
from fanzha.warning.deadlines import WorkflowConfig
from fanzha.warning.kpis import Kpis, Rate, WarningFacts, compute
from fanzha.warning.model import Warning, WarningStatus
from fanzha.warning.ports import Deadline
from fanzha.warning.workflow_repository import WorkflowRepository, load_units


def unit_scope(session: Session, unit_id: str | None) -> frozenset[str] | None:
    """`unit_id` and the units below it (None: no filter)."""
    return load_units(session).subtree(unit_id) if unit_id else None


def scoped_warnings(session: Session, principal: Principal, unit_id: str | None) -> list[Warning]:
    """Warnings of `unit_id` and below (or all) that the principal's units cover."""
    warnings = WorkflowRepository(session).warnings_in(unit_scope(session, unit_id))
    return [w for w in warnings if principal.can_see(w.unit_id)]


def latest_deadlines(deadlines: Iterable[Deadline]) -> dict[int, dict[str, Deadline]]:
    """Per warning, the newest deadline of each kind (a re-assignment starts new ones)."""
    found: dict[int, dict[str, Deadline]] = {}
    for d in sorted(deadlines, key=lambda d: d.id):
        if d.state != "CANCELLED":
            found.setdefault(d.warning_id, {})[d.kind.value] = d
    return found


def _id(warning: Warning) -> int:
    if warning.warning_id is None:
        raise ValueError("warning has not been stored")
    return warning.warning_id


def facts(session: Session, warnings: list[Warning]) -> list[WarningFacts]:
    """What the metrics need of each assigned warning, from its workflow record and deadlines."""
    ids = [_id(w) for w in warnings]
    repo = WorkflowRepository(session)
    flows = repo.flows(ids)
    deadlines = latest_deadlines(repo.deadlines(ids))
    found = []
    for w in warnings:
        flow = flows.get(_id(w))
        if flow is None or flow.assigned_at is None:
            continue
        due = deadlines.get(flow.warning_id, {})
        found.append(
            WarningFacts(
                warning_id=flow.warning_id,
                unit_id=w.unit_id,
                level=w.level,
                assigned_at=flow.assigned_at,
                signed_at=flow.signed_at,
                sign_due=due["SIGN"].due_at if "SIGN" in due else None,
                first_contact_at=flow.first_contact_at,
                contact_due=due["CONTACT"].due_at if "CONTACT" in due else None,
                reached=flow.reached,
                met=flow.met_at is not None,
                outcome=flow.outcome,
                outcome_at=flow.outcome_at,
                closed=w.status is WarningStatus.CLOSED,
            )
        )
    return found


def kpis(
    session: Session,
    principal: Principal,
    config: WorkflowConfig,
    *,
    unit_id: str | None,
    start: datetime,
    end: datetime,
) -> Kpis:
    """§3.8 metrics for the warnings assigned in [start, end) owned by `unit_id` and the units below it."""
    period = [
        f
        for f in facts(session, scoped_warnings(session, principal, unit_id))
        if start <= f.assigned_at < end
    ]
    return compute(period, config)


def kpis_by_unit(
    session: Session,
    principal: Principal,
    config: WorkflowConfig,
    unit_ids: list[str],
    *,
    start: datetime,
    end: datetime,
) -> dict[str, Kpis]:
    """KPIs of several units at once (each with the units below it), reading the warnings once."""
    tree = load_units(session)
    period = [
        f for f in facts(session, scoped_warnings(session, principal, None)) if start <= f.assigned_at < end
    ]
    result = {}
    for unit_id in unit_ids:
        below = tree.subtree(unit_id)
        result[unit_id] = compute([f for f in period if f.unit_id in below], config)
    return result


KPI_LABELS = {
    "sign_rate": "签收率",
    "on_time_sign_rate": "及时签收率",
    "contact_rate": "联系率",
    "on_time_rate": "劝阻率（时限内首次联系）",
    "meet_rate": "劝阻见面率",
    "success_rate": "劝阻成功率",
    "success_rate_plain": "劝阻成功率（以 W 为分母）",
    "victimisation_rate": "预警后被骗率",
    "precision": "预警准确率",
}


@dataclass(frozen=True, slots=True)
class RateView:
    label: str
    numerator: int
    denominator: int
    denominator_label: str
    value: float | None


@dataclass(frozen=True, slots=True)
class KpiView:
    """KPIs as shown: each rate with numerator, denominator, what the denominator is, and its label."""

    warnings: int
    rates: dict[str, RateView]


def kpi_view(k: Kpis) -> KpiView:
    def rate(name: str, label: str) -> RateView:
        r: Rate = getattr(k, name)
        return RateView(label, r.numerator, r.denominator, r.denominator_label, r.value)

    return KpiView(k.warnings, {name: rate(name, label) for name, label in KPI_LABELS.items()})


@dataclass(frozen=True, slots=True)
class KpiReport:
    """One unit's KPIs (with the units below it) for warnings assigned in [start, end)."""

    unit_id: str | None
    start: datetime
    end: datetime
    warnings: int
    rates: dict[str, RateView]


@dataclass(frozen=True, slots=True)
class UnitKpis:
    """A row of the 考核 table: one unit and its KPIs."""

    unit_id: str
    name: str
    warnings: int
    rates: dict[str, RateView]


def kpi_report(k: Kpis, unit_id: str | None, start: datetime, end: datetime) -> KpiReport:
    view = kpi_view(k)
    return KpiReport(unit_id, start, end, view.warnings, view.rates)


def unit_kpis(
    session: Session,
    principal: Principal,
    config: WorkflowConfig,
    units: list[tuple[str, str]],
    *,
    start: datetime,
    end: datetime,
) -> list[UnitKpis]:
    """The 考核 table: each of `units` (id, name) with its KPIs."""
    by_unit = kpis_by_unit(session, principal, config, [u for u, _ in units], start=start, end=end)
    rows = []
    for unit_id, name in units:
        view = kpi_view(by_unit[unit_id])
        rows.append(UnitKpis(unit_id, name, view.warnings, view.rates))
    return rows
