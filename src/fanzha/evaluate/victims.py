"""How a person reached by an officer responds, decided from the simulator's truth.

A person with no fraud episode running is NOT_FRAUD. A victim whose payments are all made is
DEFRAUDED. Otherwise the victim stops with a probability that depends on the channel and on how soon
the next payment was due; a victim who stops makes none of the remaining payments (they are withheld
from the stream, and their amount counts as prevented).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from fanzha.evaluate.metrics import by_person_id, episode_end
from fanzha.evaluate.model import Channel, Outcome, draw
from fanzha.sim.truth import Episode, Payment


@dataclass(frozen=True, slots=True)
class VictimConfig:
    """[DESIGN] guesses, not measurements: change them to see how sensitive the result is."""

    # Chance a reached victim stops, by channel: a text is easy to ignore, a visit hard.
    p_stop: Mapping[Channel, float] = field(
        default_factory=lambda: {Channel.SMS: 0.15, Channel.CALL: 0.55, Channel.VISIT: 0.85}
    )
    # A payment due this soon is usually under the fraudster's live guidance (screen sharing, a call).
    imminent: timedelta = timedelta(minutes=30)
    imminent_factor: float = 0.5
    # A victim who has already paid is more committed (sunk cost, "one more fee to get it back").
    after_loss_factor: float = 0.7
    # A person counts as in an episode up to this long after its last payment.
    window: timedelta = timedelta(hours=72)
    # Contacts through the same channel before the same payment within one such period meet the same
    # resolve (one draw); a contact in a later period draws afresh. See `Victims.luck`.
    luck_period: timedelta = timedelta(hours=1)

    @classmethod
    def certain(cls) -> VictimConfig:
        """Every reached victim stops (for tests and upper bounds)."""
        return cls(p_stop=dict.fromkeys(Channel, 1.0), imminent_factor=1.0, after_loss_factor=1.0)


def p_stop(config: VictimConfig, channel: Channel, until_next: timedelta, already_paid: bool) -> float:
    """The chance that a reached victim stops before a payment due in `until_next`."""
    p = config.p_stop.get(channel, 0.0)
    if until_next < config.imminent:
        p *= config.imminent_factor
    if already_paid:
        p *= config.after_loss_factor
    return min(max(p, 0.0), 1.0)


class Victims:
    """The people of the truth's episodes, answering officers; remembers which payments were withheld."""

    def __init__(self, episodes: Iterable[Episode], config: VictimConfig, seed: str) -> None:
        self.config = config
        self._seed = seed
        self._episodes = by_person_id(episodes)
        self.withheld: set[str] = set()

    def respond(
        self, person_id: str | None, channel: Channel, at: datetime, delivered: Container[str] = frozenset()
    ) -> Outcome:
        """What a person reached at `at` through `channel` does; stopping withholds their next payments.

        `delivered` names the events the stream has already delivered: a payment among them is made,
        even when it happened at the very moment of the contact.
        """
        running = [
            e
            for e in self._episodes.get(person_id or "", ())
            if e.started_at <= at <= episode_end(e) + self.config.window
        ]
        if not running:
            return Outcome.NOT_FRAUD
        if not any(e.payments for e in running):
            return Outcome.SUCCESS_NO_LOSS  # hooked but not yet paying; nothing to withhold
        upcoming = [(self._remaining(e, at, delivered), e) for e in running]
        upcoming = [(left, e) for left, e in upcoming if left]
        if not upcoming:
            return Outcome.DEFRAUDED
        left, episode = min(upcoming, key=lambda item: item[0][0].at)
        paid = any(
            (p.at < at or p.event_id in delivered) and p.event_id not in self.withheld
            for p in episode.payments
        )
        luck = self.luck(episode, channel, left[0], at)
        if luck >= p_stop(self.config, channel, left[0].at - at, paid):
            return Outcome.REFUSED
        self.withheld.update(p.event_id for p in left)
        return Outcome.SUCCESS_PARTIAL if paid else Outcome.SUCCESS_NO_LOSS

    def luck(self, episode: Episode, channel: Channel, before: Payment, at: datetime) -> float:
        """The victim's draw for a contact through `channel` at `at`, before payment `before`.

        Keyed by what the contact is, never by how many came before it: the same contact in another
        run (another policy, a baseline) meets the same luck, and an extra, earlier contact shifts
        nothing later (common random numbers that stay common).
        """
        period = self.config.luck_period.total_seconds()
        bucket = int(at.timestamp() // period) if period > 0 else 0
        return draw(self._seed, "stop", episode.episode_id, channel, before.event_id, bucket)

    def _remaining(self, episode: Episode, at: datetime, delivered: Container[str]) -> list[Payment]:
        # A contact at the very time of a payment not yet delivered comes first: the loop runs
        # contacts due at <= T before it delivers the event at T.
        return [
            p
            for p in episode.payments
            if p.at >= at and p.event_id not in self.withheld and p.event_id not in delivered
        ]
