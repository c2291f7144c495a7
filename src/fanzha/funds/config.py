"""The funds workflow's [DESIGN] durations from `Settings` (environment `FANZHA_FUNDS_*`)."""

from __future__ import annotations

from datetime import timedelta

from fanzha.funds.freeze import FreezeSettings
from fanzha.funds.hold import HoldSettings
from fanzha.funds.service import FundsSettings
from fanzha.funds.stop_payment import StopSettings
from fanzha.settings import Settings


def funds_settings(settings: Settings) -> FundsSettings:
    """Stop, freeze and hold lifecycles as configured; the defaults are the brief's."""
    return FundsSettings(
        stop=StopSettings(
            duration=timedelta(hours=settings.funds_stop_hours),
            max_stops_per_account=settings.funds_max_stops,
            alert_before=timedelta(hours=settings.funds_stop_alert_hours),
        ),
        freeze=FreezeSettings(
            period_months=settings.funds_freeze_months,
            major_period_months=settings.funds_freeze_major_months,
            alert_before=timedelta(days=settings.funds_freeze_alert_days),
        ),
        hold=HoldSettings(
            duration=timedelta(hours=settings.funds_hold_hours),
            max_duration=timedelta(days=settings.funds_hold_max_days),
        ),
    )
