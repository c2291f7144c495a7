"""What the detection core needs from a text model: a scorer that reads one text and says how
likely it is fraud, which type, and the phrases (cues) that drove the decision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from fanzha.event.codes import FraudType


@dataclass(frozen=True, slots=True)
class TextVerdict:
    """`probability` of fraud (0-1): a fraud attempt on the reader, never mere spam; `fraud_type` when
    judged fraud, else None; `cues` are phrases of the normalised text, strongest first;
    `type_probabilities` per type (they sum to `probability`); `spam_probability`: spam or a legal or
    illegal promotion (gambling, loan ads, invoices) that is no attempt on the reader. The rest,
    1 − probability − spam_probability, is an ordinary message."""

    probability: float
    fraud_type: FraudType | None
    cues: tuple[str, ...] = ()
    type_probabilities: tuple[tuple[FraudType, float], ...] = ()
    spam_probability: float = 0.0

    @property
    def category(self) -> str:
        """ "fraud" when judged fraud, else "spam" or "normal", whichever is likelier."""
        if self.fraud_type is not None:
            return "fraud"
        return "spam" if self.spam_probability > 1.0 - self.probability - self.spam_probability else "normal"


class TextScorer(Protocol):
    """Scores one text. Implementations must be fast (thousands per second) and side-effect free.
    Cues may be left out (empty) when the probability is below `cues_from`: working them out costs
    time, and callers that only act on high scores say so."""

    def score(self, text: str, *, cues_from: float = 0.0) -> TextVerdict: ...
