"""Money recovered: how much of a victim's traced money stops and freezes would have caught.

Pure and reusable by the evaluation: given a traced tree and, per account, the moment a stop or
freeze took hold (and held, i.e. was converted to a freeze in time), count the victim's money that
was on those accounts at that moment or arrived afterwards. Money that left a held account before the
hold is followed downstream; money that would have left after it is caught where it was, and the
onward transfers it would have paid are not counted again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from fanzha.funds.model import require_aware
from fanzha.funds.trace import Trace, TraceNode


@dataclass(frozen=True, slots=True)
class Recovery:
    traced_fen: int
    recoverable_fen: int
    by_account: Mapping[str, int]

    @property
    def share(self) -> float:
        """Recovered share of the traced money (for reports only; money itself stays in fen)."""
        return self.recoverable_fen / self.traced_fen if self.traced_fen else 0.0


def recoverable(trace: Trace, held_at: Mapping[str, datetime]) -> Recovery:
    """The victim's money in `trace` caught by holds taking effect at `held_at[account]`."""
    for moment in held_at.values():
        require_aware(moment)
    kids = trace.by_parent()
    by_account: dict[str, int] = {}

    def walk(node: TraceNode) -> None:
        hold = held_at.get(node.account)
        children = kids.get(node.node_id, [])
        if hold is not None:
            escaped = [c for c in children if c.at < hold]
            caught = node.amount_fen - sum(c.amount_fen for c in escaped)
            if caught:
                by_account[node.account] = by_account.get(node.account, 0) + caught
            children = escaped
        for child in children:
            walk(child)

    for root in kids.get(None, []):
        walk(root)
    return Recovery(
        traced_fen=trace.traced_fen, recoverable_fen=sum(by_account.values()), by_account=by_account
    )


def holds_from_exposure(
    trace: Trace, *, reported_at: datetime, delay: timedelta, max_level: int | None = None
) -> dict[str, datetime]:
    """Holds a centre would place: every traced account (up to `max_level`) stopped `delay` after the report.

    A simple what-if for the evaluation: "if stops took `delay` from the report, how much comes back".
    """
    require_aware(reported_at)
    when = reported_at + delay
    return {
        n.account: when for n in trace.nodes if (max_level is None or n.level <= max_level) and n.at <= when
    }
