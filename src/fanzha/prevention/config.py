"""Prevention's [DESIGN] values (`config/prevention.yaml`, or the file `FANZHA_PREVENTION_FILE` names).

Pure: parsing and validation only; the edges read the file and pass the text.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from fanzha.event.codes import PersonGroup
from fanzha.prevention.model import Channel

DEFAULT_FILE = Path(__file__).parent / "config" / "prevention.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CampaignLimits(_Strict):
    sms_per_minute: int = Field(default=600, ge=1)
    quiet_start_hour: int = Field(default=21, ge=0, le=24)
    quiet_end_hour: int = Field(default=8, ge=0, le=24)
    max_sms_per_person: int = Field(default=2, ge=1)
    cap_days: int = Field(default=30, ge=1)
    max_audience: int = Field(default=500_000, ge=1)

    @property
    def cap_period(self) -> timedelta:
        return timedelta(days=self.cap_days)

    def quiet(self, hour: int) -> bool:
        """Whether `hour` (Beijing time) is in the quiet hours (which may run past midnight)."""
        start, end = self.quiet_start_hour, self.quiet_end_hour
        if start == end:
            return False
        return start <= hour < end if start < end else hour >= start or hour < end


class SpecialGroups(_Strict):
    channels: dict[PersonGroup, Channel] = Field(
        default_factory=lambda: {
            PersonGroup.ELDERLY: Channel.VISIT,
            PersonGroup.STUDENT: Channel.SMS,
            PersonGroup.FINANCE_STAFF: Channel.SMS,
        }
    )
    min_score: int = Field(default=10, ge=0, le=100)
    cooldown_days: int = Field(default=30, ge=1)
    # Signals that call for a light contact: contact with fraud (a listed number, a fraud text or site,
    # a screen-sharing or fraud app), not payment habits alone (a new payee is ordinary life). Empty: any.
    signal_codes: frozenset[str] = frozenset(
        {
            "FRAUD_NUMBER_CONTACT",
            "FRAUD_NUMBER_REPLY",
            "FRAUD_NUMBER_LONG_CALL",
            "FRAUD_TEXT",
            "FRAUD_TEXT_HIGH",
            "FRAUD_URL_VISIT",
            "SCREEN_SHARE_APP",
            "FRAUD_APP_INSTALLED",
            "TRANSFER_AFTER_OVERSEAS_CALL",
            "TRANSFER_AFTER_VIRTUAL_CALL",
        }
    )

    @model_validator(mode="after")
    def _channels(self) -> SpecialGroups:
        if any(c is Channel.WECHAT for c in self.channels.values()):
            raise ValueError("a light contact is an SMS or a VISIT")
        return self

    @property
    def cooldown(self) -> timedelta:
        return timedelta(days=self.cooldown_days)


class BoardCriteria(_Strict):
    months_without_case: int = Field(default=6, ge=1)
    min_registration_rate: float = Field(default=0.7, ge=0, le=1)
    min_events: int = Field(default=2, ge=0)
    events_months: int = Field(default=12, ge=1)


class SelfCheckLimits(_Strict):
    max_queries: int = Field(default=20, ge=1)
    query_window_minutes: int = Field(default=10, ge=1)
    max_reports: int = Field(default=5, ge=1)
    report_window_minutes: int = Field(default=60, ge=1)


class PreventionConfig(_Strict):
    """Every prevention [DESIGN] value, with the defaults of the shipped file."""

    version: str = "defaults"
    campaigns: CampaignLimits = Field(default_factory=CampaignLimits)
    special_groups: SpecialGroups = Field(default_factory=SpecialGroups)
    officer_minutes: dict[str, float] = Field(
        default_factory=lambda: {"CAMPAIGN": 60.0, "SMS": 0.0, "VISIT": 30.0, "WECHAT": 10.0}
    )
    board: BoardCriteria = Field(default_factory=BoardCriteria)
    selfcheck: SelfCheckLimits = Field(default_factory=SelfCheckLimits)

    @model_validator(mode="after")
    def _minutes(self) -> PreventionConfig:
        known = {"CAMPAIGN", *Channel}
        if set(self.officer_minutes) - known or any(v < 0 for v in self.officer_minutes.values()):
            raise ValueError(f"officer_minutes: keys among {sorted(known)}, values >= 0")
        return self

    def minutes(self, step: str) -> float:
        """Officer minutes one step costs (0 when the file does not say)."""
        return float(self.officer_minutes.get(step, 0.0))


class ConfigError(ValueError):
    """The prevention file is not valid (the message names the field)."""


def load_config(text: str) -> PreventionConfig:
    try:
        raw = yaml.safe_load(text)
        return PreventionConfig.model_validate(raw or {})
    except yaml.YAMLError as exc:
        raise ConfigError(f"prevention file is not valid YAML: {type(exc).__name__}") from None
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in e["loc"]) or "file" for e in exc.errors()})
        raise ConfigError(f"prevention file: invalid {', '.join(fields)}") from None


def default_config() -> PreventionConfig:
    return load_config(DEFAULT_FILE.read_text(encoding="utf-8"))


def config_from_file(path: Path | None) -> PreventionConfig:
    """The file `path` names (FANZHA_PREVENTION_FILE), else the shipped one."""
    return load_config(path.read_text(encoding="utf-8")) if path is not None else default_config()
