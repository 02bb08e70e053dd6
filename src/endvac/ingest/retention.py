"""Retention: `endvac purge` removes record-level data older than a date, in both zones,
and records that it did. Aggregates (stored indicator runs) and releases stay.

Removed: events dated before the date, detention spells that ended before it, child
records left with no event or spell, the quarantined rows and findings of deliveries
loaded before it, and those records' encodings in the linkage zone. The analytic
store is then copied into a fresh file (DuckDB marks deleted rows; a copy leaves
them behind), which replaces the old one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from endvac.store import db
from endvac.workspace import ANALYTIC_FILE, Workspace, ensure_schema

PURGES_DDL = ("CREATE TABLE IF NOT EXISTS purges (purged_at TIMESTAMP NOT NULL, "
              "before DATE NOT NULL, events BIGINT, spells BIGINT, children BIGINT, "
              "quarantined BIGINT, findings BIGINT, encodings BIGINT)")


@dataclass
class PurgeSummary:
    before: date
    events: int
    spells: int
    children: int
    quarantined: int
    findings: int
    encodings: int = 0


def _count_delete(con: duckdb.DuckDBPyConnection, step: str, table: str, where: str,
                  params: list[object]) -> int:
    found = int(db.scalar(con, step, f"SELECT count(*) FROM {table} WHERE {where}", params))
    db.run(con, step, f"DELETE FROM {table} WHERE {where}", params)
    return found


def purge(workspace: Workspace, before: date) -> PurgeSummary:
    """Remove record-level data older than ``before`` from both zones; record the purge."""
    with workspace.analytic() as con:
        db.run(con, "begin purge", "BEGIN TRANSACTION")
        events = _count_delete(con, "purge events", "f_events", "date < ?", [before])
        spells = _count_delete(con, "purge spells", "f_detentions",
                               '"end" IS NOT NULL AND "end" < ?', [before])
        orphan = ("NOT EXISTS (SELECT 1 FROM f_events AS e WHERE e.agency = f_children.agency "
                  "AND e.record_id = f_children.record_id) AND NOT EXISTS (SELECT 1 FROM "
                  "f_detentions AS d WHERE d.agency = f_children.agency "
                  "AND d.record_id = f_children.record_id)")
        gone = db.rows(con, "find purged records",
                       f"SELECT DISTINCT agency, record_id FROM f_children WHERE {orphan}")
        children = _count_delete(con, "purge child records", "f_children", orphan, [])
        old = "delivery_id IN (SELECT delivery_id FROM deliveries WHERE loaded_at < ?)"
        quarantined = _count_delete(con, "purge quarantine", "quarantine", old, [before])
        findings = _count_delete(con, "purge findings", "findings", old, [before])
        db.run(con, "record purge", PURGES_DDL)
        summary = PurgeSummary(before, events, spells, children, quarantined, findings)
        db.run(con, "record purge", "INSERT INTO purges VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
               [datetime.now(), before, events, spells, children, quarantined, findings])
        db.run(con, "commit purge", "COMMIT")
    summary.encodings = _purge_encodings(workspace, {(a, r) for a, r in gone})
    with workspace.analytic() as con:
        db.run(con, "record purge", "UPDATE purges SET encodings = ? WHERE purged_at = "
               "(SELECT max(purged_at) FROM purges)", [summary.encodings])
    _compact(workspace)
    return summary


def _purge_encodings(workspace: Workspace, gone: set[tuple[str, str]]) -> int:
    removed = 0
    for path in sorted(workspace.identifiers_dir.glob("delivery-*.parquet")):
        table = pq.read_table(path)
        keep = [(a, r) not in gone for a, r in zip(table.column("agency").to_pylist(),
                                                   table.column("record_id").to_pylist(),
                                                   strict=True)]
        if all(keep):
            continue
        removed += keep.count(False)
        staged = path.with_suffix(".purging")
        pq.write_table(table.filter(pa.array(keep)), staged)
        os.replace(staged, path)
    return removed


def _compact(workspace: Workspace) -> None:
    fresh = workspace.root / (ANALYTIC_FILE + ".compact")
    fresh.unlink(missing_ok=True)
    with workspace.analytic() as con:
        db.run(con, "compact the store", f"ATTACH {db.path_literal(fresh)} AS fresh")
        db.run(con, "compact the store", "COPY FROM DATABASE analytic TO fresh")
        db.run(con, "compact the store", "DETACH fresh")
    os.replace(fresh, workspace.analytic_path)
    with workspace.analytic() as con:
        ensure_schema(con)
