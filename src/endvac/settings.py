"""Operational settings: how endvac runs, never how a number is counted.

Counting rules live only in the workspace config (:mod:`endvac.config`).
These may come from ``ENDVAC_*`` environment variables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Operational settings, read from ``ENDVAC_*`` variables."""

    model_config = SettingsConfigDict(env_prefix="ENDVAC_", extra="ignore")

    threads: int | None = Field(
        default=None, ge=1, le=1024,
        description="DuckDB worker threads (default: all cores).")
    memory_limit: str | None = Field(
        default=None, description="DuckDB memory limit, e.g. 4GB (default: DuckDB's own).")
    temp_dir: Path | None = Field(
        default=None,
        description="Where DuckDB spills to disk; always outside the workspace "
                    "(default: the system temp folder).")
    force_compression: Literal["uncompressed"] | None = Field(
        default=None,
        description="Force DuckDB's storage compression off (audits of what the store "
                    "holds, e.g. the privacy scan); default: DuckDB chooses.")
    chunk_rows: int = Field(
        default=200_000, ge=1_000,
        description="Rows converted from Python to Arrow at a time while reading a file "
                    "(a file is then held whole in memory as Arrow columns).")
    app_database_url: str | None = Field(
        default=None,
        description="The application database (users, sessions, audit, strategy) as a "
                    "postgresql:// URL; overrides app.database_url of the workspace config "
                    "(keeps a password out of the config file). Default: SQLite in app/.")


def load_settings() -> Settings:
    """The settings in force, validated."""
    return Settings()
