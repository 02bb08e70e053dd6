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
    web_host: str = Field(
        default="127.0.0.1", description="Address `endvac serve` listens on.")
    web_port: int = Field(default=8000, ge=1, le=65535,
                          description="Port `endvac serve` listens on.")
    web_workers: int = Field(default=1, ge=1, le=64,
                             description="uvicorn worker processes of `endvac serve`.")
    web_insecure_cookies: bool = Field(
        default=False,
        description="Send the session cookie without the Secure flag (plain http, for a "
                    "laptop demo only); refused unless the server listens on a loopback "
                    "address.")
    web_threads: int = Field(
        default=8, ge=1, le=200,
        description="Request threads of each `endvac serve` worker (they share one Python "
                    "interpreter lock; more only queue there).")
    web_session_hours: float = Field(default=8.0, gt=0, le=24 * 30,
                                     description="How long a login lasts.")
    web_login_max_failures: int = Field(
        default=5, ge=1, le=100,
        description="Failed logins of one username from one address before login is "
                    "refused (429) for the rest of the window.")
    web_login_account_max_failures: int = Field(
        default=20, ge=1, le=1000,
        description="Failed logins of one username from all addresses together before "
                    "login to that account is refused (429) for the rest of the window "
                    "(slows a guesser who rotates addresses).")
    web_trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses or networks of reverse proxies whose "
                    "X-Forwarded-For header is believed (the client address of the rate "
                    "limit and the audit trail); empty (the default): the header is "
                    "ignored and the connecting address counts.")
    web_login_window_minutes: int = Field(
        default=15, ge=1, le=24 * 60,
        description="The window of the login rate limit, in minutes.")


def load_settings() -> Settings:
    """The settings in force, validated."""
    return Settings()
