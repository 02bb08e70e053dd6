"""One chokepoint for the application database, SQLite or PostgreSQL.

Every statement (``BEGIN``, ``COMMIT``, ``ROLLBACK`` and the SQLite pragmas
included) goes through :meth:`AppDB.run` with the name of its step; a failure
becomes a :class:`~endvac.errors.StoreError` naming the step, never the bound
values.  Both drivers run in autocommit mode: a statement outside
:meth:`AppDB.transaction` commits on its own.  Statements use ``?``
placeholders; for PostgreSQL they are rewritten to ``%s`` (a literal ``?`` or
``%`` inside a string literal is not supported: bind values instead).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from endvac.errors import ConfigError, StoreError

if TYPE_CHECKING:
    from endvac.workspace import Workspace

log = logging.getLogger(__name__)

APP_DB_FILE = "endvac.sqlite"
BUSY_TIMEOUT_S = 30
BEGIN_RETRIES = 5
MIGRATIONS_DDL = ("CREATE TABLE IF NOT EXISTS app_migrations (component TEXT NOT NULL, "
                  "version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL, "
                  "PRIMARY KEY (component, version))")


@dataclass(frozen=True)
class Migration:
    """One numbered schema step of a component (``accounts``, ``audit``, ``strategy``...)."""

    component: str
    version: int
    name: str
    statements: tuple[str, ...]


class AppDB:
    """A connection to the application database; one per thread or request."""

    def __init__(self, raw: Any, dialect: str, where: str) -> None:
        self._raw = raw
        self.dialect = dialect
        self.where = where
        self._depth = 0
        self._lock = threading.RLock()

    # -- running SQL ------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s") if self.dialect == "postgresql" else sql

    def run(self, step: str, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; the number of rows it changed."""
        with self._lock:
            try:
                cur = self._raw.cursor()
                cur.execute(self._sql(sql), tuple(params))
                count = cur.rowcount
                cur.close()
            except Exception as exc:  # the driver's own errors carry no values we log
                raise StoreError(step, _first_line(exc)) from exc
            return int(count if count is not None else -1)

    def run_many(self, step: str, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each row of parameters."""
        if not rows:
            return
        with self._lock:
            try:
                cur = self._raw.cursor()
                cur.executemany(self._sql(sql), [tuple(r) for r in rows])
                cur.close()
            except Exception as exc:
                raise StoreError(step, _first_line(exc)) from exc

    def records(self, step: str, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The rows of a query as dicts keyed by column name."""
        with self._lock:
            try:
                cur = self._raw.cursor()
                cur.execute(self._sql(sql), tuple(params))
                names = [d[0] for d in cur.description or ()]
                found = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
                cur.close()
            except Exception as exc:
                raise StoreError(step, _first_line(exc)) from exc
            return found

    def scalar(self, step: str, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or None."""
        found = self.records(step, sql, params)
        return next(iter(found[0].values())) if found else None

    # -- transactions -----------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[AppDB]:
        """All statements inside commit together or not at all (nested: joins the outer).

        On SQLite the write lock is taken at the start (``BEGIN IMMEDIATE``), so a writer
        waits for the busy timeout instead of failing "database is locked" when it
        upgrades a read; a start that still finds the database locked is retried."""
        with self._begun("BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN"):
            yield self

    @contextmanager
    def snapshot(self) -> Iterator[AppDB]:
        """Every read inside sees one consistent state of the database (SQLite: one read
        transaction; PostgreSQL: REPEATABLE READ), whatever commits meanwhile."""
        begin = ("BEGIN" if self.dialect == "sqlite"
                 else "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        with self._begun(begin):
            yield self

    @contextmanager
    def _begun(self, begin: str) -> Iterator[None]:
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._start(begin)
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outer:
                    self.run("rollback", "ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self._finish()

    def _start(self, begin: str) -> None:
        for attempt in range(BEGIN_RETRIES):
            try:
                self.run("begin transaction", begin)
                return
            except StoreError as exc:
                if not _locked(exc.__cause__) or attempt == BEGIN_RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))

    def _finish(self) -> None:
        try:
            self.run("commit", "COMMIT")
        except StoreError:
            self.run("rollback", "ROLLBACK")
            raise

    # -- schema -----------------------------------------------------------------
    def migrate(self, migrations: Sequence[Migration]) -> list[str]:
        """Apply the migrations not applied yet, in version order; the names applied."""
        self.run("app schema", MIGRATIONS_DDL)
        applied: list[str] = []
        for migration in sorted(migrations, key=lambda m: (m.component, m.version)):
            with self.transaction():
                done = self.scalar("app schema", "SELECT count(*) FROM app_migrations "
                                   "WHERE component = ? AND version = ?",
                                   [migration.component, migration.version])
                if done:
                    continue
                for statement in migration.statements:
                    self.run(f"app schema {migration.component} {migration.version}",
                             statement)
                self.run("app schema", "INSERT INTO app_migrations VALUES (?, ?, ?, "
                         "CURRENT_TIMESTAMP)", [migration.component, migration.version,
                                                migration.name])
            applied.append(f"{migration.component}:{migration.version}")
        return applied

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> AppDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect_app_db(target: str | Path) -> AppDB:
    """Open the application database at a SQLite path or a ``postgresql://`` URL."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        return _connect_postgres(text)
    if "://" in text:
        raise ConfigError(f"application database URL scheme not supported: {text.split(':')[0]}",
                          fix="give a SQLite file path or a postgresql:// URL")
    path = Path(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False,
                          isolation_level=None)
    db = AppDB(raw, "sqlite", str(path))
    db.run("open application database", f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    if db.scalar("open application database", "PRAGMA journal_mode") != "wal":
        db.run("open application database", "PRAGMA journal_mode=WAL")  # once, by its maker
    db.run("open application database", "PRAGMA foreign_keys=ON")
    return db


def _connect_postgres(url: str) -> AppDB:
    import psycopg

    try:
        raw = psycopg.connect(url, connect_timeout=10, autocommit=True)
    except psycopg.OperationalError as exc:
        raise ConfigError("cannot connect to the PostgreSQL application database "
                          f"({_first_line(exc)})",
                          fix="check app.database_url / ENDVAC_APP_DATABASE_URL and that "
                              "the server runs") from exc
    return AppDB(raw, "postgresql", url.split("@")[-1])


def app_db_target(workspace: Workspace) -> str | Path:
    """Where the workspace's application database lives (URL or SQLite path)."""
    url = workspace.settings.app_database_url or workspace.config.app.database_url
    return url or workspace.root / "app" / APP_DB_FILE


def open_app_db(workspace: Workspace) -> AppDB:
    """The workspace's application database, opened."""
    return connect_app_db(app_db_target(workspace))


def _locked(exc: BaseException | None) -> bool:
    """Whether SQLite gave up waiting for another writer's lock."""
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
