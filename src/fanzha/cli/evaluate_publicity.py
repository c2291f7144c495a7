"""The table of `fanzha evaluate --publicity`: targeted against flooding against no publicity."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.table import Table

if TYPE_CHECKING:
    from fanzha.evaluate.publicity_metrics import PublicityReport, StrategyFigures

TITLES = {"targeted": "精准滴灌 targeted", "flood": "大水漫灌 flood", "none": "不宣传 none"}


def _num(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _yuan(fen: float | None) -> str:
    return "—" if fen is None else f"¥{fen / 100:,.0f}"


def publicity_table(report: PublicityReport, title: str = "") -> Table:
    """One column per strategy: cost, victims, loss, and what it avoided per 1,000 messages and per hour."""
    table = Table(title=title or "宣防效果 publicity (same stream, same officers, same luck)")
    table.add_column("指标 metric")
    names = list(report.strategies)
    for name in names:
        table.add_column(TITLES.get(name, name), justify="right")
    rows: list[tuple[str, Callable[[StrategyFigures], str]]] = [
        ("短信 messages", lambda f: f"{f.messages:,}"),
        ("走访 visits (特殊群体)", lambda f: f"{f.visits:,}"),
        ("警力 officer hours", lambda f: _num(f.officer_hours, 1)),
        ("受害人 victims (still paid)", lambda f: str(f.victims)),
        ("损失 loss", lambda f: _yuan(f.loss_fen)),
        ("避免受害 victims avoided", lambda f: str(f.victims_avoided)),
        ("避免损失 loss avoided", lambda f: _yuan(f.loss_avoided_fen)),
        ("每千条短信避免受害 /1,000 msgs", lambda f: _num(f.victims_avoided_per_1000_messages)),
        ("每千条短信避免损失 /1,000 msgs", lambda f: _yuan(f.loss_avoided_per_1000_messages_fen)),
        ("每警时避免受害 /officer hour", lambda f: _num(f.victims_avoided_per_officer_hour, 3)),
        ("每警时避免损失 /officer hour", lambda f: _yuan(f.loss_avoided_per_officer_hour_fen)),
    ]
    for label, cell in rows:
        table.add_row(label, *(cell(report.strategies[n]) for n in names))
    params = report.parameters
    table.caption = (
        f"budget {params.get('budget', 0):,} SMS at {params.get('campaign_at', '')}; targeting "
        f"{params.get('targeting_version', '')}; awareness [DESIGN]: {params.get('awareness', {})}; "
        "none = the platform run; victims = people who still paid"
    )
    return table
