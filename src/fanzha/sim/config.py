"""Knobs of the simulated city, with defaults drawn from the domain brief and ordinary life.

Rates are per person per day (before each person's heavy-tailed activity factor); delays are hours.
None of these are facts about a real city: they are plausible defaults, documented in ARCHITECTURE.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fanzha.event.codes import FraudType

# Share of fraud episodes by type, after the MPS rankings (domain brief §6.1): brushing about a third
# of cases, fake investment next, then shopping, customer service, loans, credit repair, bosses ...
TYPE_SHARES: dict[FraudType, float] = {
    FraudType.BRUSHING: 0.24,
    FraudType.PIG_BUTCHERING: 0.12,
    FraudType.SHOPPING: 0.10,
    FraudType.FAKE_CS_REFUND: 0.10,
    FraudType.LOAN: 0.10,
    FraudType.FAKE_CREDIT_REPAIR: 0.06,
    FraudType.FAKE_BOSS_ACQ: 0.06,
    FraudType.FAKE_AUTHORITY: 0.07,
    FraudType.ROMANCE: 0.05,
    FraudType.GAME_TRADE: 0.05,
    FraudType.FLIGHT_CHANGE: 0.05,
}


@dataclass(frozen=True, slots=True)
class ListDelay:
    """How long a national list takes to learn an indicator after its first use, and how often never."""

    median_hours: float
    never: float


@dataclass(frozen=True, slots=True)
class SimConfig:
    """Everything tunable about the simulated city."""

    victim_rate: float = 0.01  # share of residents drawn into a fraud episode during the window
    calls: float = 1.6
    sms: float = 2.2
    chats: float = 0.8
    url_visits: float = 1.0
    transfers: float = 0.45
    installs: float = 0.03
    cold_contacts: float = 0.02  # fraud calls/SMS/friend requests to people who do not engage
    call_transcripts: float = 0.01  # share of ordinary calls whose transcript the operator holds
    fraud_call_transcripts: float = 0.5
    text_pool: int = 400  # distinct ordinary texts drawn per (topic, channel)
    fraud_pool: int = 300  # distinct cold-contact hook texts per fraud type
    list_delay: dict[str, ListDelay] = field(
        default_factory=lambda: {
            "PHONE": ListDelay(36, 0.25),
            "ACCOUNT1": ListDelay(48, 0.2),
            "ACCOUNT2": ListDelay(120, 0.55),
            "ACCOUNT3": ListDelay(200, 0.75),
            "URL": ListDelay(30, 0.35),
            "APP": ListDelay(72, 0.45),
        }
    )
    part_rows: int = 500_000  # rows per Parquet part file
