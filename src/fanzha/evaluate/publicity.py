"""Does publicity work? Simulated awareness, the campaigns of each strategy, and the gate in the loop.

A tip raises its reader's awareness of its fraud type for a while ([DESIGN], `AwarenessConfig`): an SMS
a little, a visit more, fading linearly to nothing over `duration`; tips combine as independent chances
(1 − Π(1 − aᵢ)). Before each payment of an episode the victim meets a draw: with probability
awareness × `start_factor` before the first payment (they never start paying) or × `keep_factor` before
a later one (they stop), that payment and every later one are withheld. The draw is keyed by the
episode and the payment, so every strategy meets the same luck (common random numbers).

Strategies (same platform, same officers, same stream):
- targeted (精准滴灌): the message budget split between topics by the targeting file's weights, each
  topic's share sent to people of its audience (the platform's own `prevention.targets` rules over the
  registry's fields), plus special groups' light contacts (`prevention.special`) below the warn level;
- flood (大水漫灌): as many messages, the same topics, to residents drawn at random;
- none: no publicity (the suite's platform run).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from fanzha.evaluate.model import draw
from fanzha.event.codes import FraudType, PersonGroup
from fanzha.prevention.audience import split_budget
from fanzha.prevention.config import PreventionConfig, default_config
from fanzha.prevention.model import Channel, Resident
from fanzha.prevention.special import Assessed, light_contact
from fanzha.prevention.targets import Targeting, default_targeting
from fanzha.risk.model import Assessment
from fanzha.sim.truth import Episode


@dataclass(frozen=True, slots=True)
class AwarenessConfig:
    """[DESIGN] guesses, not measurements: how much a tip raises awareness, for how long, and what it does."""

    sms_boost: float = 0.3  # a tip SMS read (or not) by its recipient
    visit_boost: float = 0.6  # a tip given in person
    general_share: float = 0.3  # the GENERAL tip (三不一多) raises every type by this share of the boost
    duration: timedelta = timedelta(days=30)  # fading linearly to nothing over this
    start_factor: float = 1.0  # chance of never starting = awareness × this
    keep_factor: float = 0.5  # chance of stopping before a later payment (sunk cost) = awareness × this


@dataclass(frozen=True, slots=True)
class PublicityConfig:
    """The publicity comparison: its budget, when the campaign goes out, awareness, prevention's config."""

    messages_per_resident: float = 0.1  # the campaign's SMS budget: a tenth of the residents
    campaign_offset: timedelta = timedelta(hours=10)  # after the stream's first day begins
    awareness: AwarenessConfig = field(default_factory=AwarenessConfig)
    prevention: PreventionConfig = field(default_factory=default_config)
    targeting: Targeting = field(default_factory=default_targeting)
    sms_delay: timedelta = timedelta(minutes=5)  # a light contact's SMS goes out this long after the signal
    visit_delay: timedelta = timedelta(hours=24)  # a light contact's visit happens within a day


@dataclass(frozen=True, slots=True)
class Tip:
    person_id: str
    topic: str
    at: datetime
    channel: Channel


def plan_targeted(
    residents: Sequence[Resident], budget: int, config: PublicityConfig, at: datetime, seed: str
) -> list[Tip]:
    """The targeted campaign: each topic's share of the budget to people of its audience, one tip each."""
    targeting, year = config.targeting, at.year
    weights = {c: t.weight for c, t in targeting.topics.items() if t.fraud_type is not None and t.weight > 0}
    shares = split_budget(weights, budget)
    taken: set[str] = set()
    tips: list[Tip] = []
    for code in sorted(weights, key=lambda c: -weights[c]):
        audience = [
            p.person_id
            for p in residents
            if p.person_id not in taken and targeting.topic(code).matches(p, year)
        ]
        audience.sort(key=lambda pid: draw(seed, "audience", code, pid))
        chosen = audience[: shares[code]]
        taken.update(chosen)
        tips += [Tip(pid, code, at, Channel.SMS) for pid in chosen]
    return tips


