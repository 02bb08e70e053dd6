"""The application database layer on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import pytest

from endvac.appdb import AppDB, Migration, connect_app_db
from endvac.appdb.db import app_db_target
from endvac.errors import ConfigError, StoreError
from endvac.workspace import Workspace

NOTES = [
    Migration("notes", 1, "notes table",
              ("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, "
               "score DOUBLE PRECISION)",)),
    Migration("notes", 2, "author column", ("ALTER TABLE notes ADD COLUMN author TEXT",)),
]


def _exercise(db: AppDB) -> None:
    assert db.migrate(NOTES) == ["notes:1", "notes:2"]
    assert db.migrate(NOTES) == []  # applied once only
    db.run("add", "INSERT INTO notes (id, body, score, author) VALUES (?, ?, ?, ?)",
           [1, "50% of 'x'?", 0.5, "ana"])
    db.run_many("add", "INSERT INTO notes (id, body, score, author) VALUES (?, ?, ?, ?)",
                [[2, "b", 1.5, None], [3, "c", None, "bo"]])
    assert db.records("read", "SELECT id, body FROM notes WHERE id = ?", [1]) == [
        {"id": 1, "body": "50% of 'x'?"}]
    assert db.scalar("count", "SELECT count(*) FROM notes") == 3
    with pytest.raises(RuntimeError), db.transaction():
        db.run("add", "INSERT INTO notes (id, body) VALUES (?, ?)", [4, "d"])
        raise RuntimeError("undo")
    assert db.scalar("count", "SELECT count(*) FROM notes") == 3  # rolled back
    with pytest.raises(StoreError) as caught:
        db.run("duplicate note", "INSERT INTO notes (id, body) VALUES (?, ?)", [1, "secret"])
    assert "duplicate note" in str(caught.value) and "secret" not in str(caught.value)
    assert db.scalar("count", "SELECT count(*) FROM notes") == 3  # usable after an error


def _failed_commit(db: AppDB) -> None:
    """A COMMIT that fails (a deferred foreign key still broken at the end) is a
    StoreError naming the step, and the transaction is rolled back through the
    chokepoint: nothing of it stays, and the next transaction starts cleanly."""
    db.run("make", "CREATE TABLE parents (id INTEGER PRIMARY KEY)")
    db.run("make", "CREATE TABLE kids (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES "
           "parents (id) DEFERRABLE INITIALLY DEFERRED)")
    with pytest.raises(StoreError) as caught, db.transaction():
        db.run("add", "INSERT INTO kids VALUES (?, ?)", [1, 99])  # no parent 99
    assert str(caught.value).startswith("step 'commit' failed")
    assert "99" not in str(caught.value)
    assert db.scalar("count", "SELECT count(*) FROM kids") == 0  # rolled back
    with db.transaction():
        db.run("add", "INSERT INTO parents VALUES (?)", [99])
        db.run("add", "INSERT INTO kids VALUES (?, ?)", [1, 99])
    assert db.scalar("count", "SELECT count(*) FROM kids") == 1  # committed


def test_sqlite_in_wal_mode(tmp_path: Path) -> None:
    with connect_app_db(tmp_path / "app" / "app.sqlite") as db:
        assert db.dialect == "sqlite"
        assert db.scalar("mode", "PRAGMA journal_mode") == "wal"
        assert db.scalar("keys", "PRAGMA foreign_keys") == 1
        _exercise(db)
        _failed_commit(db)


def test_postgresql(postgres_url: str) -> None:
    with connect_app_db(postgres_url) as db:
        assert db.dialect == "postgresql"
        db.run("clean", "DROP TABLE IF EXISTS notes")
        db.run("clean", "DROP TABLE IF EXISTS app_migrations")
        db.run("clean", "DROP TABLE IF EXISTS kids")
        db.run("clean", "DROP TABLE IF EXISTS parents")
        _exercise(db)
        _failed_commit(db)


def test_default_target_and_bad_url(ws: Workspace) -> None:
    assert app_db_target(ws) == ws.root / "app" / "endvac.sqlite"
    with pytest.raises(ConfigError, match="scheme not supported"):
        connect_app_db("mysql://x@y/z")
    with pytest.raises(ConfigError, match="cannot connect"):
        connect_app_db("postgresql://nobody@127.0.0.1:1/none")
