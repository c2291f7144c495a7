"""The publicity comparison: targeted and flood runs beside the suite's platform run (none), same luck."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime, time

from fanzha.evaluate.loop import Prepared
from fanzha.evaluate.model import RunRecord
from fanzha.evaluate.publicity import PublicityConfig, PublicityGate, plan_flood, plan_targeted
from fanzha.evaluate.publicity_metrics import PublicityReport, Spent, figures, outcome
from fanzha.event.codes import PersonGroup
from fanzha.present import DISPLAY_TZ

RunOne = Callable[[str, PublicityGate], RunRecord]


def campaign_time(prepared: Prepared, config: PublicityConfig) -> datetime:
    """When the campaign goes out: the stream's first day (Beijing time) plus the configured offset."""
    first = (
        prepared.events[0].occurred_at.astimezone(DISPLAY_TZ) if prepared.events else datetime.now(DISPLAY_TZ)
    )
    return datetime.combine(first.date(), time(), DISPLAY_TZ) + config.campaign_offset


def _spent(gate: PublicityGate, campaigns: int) -> Spent:
    return Spent(gate.messages, gate.officer_minutes(campaigns), gate.visits, gate.special)


def run_publicity(
    prepared: Prepared, config: PublicityConfig, seed: int, none: RunRecord, run: RunOne
) -> PublicityReport:
    """Targeted, then flood with as many messages as targeted sent; `none` is the run without publicity."""
    at = campaign_time(prepared, config)
    residents = prepared.residents
    budget = round(config.messages_per_resident * len(residents))
    episodes = prepared.truth.episodes
    groups = {p.person_id: frozenset(g for g in p.groups if g is not PersonGroup.OTHER) for p in residents}
    tips = plan_targeted(residents, budget, config, at, f"{seed}-publicity")
    targeted_gate = PublicityGate(episodes, tips, config, f"{seed}-awareness", groups=groups)
    targeted = run("publicity_targeted", targeted_gate)
    # Flood sends as many SMS as targeted did (light contacts' SMS included), in the same topic mix.
    mix = Counter(t.topic for t in tips)
    extra = targeted_gate.messages - len(tips)
    if extra > 0 and mix:
        mix[mix.most_common(1)[0][0]] += extra
    flood_gate = PublicityGate(
        episodes, plan_flood(residents, mix, at, f"{seed}-publicity"), config, f"{seed}-awareness"
    )
    flood = run("publicity_flood", flood_gate)
    baseline = outcome(none, episodes)
    campaigns = len(mix)
    strategies = {
        "targeted": figures(outcome(targeted, episodes), baseline, _spent(targeted_gate, campaigns)),
        "flood": figures(outcome(flood, episodes), baseline, _spent(flood_gate, campaigns)),
        "none": figures(baseline, baseline, Spent()),
    }
    a = config.awareness
    parameters = {
        "budget": budget,
        "campaign_at": at.isoformat(),
        "targeting_version": config.targeting.version,
        "prevention_config": config.prevention.version,
        "awareness": {
            "sms_boost": a.sms_boost,
            "visit_boost": a.visit_boost,
            "general_share": a.general_share,
            "duration_days": a.duration.total_seconds() / 86400,
            "start_factor": a.start_factor,
            "keep_factor": a.keep_factor,
        },
    }
    return PublicityReport(strategies, parameters)
