"""Fixtures of the accounts tests (a pytest plugin, conftest.py): the application
database on each engine — a SQLite file, or the test PostgreSQL server with the
accounts, sessions and audit tables dropped first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from endvac.accounts import ensure_accounts_schema
from endvac.appdb import AppDB, connect_app_db

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


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A SQLite file, or the emptied PostgreSQL test database."""
    if request.param == "sqlite":
        return str(tmp_path / "app.sqlite")
    url = str(request.getfixturevalue("postgres_url"))
    clean_accounts_postgres(url)
    return url


@pytest.fixture
def db(target: str) -> Iterator[AppDB]:
    """The application database of ``target`` with the accounts tables."""
    with connect_app_db(target) as found:
        ensure_accounts_schema(found)
        yield found
