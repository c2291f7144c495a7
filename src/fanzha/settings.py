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
    run_worker: bool = Field(
        default=False, description="run the workflow worker (routing, deadlines, SMS) inside the web app"
    )
    sms_gateway_url: str | None = Field(default=None, description="HTTP SMS gateway for warning SMS")
    workflow_file: Path | None = Field(
        default=None, description="a copy of warning/config/workflow.yaml with other SLA values"
    )
