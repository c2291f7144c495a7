"""One Settings object, built at the edge (CLI, web app) from the environment and passed down."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Runtime settings. `DATABASE_URL` selects the store: a SQLite file by default, else PostgreSQL."""

    model_config = SettingsConfigDict(env_prefix="FANZHA_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///fanzha.db",
        validation_alias=AliasChoices("DATABASE_URL", "FANZHA_DATABASE_URL"),
        description="SQLAlchemy URL; postgresql:// URLs use the psycopg 3 driver",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    batch_size: int = Field(default=500, ge=1, le=100_000, description="events per transaction in the runner")
    fallback_unit: str | None = Field(default=None, description="unit that owns warnings nobody else owns")

    # Accounts and access (issue 8); [DESIGN] defaults, see ARCHITECTURE.md "Access control".
    session_idle_minutes: int = Field(
        default=30, ge=1, description="console session ends after this idle time"
    )
    session_absolute_hours: int = Field(default=12, ge=1, description="and after this long in any case")
    cookie_secure: bool = Field(default=False, description="send the session cookie over HTTPS only")
    lockout_max_failures: int = Field(default=5, ge=1, description="failed logins that lock an account")
    lockout_window_minutes: int = Field(default=15, ge=1, description="window in which failures count")
    lockout_minutes: int = Field(default=15, ge=1, description="how long a locked account stays locked")
    lockout_max_address_failures: int = Field(
        default=20, ge=1, description="failures that throttle an address"
    )
    password_time_cost: int = Field(default=3, ge=1, description="Argon2id passes")
    password_memory_kib: int = Field(default=65536, ge=1024, description="Argon2id memory in KiB")
    password_parallelism: int = Field(default=4, ge=1, description="Argon2id lanes")
    retention_file: str | None = Field(default=None, description="YAML: record type → days to keep")
    run_worker: bool = Field(
        default=False, description="run the workflow worker (routing, deadlines, SMS) inside the web app"
    )
    sms_gateway_url: str | None = Field(default=None, description="HTTP SMS gateway for warning SMS")
    workflow_file: Path | None = Field(
        default=None, description="a copy of warning/config/workflow.yaml with other SLA values"
    )

    # Funds (issue 7); [DESIGN] durations with the brief's defaults, see ARCHITECTURE.md "Funds".
    funds_bank_url: str | None = Field(
        default=None, description="the bank's fanzha-bank/1 endpoint; unset: console stops wait for retry"
    )
    funds_bank_timeout_s: float = Field(default=5.0, gt=0, description="seconds to wait for the bank")
    funds_stop_hours: int = Field(default=48, ge=1, description="a stop-payment runs this long")
    funds_max_stops: int = Field(default=2, ge=1, description="stops allowed per account")
    funds_stop_alert_hours: int = Field(default=6, ge=0, description="alert this long before a stop ends")
    funds_freeze_months: int = Field(default=6, ge=1, description="freeze period (renewal at most as long)")
    funds_freeze_major_months: int = Field(default=12, ge=1, description="freeze period in major cases")
    funds_freeze_alert_days: int = Field(default=15, ge=0, description="alert this long before a freeze ends")
    funds_hold_hours: int = Field(default=72, ge=1, description="protective hold duration")
    funds_hold_max_days: int = Field(default=7, ge=1, description="longest protective hold")

    # Prevention (issue 16): [DESIGN] values and the targeting file, see ARCHITECTURE.md "prevention/".
    prevention_file: Path | None = Field(
        default=None, description="a copy of prevention/config/prevention.yaml"
    )
    prevention_targets_file: Path | None = Field(
        default=None, description="a copy of prevention/config/targets.yaml"
    )
