"""特殊群体预警劝阻: an early, light contact for people of special groups below the warn level (pure).

A person of a configured group (elderly people, students, finance staff ...) whose latest assessment
raised a signal but stayed below the warn level would get nothing from the warning workflow; here they
get a tip SMS or a community visit instead, at most once per cooldown period. The worker applies this
to stored assessments; the evaluation applies it to the assessments of its run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from fanzha.event.codes import FraudType, PersonGroup
from fanzha.prevention.config import SpecialGroups
from fanzha.prevention.model import Channel


@dataclass(frozen=True, slots=True)
class Assessed:
    """What the decision needs of one assessment."""

    person_id: str
    score: int
    warn: bool
    fraud_type: FraudType
    at: datetime
    codes: frozenset[str] = frozenset()  # the signal codes of its reasons


@dataclass(frozen=True, slots=True)
class LightContact:
    person_id: str
    channel: Channel
    group: PersonGroup
    fraud_type: FraudType
    at: datetime


def light_contact(
    assessed: Assessed,
    groups: Iterable[PersonGroup],
    config: SpecialGroups,
    last_contact_at: datetime | None,
) -> LightContact | None:
    """The light contact this assessment calls for, or None.

    None when the assessment warns (the warning workflow takes over), scores below `min_score`, has
    none of the configured signal codes, the person is in none of the configured groups, or had a light
    contact within the cooldown.
    """
    if assessed.warn or assessed.score < config.min_score:
        return None
    if config.signal_codes and not config.signal_codes & assessed.codes:
        return None
    mine = set(groups)
    group = next((g for g in config.channels if g in mine), None)
    if group is None:
        return None
    if last_contact_at is not None and assessed.at - last_contact_at < config.cooldown:
        return None
    return LightContact(assessed.person_id, config.channels[group], group, assessed.fraud_type, assessed.at)
