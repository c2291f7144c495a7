"""Has an upstream body (NAFC, bank, operator, 96110, citizen) pushed a lead about the person?"""

from __future__ import annotations

from collections.abc import Sequence

from fanzha.detection.context import DetectionContext
from fanzha.detection.detectors.base import Subject
from fanzha.detection.model import Signal
from fanzha.detection.state import KeyedState
from fanzha.event.model import Event, Lead


class UpstreamLead:
    codes = frozenset({"LEAD_LOW", "LEAD_MEDIUM", "LEAD_HIGH", "LEAD_CRITICAL"})
    name = "upstream_lead"
    kinds = frozenset({"lead"})

    def observe(
        self, event: Event, subject: Subject, state: KeyedState, ctx: DetectionContext
    ) -> Sequence[Signal]:
        if not isinstance(event, Lead):
            return ()
        evidence: dict[str, str | int] = {"source": event.source.value, "lead_level": event.level.name}
        if event.source_ref:
            evidence["source_ref"] = event.source_ref
        return (
            Signal(
                code=f"LEAD_{event.level.name}",
                detector=self.name,
                fraud_type=event.fraud_type,
                summary=f"上级/外部推送预警线索（{event.level.label}）",
                at=event.occurred_at,
                event_id=event.event_id,
                evidence=evidence,
            ),
        )
