"""What a delivery takes out of the current rows: its withdrawals file, and the rows a
`full` manifest replaces (docs/ingest.md). Runs inside the delivery's transaction, on
the staged relations of :mod:`endvac.ingest.load`."""

from __future__ import annotations

import duckdb

from endvac.facts.views import WITHDRAWAL_ID
from endvac.ingest.delivery import Manifest
from endvac.ingest.findings import Finding, finding
from endvac.ingest.read import SourceTable
from endvac.interchange.spec import FileSpec
from endvac.store import db
from endvac.store.db import ident


def withdraw_listed(con: duckdb.DuckDBPyConnection, source: SourceTable, delivery_id: int
              ) -> list[Finding]:
    found: list[Finding] = []
    for file, id_col in WITHDRAWAL_ID.items():
        unknown = db.rows(con, "check withdrawals", (
            "SELECT w._row FROM stage_typed AS w JOIN stage_status USING (_row) "
            f"WHERE w.file = ? AND NOT EXISTS (SELECT 1 FROM {ident(file)} AS c "
            f"WHERE c.agency = w.agency AND c.{ident(id_col)} = w.id)"), [file])
        found += [finding("withdrawals", source.where, r[0], "id", "unknown_withdrawal")
                  for r in unknown]
    db.run(con, "record withdrawals", (
        "INSERT INTO removals SELECT ?, w.file, w.agency, w.id, 'withdrawal', w.reason "
        "FROM stage_typed AS w JOIN stage_status USING (_row)"), [delivery_id])
    return found


def keep_keys(con: duckdb.DuckDBPyConnection, spec: FileSpec, first: bool) -> None:
    """Collect the keys every part of a file delivers, for a full manifest's replace."""
    id_col = ident(WITHDRAWAL_ID[spec.name])
    select = f"SELECT agency, {id_col} AS id FROM stage_status"
    sql = (f"CREATE OR REPLACE TEMP TABLE stage_kept AS {select}" if first
           else f"INSERT INTO stage_kept {select}")
    db.run(con, "collect delivered keys", sql)


def replace_full(con: duckdb.DuckDBPyConnection, spec: FileSpec, manifest: Manifest,
                  delivery_id: int) -> int:
    id_col, date_col = ident(WITHDRAWAL_ID[spec.name]), ident(spec.period_column or "")
    sql = (f"INSERT INTO removals SELECT ?, '{spec.name}', c.agency, c.{id_col}, "
           "'full_replace', NULL "
           f"FROM {ident(spec.name)} AS c JOIN deliveries AS d ON d.delivery_id = c._delivery "
           f"WHERE c.agency = ? AND c.{date_col} BETWEEN ? AND ? AND c._delivery < ? "
           "AND (CAST(? AS VARCHAR) IS NULL OR d.reporting_unit = ?) "
           "AND NOT EXISTS (SELECT 1 FROM stage_kept AS s WHERE s.agency = c.agency "
           f"AND s.id = c.{id_col})")
    params = [delivery_id, manifest.agency, manifest.period_start, manifest.period_end,
              delivery_id, manifest.reporting_unit, manifest.reporting_unit]
    before = int(db.scalar(con, "count removals", "SELECT count(*) FROM removals"))
    db.run(con, f"replace {spec.name} of a full delivery", sql, params)
    return int(db.scalar(con, "count removals", "SELECT count(*) FROM removals")) - before
