"""A loaded delivery's bookkeeping: its delivery-wide warnings and its records in the
`deliveries`, `delivery_files` and `findings` tables."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from endvac.ingest.findings import Finding, finding
from endvac.ingest.result import IngestResult
from endvac.ingest.victim_checks import victim_case_findings
from endvac.store import db
from endvac.workspace import Workspace


def delivery_warnings(con: duckdb.DuckDBPyConnection, delivery_id: int,
                       result: IngestResult) -> list[Finding]:
    events = next((f for f in result.files if f.file == "events"), None)
    if events is None:
        return []
    found = db.rows(con, "check family visits", (
        "SELECT e._row FROM f_events AS e WHERE e._delivery = ? "
        "AND e.event_type = 'family_visit' AND coalesce(e.evidence, 'dated') = 'dated' "
        "AND NOT EXISTS (SELECT 1 FROM detentions AS d "
        "WHERE d.agency = e.agency AND d.record_id = e.record_id AND d.start <= e.date "
        'AND (d."end" IS NULL OR d."end" >= e.date)) ORDER BY 1'), [delivery_id])
    pathway, pathway_warnings = victim_case_findings(con, delivery_id, events.path)
    events.warnings += len(found) + pathway_warnings
    return [finding("events", events.path, r[0], "date", "visit_outside_detention")
            for r in found] + pathway


def record_delivery(workspace: Workspace, con: duckdb.DuckDBPyConnection, result: IngestResult,
                     delivery_id: int, digest: str, mapping_path: Path | None) -> None:
    manifest = result.manifest
    revision = workspace.config_revision(con)
    warnings = sum(1 for f in result.findings if f.severity == "warning")
    db.run(con, "record delivery", "INSERT INTO deliveries VALUES "
           "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
               delivery_id, datetime.now(), str(result.source), digest,
               str(mapping_path) if mapping_path else None, manifest.agency,
               manifest.reporting_unit, manifest.period_start, manifest.period_end,
               manifest.extracted, manifest.mode, " ".join(manifest.event_types) or None,
               manifest.format_version, revision, result.normalisation_version,
               result.total("rows_in"),
               sum(f.loaded for f in result.files), result.quarantined,
               result.total("duplicates"), warnings, result.total("removed")])
    for f in result.files:
        db.run(con, "record delivery files",
               "INSERT INTO delivery_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               [delivery_id, f.file, f.path, f.format, f.rows_in, f.new, f.replaced,
                f.unchanged, f.quarantined, f.duplicates, f.warnings])
    if result.findings:
        table = pa.table({
            "delivery_id": pa.array([delivery_id] * len(result.findings), pa.int32()),
            **{k: pa.array([getattr(x, k) for x in result.findings])
               for k in ("file", "path", "row", "column", "rule", "severity", "message")}})
        con.register("stage_findings", table)
        db.run(con, "record findings", "INSERT INTO findings SELECT * FROM stage_findings")
