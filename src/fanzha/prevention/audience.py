"""Who a campaign reaches: the registry's people in the unit's area that its topics target (pure).

One tip per person and campaign: a person several topics target gets the first of the campaign's
topics that matches. An SMS is not planned for a person who opted out, nor for one who already had
their share of publicity SMS in the cap period (both are recorded, so the numbers stay honest).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from fanzha.prevention.config import CampaignLimits
from fanzha.prevention.model import Channel, ReachStatus, Resident
from fanzha.prevention.targets import Targeting


@dataclass(frozen=True, slots=True)
class Planned:
    """One person's tip as planned: PENDING, or the reason it will not be sent."""

    person_id: str
    unit_id: str | None
    topic: str
    status: ReachStatus


class AudienceTooLargeError(ValueError):
    """The audience passes the configured maximum: split the campaign by unit."""


def plan_audience(
    residents: Iterable[Resident],
    *,
    topics: Sequence[str],
    targeting: Targeting,
    year: int,
    channel: Channel,
    limits: CampaignLimits,
    opted_out: Container[str] = frozenset(),
    recent_sms: Mapping[str, int] | None = None,
) -> Iterator[Planned]:
    """The campaign's reach, person by person (lazily: a city-wide registry is streamed through)."""
    for code in topics:
        targeting.topic(code)  # unknown topics fail before anyone is planned
    recent = recent_sms or {}
    count = 0
    for person in residents:
        matched = targeting.topics_for(person, year, topics)
        if not matched:
            continue
        count += 1
        if count > limits.max_audience:
            raise AudienceTooLargeError(
                f"the audience passes {limits.max_audience:,} people: split the campaign by unit"
            )
        topic = min(matched, key=topics.index)
        yield Planned(
            person.person_id, person.unit_id, topic, _status(person, channel, limits, opted_out, recent)
        )


def _status(
    person: Resident,
    channel: Channel,
    limits: CampaignLimits,
    opted_out: Container[str],
    recent: Mapping[str, int],
) -> ReachStatus:
    if channel is not Channel.SMS:
        return ReachStatus.PENDING
    if person.person_id in opted_out:
        return ReachStatus.OPTED_OUT
    if recent.get(person.person_id, 0) >= limits.max_sms_per_person:
        return ReachStatus.CAPPED
    return ReachStatus.PENDING


def split_budget(weights: Mapping[str, float], budget: int) -> dict[str, int]:
    """A message budget split between topics by weight (largest remainders; sums to `budget`)."""
    total = sum(w for w in weights.values() if w > 0)
    if budget <= 0 or total <= 0:
        return dict.fromkeys(weights, 0)
    exact = {k: budget * max(w, 0) / total for k, w in weights.items()}
    shares = {k: int(v) for k, v in exact.items()}
    left = budget - sum(shares.values())
    for k in sorted(exact, key=lambda k: (shares[k] - exact[k], k))[:left]:
        shares[k] += 1
    return shares
