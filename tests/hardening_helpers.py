"""Shared by the issue-14 hardening tests: an empty accounts schema on the test
PostgreSQL server, and one account database target per engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from endvac.appdb import connect_app_db

ACCOUNT_TABLES = ("sessions", "login_attempts", "login_guard", "users", "audit_log",
                  "audit_head")


def clean_accounts_postgres(url: str) -> None:
    """Drop the accounts, sessions and audit tables and forget their migrations."""
    with connect_app_db(url) as db:
        for table in ACCOUNT_TABLES:
            db.run("clean", f"DROP TABLE IF EXISTS {table} CASCADE")
        db.run("clean", "CREATE TABLE IF NOT EXISTS app_migrations (component TEXT NOT NULL, "
               "version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL, "
               "PRIMARY KEY (component, version))")
        db.run("clean", "DELETE FROM app_migrations WHERE component IN "
               "('accounts', 'sessions', 'audit')")


def account_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A SQLite file, or the emptied PostgreSQL test database (by the fixture's param)."""
    if request.param == "sqlite":
        return str(tmp_path / "app.sqlite")
    url = str(request.getfixturevalue("postgres_url"))
    clean_accounts_postgres(url)
    return url
