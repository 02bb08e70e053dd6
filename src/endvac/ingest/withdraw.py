"""Withdrawing a delivery loaded by mistake (`endvac withdraw`).

The withdrawal is itself recorded as a delivery (mode ``withdrawal``), so history keeps
both: every row the mistaken delivery made current leaves the current views — a row it
replaced comes back as it was before, a row it brought for the first time is removed —
and its files and findings leave the load status (the data-quality figures).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import duckdb

from endvac.errors import UsageError
from endvac.facts.views import WITHDRAWAL_ID, current_rows_sql
from endvac.interchange.spec import FileSpec
from endvac.store import db
from endvac.store.db import ident
from endvac.store.schema import FACT_FILES, fact_table, stored_columns
from endvac.workspace import Workspace


@dataclass(frozen=True)
class Withdrawal:
    """What a withdrawal did: per file, rows restored to an earlier version and removed."""

    delivery_id: int
    withdrawn_by: int
    restored: dict[str, int]
    removed: dict[str, int]


def withdraw_delivery(workspace: Workspace, delivery_id: int,
                      reason: str | None = None) -> Withdrawal:
    """Take delivery ``delivery_id`` back out of the current figures; see docs/ingest.md."""
    with workspace.analytic() as con:
        _check(con, delivery_id)
        db.run(con, "begin withdrawal", "BEGIN TRANSACTION")
        try:
            new_id = _record(workspace, con, delivery_id)
            restored, removed = {}, {}
            for spec in FACT_FILES:
                restored[spec.name], removed[spec.name] = _take_back(
                    con, spec, delivery_id, new_id, reason)
            db.run(con, "record withdrawal", "INSERT INTO delivery_withdrawals VALUES "
                   "(?, ?, ?, ?)", [delivery_id, new_id, datetime.now(), reason])
            db.run(con, "commit withdrawal", "COMMIT")
        except BaseException:
            db.run(con, "roll back withdrawal", "ROLLBACK")
            raise
    return Withdrawal(delivery_id, new_id, {k: v for k, v in restored.items() if v},
                      {k: v for k, v in removed.items() if v})


def _check(con: duckdb.DuckDBPyConnection, delivery_id: int) -> None:
    mode = db.scalar(con, "find delivery", "SELECT mode FROM deliveries WHERE delivery_id = ?",
                     [delivery_id])
    if mode is None:
        raise UsageError(f"there is no delivery {delivery_id}",
                         fix="list them with: endvac deliveries WORKSPACE")
    if mode == "withdrawal":
        raise UsageError(f"delivery {delivery_id} is a withdrawal",
                         fix="load the withdrawn delivery again to bring its rows back")
    done = db.scalar(con, "find withdrawal", "SELECT withdrawn_by FROM delivery_withdrawals "
                     "WHERE delivery_id = ?", [delivery_id])
    if done is not None:
        raise UsageError(f"delivery {delivery_id} was already withdrawn by delivery {done}",
                         fix="nothing to do")


def _record(workspace: Workspace, con: duckdb.DuckDBPyConnection, delivery_id: int) -> int:
    """The withdrawal's own delivery row (no rows in, nothing loaded)."""
    new_id = int(db.scalar(con, "number withdrawal",
                           "SELECT coalesce(max(delivery_id), 0) + 1 FROM deliveries"))
    now = datetime.now()
    digest = hashlib.sha256(f"withdrawal of {delivery_id} at {now.isoformat()}".encode()
                            ).hexdigest()
    db.run(con, "record withdrawal", (
        "INSERT INTO deliveries SELECT ?, ?, ?, ?, NULL, agency, reporting_unit, NULL, NULL, "
        "NULL, 'withdrawal', NULL, NULL, ?, NULL, 0, 0, 0, 0, 0, 0 FROM deliveries "
        "WHERE delivery_id = ?"),
        [new_id, now, f"withdrawal of delivery {delivery_id}", digest,
         workspace.config_revision(con), delivery_id])
    return new_id


def _take_back(con: duckdb.DuckDBPyConnection, spec: FileSpec, delivery_id: int,
               new_id: int, reason: str | None) -> tuple[int, int]:
    """Restore the earlier version of every key the delivery made current; remove the
    keys it brought first (withdrawable files). Returns (restored, removed)."""
    table = ident(fact_table(spec))
    keys = ", ".join(ident(k) for k in spec.key)
    match = " AND ".join(f"k.{ident(k)} IS NOT DISTINCT FROM f.{ident(k)}" for k in spec.key)
    db.run(con, "find withdrawn rows", (
        f"CREATE OR REPLACE TEMP TABLE withdrawn_keys AS SELECT {keys} "
        f"FROM ({current_rows_sql(spec)}) AS c WHERE c._delivery = ?"), [delivery_id])
    cols = ", ".join(ident(n) for n, _ in stored_columns(spec))
    before = int(db.scalar(con, "count rows", f"SELECT count(*) FROM {table}"))
    db.run(con, f"restore {spec.name}", (
        f"INSERT INTO {table} ({cols}, _delivery, _row, _hash) SELECT {cols}, ?, _row, _hash "
        f"FROM {table} AS f WHERE f._delivery < ? AND f._delivery NOT IN "
        "(SELECT delivery_id FROM delivery_withdrawals) "
        f"AND EXISTS (SELECT 1 FROM withdrawn_keys AS k WHERE {match}) "
        f"QUALIFY row_number() OVER (PARTITION BY {keys} "
        "ORDER BY _delivery DESC, _row DESC) = 1"), [new_id, delivery_id])
    restored = int(db.scalar(con, "count rows", f"SELECT count(*) FROM {table}")) - before
    if spec.name not in WITHDRAWAL_ID:
        return restored, 0
    id_col = ident(WITHDRAWAL_ID[spec.name])
    removed = db.rows(con, f"remove {spec.name}", (
        f"INSERT INTO removals SELECT ?, '{spec.name}', k.agency, k.{id_col}, "
        "'delivery_withdrawn', ? FROM withdrawn_keys AS k WHERE NOT EXISTS (SELECT 1 FROM "
        f"{table} AS f WHERE f._delivery = ? AND {match}) RETURNING 1"),
        [new_id, reason, new_id])
    return restored, len(removed)
