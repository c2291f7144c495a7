"""The measures ladder (domain brief §3.4): which channels a warning of each level starts with. Pure.

[DESIGN] LOW → warning SMS; MEDIUM → SMS + 96110 call; HIGH → SMS + call + home visit;
CRITICAL → all in parallel, with family contact (§3.7: "parallel: call + SMS + family + dispatch").
"""

from __future__ import annotations

from fanzha.event.codes import RiskLevel
from fanzha.warning.lifecycle import Channel

LADDER: dict[RiskLevel, tuple[Channel, ...]] = {
    RiskLevel.LOW: (Channel.SMS,),
    RiskLevel.MEDIUM: (Channel.SMS, Channel.CALL_96110),
    RiskLevel.HIGH: (Channel.SMS, Channel.CALL_96110, Channel.VISIT),
    RiskLevel.CRITICAL: (Channel.SMS, Channel.CALL_96110, Channel.FAMILY, Channel.VISIT),
}


def steps(level: RiskLevel) -> tuple[Channel, ...]:
    """The channels to start for a warning of `level`, in the order they are staged."""
    return LADDER[level]
