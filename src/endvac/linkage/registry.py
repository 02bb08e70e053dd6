"""The identity registry: child keys, their history, redirects and decisions.

Kept in the linkage zone, ``linkage/registry.duckdb``. The analysis zone receives only
``child_keys.parquet`` at the workspace's top: (agency, record_id, child_key), written
whole by each linking and read by :func:`person_map` wherever facts are derived.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from endvac.linkage.keys import KeyChanges, Record
from endvac.store import db
from endvac.workspace import Workspace

REGISTRY_FILE = "registry.duckdb"
HANDOFF_FILE = "child_keys.parquet"

DDL = (
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS runs (run_id INTEGER PRIMARY KEY, ran_at TIMESTAMP NOT NULL,
        kind VARCHAR NOT NULL, engine VARCHAR, threshold DOUBLE, records BIGINT,
        persons BIGINT, merged BIGINT, pairs BIGINT, model_sha256 VARCHAR, seconds DOUBLE)""",
    """CREATE TABLE IF NOT EXISTS keys (child_key VARCHAR PRIMARY KEY,
        created_run INTEGER NOT NULL, retired_run INTEGER, redirect_to VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS assignments (agency VARCHAR NOT NULL,
        record_id VARCHAR NOT NULL, child_key VARCHAR NOT NULL, cluster_size BIGINT,
        match_probability DOUBLE, run_id INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS history (run_id INTEGER NOT NULL, agency VARCHAR NOT NULL,
        record_id VARCHAR NOT NULL, old_key VARCHAR, new_key VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS redirects (from_key VARCHAR NOT NULL,
        to_key VARCHAR NOT NULL, run_id INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS decisions (decision_id INTEGER PRIMARY KEY,
        kind VARCHAR NOT NULL, agency_a VARCHAR NOT NULL, record_a VARCHAR NOT NULL,
        agency_b VARCHAR NOT NULL, record_b VARCHAR NOT NULL, decided_at TIMESTAMP NOT NULL,
        source VARCHAR, note VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS evaluations (run_id INTEGER NOT NULL,
        evaluated_at TIMESTAMP NOT NULL, truth VARCHAR NOT NULL, metrics JSON NOT NULL)""",
)


def linkage_dir(workspace: Workspace) -> Path:
    return workspace.root / "linkage"


def registry_path(workspace: Workspace) -> Path:
    return linkage_dir(workspace) / REGISTRY_FILE


@contextmanager
def registry(workspace: Workspace, *, read_only: bool = False
             ) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the registry (created when missing, unless read-only)."""
    path = registry_path(workspace)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = db.connect(path, read_only=read_only and path.exists(),
                     threads=workspace.settings.threads,
                     temp_dir=workspace.settings.temp_dir)
    try:
        if not read_only or not path.exists():
            for sql in DDL:
                db.run(con, "create the identity registry", sql)
        yield con
    finally:
        con.close()


def has_run(workspace: Workspace) -> bool:
    return registry_path(workspace).exists()


def previous_assignment(con: duckdb.DuckDBPyConnection) -> dict[Record, str]:
    return {(a, r): k for a, r, k in db.rows(con, "read child keys",
                                             "SELECT agency, record_id, child_key "
                                             "FROM assignments")}


def next_key_number(con: duckdb.DuckDBPyConnection) -> int:
    found = db.scalar(con, "read key counter", "SELECT value FROM meta WHERE key = 'next_key'")
    return 1 if found is None else int(found)


def start_run(con: duckdb.DuckDBPyConnection, kind: str) -> int:
    run_id = int(db.scalar(con, "number the linking run",
                           "SELECT coalesce(max(run_id), 0) + 1 FROM runs"))
    db.run(con, "record the linking run",
           "INSERT INTO runs (run_id, ran_at, kind) VALUES (?, ?, ?)",
           [run_id, datetime.now(), kind])
    return run_id


def finish_run(con: duckdb.DuckDBPyConnection, run_id: int, summary: dict[str, Any]) -> None:
    columns = ", ".join(f"{db.ident(k)} = ?" for k in summary)
    db.run(con, "record the linking run", f"UPDATE runs SET {columns} WHERE run_id = ?",
           [*summary.values(), run_id])


def store_keys(con: duckdb.DuckDBPyConnection, run_id: int, changes: KeyChanges,
               details: pa.Table) -> None:
    """Write a run's key changes; ``details`` (agency, record_id, child_key, cluster_size,
    match_probability) becomes the current assignment, changes go to the history."""
    db.run(con, "store child keys", "BEGIN TRANSACTION")
    con.register("new_keys", pa.table({"child_key": pa.array(changes.created, pa.string())}))
    db.run(con, "store new keys", "INSERT INTO keys SELECT child_key, ?, NULL, NULL "
           "FROM new_keys", [run_id])
    con.unregister("new_keys")
    for old, new in changes.redirects:
        db.run(con, "store redirects", "INSERT INTO redirects VALUES (?, ?, ?)", [old, new, run_id])
        db.run(con, "store redirects", "UPDATE keys SET redirect_to = ?, retired_run = ? "
               "WHERE child_key = ?", [new, run_id, old])
        db.run(con, "store redirects", "UPDATE keys SET redirect_to = ? WHERE redirect_to = ?",
               [new, old])
    con.register("retired_keys", pa.table({"child_key": pa.array(changes.retired, pa.string())}))
    db.run(con, "retire keys", "UPDATE keys SET retired_run = ? WHERE child_key IN "
           "(SELECT child_key FROM retired_keys)", [run_id])
    con.unregister("retired_keys")
    con.register("new_assignment", details)
    db.run(con, "store key history", "INSERT INTO history SELECT ?, coalesce(n.agency, o.agency), "
           "coalesce(n.record_id, o.record_id), o.child_key, n.child_key FROM new_assignment AS n "
           "FULL JOIN assignments AS o ON o.agency = n.agency AND o.record_id = n.record_id "
           "WHERE o.child_key IS DISTINCT FROM n.child_key", [run_id])
    db.run(con, "store child keys", "DELETE FROM assignments")
    db.run(con, "store child keys", "INSERT INTO assignments SELECT agency, record_id, "
           "child_key, cluster_size, match_probability, ? FROM new_assignment", [run_id])
    con.unregister("new_assignment")
    db.run(con, "store key counter", "INSERT OR REPLACE INTO meta VALUES ('next_key', ?)",
           [str(changes.next_number)])
    db.run(con, "store child keys", "COMMIT")


def write_handoff(workspace: Workspace, con: duckdb.DuckDBPyConnection) -> Path:
    """Write (agency, record_id, child_key) for the analysis zone, atomically."""
    table = db.run(con, "hand child keys over", "SELECT agency, record_id, child_key "
                   "FROM assignments ORDER BY agency, record_id").to_arrow_table()
    path = workspace.root / HANDOFF_FILE
    staged = path.with_suffix(".tmp")
    pq.write_table(table, staged)
    os.replace(staged, path)
    return path


def person_map(workspace: Workspace) -> pa.Table | None:
    """(agency, record_id, person) from the last linking, or None before linkage.
    Every derivation of facts (indicators, alerts, the release) passes it on."""
    path = workspace.root / HANDOFF_FILE
    if not path.exists():
        return None
    table = pq.read_table(path)
    return table.rename_columns(["agency", "record_id", "person"])


def resolve(con: duckdb.DuckDBPyConnection, key: str) -> str:
    """The key a (possibly redirected) key now stands for."""
    found = db.scalar(con, "resolve a child key",
                      "SELECT coalesce(redirect_to, child_key) FROM keys WHERE child_key = ?",
                      [key])
    return key if found is None else str(found)
