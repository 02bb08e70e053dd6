"""The accounts, sessions and audit tables (components of the application database)."""

from __future__ import annotations

from endvac.appdb import AppDB, Migration

GENESIS = "0" * 64

MIGRATIONS = [
    Migration("accounts", 1, "users", (
        "CREATE TABLE users (username TEXT PRIMARY KEY, role TEXT NOT NULL, "
        "password_hash TEXT NOT NULL, facilities TEXT NOT NULL, regions TEXT NOT NULL, "
        "disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, "
        "changed_at TEXT NOT NULL)",)),
    Migration("sessions", 1, "sessions and login attempts", (
        "CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, username TEXT NOT NULL "
        "REFERENCES users (username), csrf_token TEXT NOT NULL, created_at BIGINT NOT NULL, "
        "expires_at BIGINT NOT NULL)",
        "CREATE INDEX sessions_by_user ON sessions (username)",
        "CREATE TABLE login_attempts (username TEXT NOT NULL, ip TEXT NOT NULL, "
        "at BIGINT NOT NULL, ok INTEGER NOT NULL)",
        "CREATE INDEX login_attempts_by_key ON login_attempts (username, ip, at)",
    )),
    # One row locked by every login while it counts and records its attempt, so
    # concurrent attempts are counted in turn; each attempt is recorded before its check.
    Migration("sessions", 2, "atomic login counting", (
        "CREATE TABLE login_guard (id INTEGER PRIMARY KEY, attempts BIGINT NOT NULL)",
        "INSERT INTO login_guard VALUES (1, 0)",
        "ALTER TABLE login_attempts ADD COLUMN attempt TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX login_attempts_by_user ON login_attempts (username, at)",
    )),
    Migration("audit", 1, "hash-chained audit trail", (
        "CREATE TABLE audit_log (seq BIGINT PRIMARY KEY, at TEXT NOT NULL, "
        "actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, ip TEXT NOT NULL, "
        "detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)",
        "CREATE TABLE audit_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, "
        "hash TEXT NOT NULL)",
        f"INSERT INTO audit_head VALUES (1, 0, '{GENESIS}')",
    )),
    # The head is signed with the audit key (an empty mac only on the empty genesis head).
    Migration("audit", 2, "signed audit head", (
        "ALTER TABLE audit_head ADD COLUMN mac TEXT NOT NULL DEFAULT ''",)),
]


def ensure_accounts_schema(db: AppDB) -> None:
    """Create the accounts, sessions and audit tables when missing."""
    db.migrate(MIGRATIONS)