def plan_flood(residents: Sequence[Resident], mix: Mapping[str, int], at: datetime, seed: str) -> list[Tip]:
    """As many tips of each topic as `mix` says, to residents drawn at random (one tip each)."""
    order = sorted((p.person_id for p in residents), key=lambda pid: draw(seed, "flood", pid))
    tips: list[Tip] = []
    start = 0
    for code in sorted(mix):
        tips += [Tip(pid, code, at, Channel.SMS) for pid in order[start : start + mix[code]]]
        start += mix[code]
    return tips


class PublicityGate:
    """The loop's publicity hook: withholds the payments aware victims do not make, and (targeted) gives
    special groups their light contacts from the run's own assessments."""

    def __init__(
        self,
        episodes: Iterable[Episode],
        tips: Iterable[Tip],
        config: PublicityConfig,
        seed: str,
        *,
        groups: Mapping[str, frozenset[PersonGroup]] | None = None,
    ) -> None:
        self.config = config
        self._seed = seed
        self._groups = groups  # None: no special-groups contacts (flood)
        self._tips: dict[str, list[Tip]] = {}
        self.messages = self.visits = self.special = 0
        self._last_contact: dict[str, datetime] = {}
        for tip in tips:
            self._add(tip)
        self._payments: dict[str, tuple[Episode, int]] = {}
        for episode in episodes:
            for index, payment in enumerate(episode.payments):
                self._payments[payment.event_id] = (episode, index)

    def _add(self, tip: Tip) -> None:
        self._tips.setdefault(tip.person_id, []).append(tip)
        if tip.channel is Channel.SMS:
            self.messages += 1
        elif tip.channel is Channel.VISIT:
            self.visits += 1

    def awareness(self, person_id: str, fraud_type: FraudType, at: datetime) -> float:
        """How aware `person_id` is of `fraud_type` at `at` (0 without a tip in force)."""
        a = self.config.awareness
        unaware = 1.0
        for tip in self._tips.get(person_id, ()):
            age = at - tip.at
            if age < timedelta(0) or age >= a.duration:
                continue
            topic = self.config.targeting.topics.get(tip.topic)
            covers = topic is not None and topic.fraud_type is fraud_type
            share = 1.0 if covers else a.general_share if tip.topic == "GENERAL" else 0.0
            boost = (a.visit_boost if tip.channel is Channel.VISIT else a.sms_boost) * share
            unaware *= 1 - boost * (1 - age / a.duration)
        return 1 - unaware

    def withhold(self, event_id: str, at: datetime, delivered: Container[str]) -> list[str]:
        """The payments to withhold before `event_id` is delivered (empty unless the victim stops here)."""
        found = self._payments.get(event_id)
        if found is None:
            return []
        episode, index = found
        a = self.awareness(episode.person_id, episode.fraud_type, at)
        if a <= 0:
            return []
        started = any(p.event_id in delivered for p in episode.payments[:index])
        factor = self.config.awareness.keep_factor if started else self.config.awareness.start_factor
        if draw(self._seed, "publicity", episode.episode_id, event_id) >= a * factor:
            return []
        return [p.event_id for p in episode.payments[index:]]

    def assessed(self, assessment: Assessment, warning_id: int | None) -> None:
        """A light contact for a special group's person whose assessment stayed below the warn level."""
        person_id = assessment.person_id
        if self._groups is None or person_id is None:
            return
        codes = frozenset(r.code for r in assessment.reasons)
        quiet = Assessed(
            person_id,
            assessment.score,
            warning_id is not None,
            assessment.fraud_type,
            assessment.assessed_at,
            codes,
        )
        settings = self.config.prevention.special_groups
        contact = light_contact(
            quiet, self._groups.get(person_id, ()), settings, self._last_contact.get(person_id)
        )
        if contact is None:
            return
        self._last_contact[person_id] = contact.at
        delay = self.config.sms_delay if contact.channel is Channel.SMS else self.config.visit_delay
        topic = self.config.targeting.topic_of(contact.fraud_type)
        self.special += 1
        self._add(Tip(person_id, topic, contact.at + delay, contact.channel))

    def officer_minutes(self, campaigns: int) -> float:
        """Officer time: preparing campaigns, visits, SMS (priced by the prevention config)."""
        minutes = self.config.prevention.minutes
        return (
            campaigns * minutes("CAMPAIGN") + self.visits * minutes("VISIT") + self.messages * minutes("SMS")
        )
