"""What the detection core needs from a text model: a scorer that reads one text and says how
likely it is fraud, which type, and the phrases (cues) that drove the decision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from fanzha.event.codes import FraudType


@dataclass(frozen=True, slots=True)
class TextVerdict:
    """`probability` of fraud (0-1); `fraud_type` when judged fraud, else None; `cues` are phrases
    of the normalised text, strongest first; `type_probabilities` per type (they sum with 正常 to 1)."""

    probability: float
    fraud_type: FraudType | None
    cues: tuple[str, ...] = ()
    type_probabilities: tuple[tuple[FraudType, float], ...] = ()


class TextScorer(Protocol):
    """Scores one text. Implementations must be fast (thousands per second) and side-effect free."""

    def score(self, text: str) -> TextVerdict: ...
