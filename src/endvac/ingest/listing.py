"""What was loaded: deliveries, quarantined rows and findings, as records."""

from __future__ import annotations

from typing import Any

from endvac.store import db
from endvac.workspace import Workspace

DELIVERY_COLUMNS = ("delivery_id", "loaded_at", "source", "agency", "reporting_unit",
                    "period_start", "period_end", "extracted", "mode", "event_types",
                    "format_version", "config_revision", "rows_in", "loaded", "quarantined",
                    "duplicates", "warnings", "removed")


def deliveries(workspace: Workspace) -> list[dict[str, Any]]:
    """Every loaded delivery with its manifest and counts, oldest first; ``withdrawn_by``
    names the withdrawal that took a delivery back."""
    with workspace.analytic(read_only=True) as con:
        return db.records(con, "list deliveries", (
            f"SELECT {', '.join('d.' + c for c in DELIVERY_COLUMNS)}, w.withdrawn_by "
            "FROM deliveries AS d LEFT JOIN delivery_withdrawals AS w USING (delivery_id) "
            "ORDER BY 1"))


def quarantined(workspace: Workspace, *, delivery: int | None = None, file: str | None = None,
                rule: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Quarantined rows with every error found on them, filtered."""
    sql = ("SELECT f.delivery_id, f.file, f.path, f.row, f.\"column\", f.rule, f.message "
           "FROM findings AS f WHERE f.severity = 'error' "
           "AND (CAST($delivery AS INTEGER) IS NULL OR f.delivery_id = $delivery) "
           "AND (CAST($file AS VARCHAR) IS NULL OR f.file = $file) "
           "AND (CAST($rule AS VARCHAR) IS NULL OR f.rule = $rule) "
           "ORDER BY f.delivery_id, f.file, f.row, f.\"column\", f.rule "
           "LIMIT coalesce(CAST($limit AS BIGINT), 9223372036854775807)")
    params = {"delivery": delivery, "file": file, "rule": rule, "limit": limit}
    with workspace.analytic(read_only=True) as con:
        return db.records(con, "list quarantine", sql, params)


# Deliveries that count in the load status: withdrawn ones stay in the history only.
_COUNTED = "delivery_id NOT IN (SELECT delivery_id FROM delivery_withdrawals)"


def status(workspace: Workspace) -> list[dict[str, Any]]:
    """Rows loaded, quarantined and skipped per file, and findings per rule, overall
    (withdrawn deliveries left out)."""
    with workspace.analytic(read_only=True) as con:
        per_file = db.records(con, "status per file", (
            "SELECT 'file' AS what, file AS name, sum(rows_in) AS rows_in, "
            "sum(new + replaced + unchanged) AS loaded, sum(quarantined) AS quarantined, "
            "sum(duplicates) AS duplicates, sum(warnings) AS warnings "
            f"FROM delivery_files WHERE {_COUNTED} GROUP BY file ORDER BY file"))
        per_rule = db.records(con, "status per rule", (
            "SELECT severity AS what, rule AS name, NULL AS rows_in, NULL AS loaded, "
            "count(DISTINCT (delivery_id, file, \"row\")) FILTER (WHERE severity = 'error') "
            "AS quarantined, NULL AS duplicates, "
            "count(*) FILTER (WHERE severity = 'warning') AS warnings "
            f"FROM findings WHERE {_COUNTED} GROUP BY severity, rule ORDER BY severity, rule"))
    return per_file + per_rule
