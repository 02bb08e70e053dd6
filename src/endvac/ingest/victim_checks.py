"""Checks of the victims' pathway (interchange extension of format version 1): each
later event of a victim's case is matched to its `victim_report`, across the whole
workspace (the report may have come in an earlier delivery).

Neither finding quarantines a row: an event whose report has not come yet is a
``victim_case_not_found`` notice (the case indicators leave it out until the report
comes); one dated before its report is a ``victim_event_before_report`` warning."""

from __future__ import annotations

import duckdb

from endvac.ingest.findings import Finding, finding
from endvac.interchange.spec import VICTIM_PATHWAY_EVENTS
from endvac.store import db

CASE_EVENTS = ("investigation_opened", "investigation_closed", "suspect_charged",
               "suspect_verdict")


def _in(values: tuple[str, ...]) -> str:
    return "(" + db.literal_list(values)[1:-1] + ")"


def victim_case_sql() -> str:
    """Each loaded pathway event of delivery ``?`` with its case's first report date
    (NULL: no report found), whether it is dated, and its date. A report is its case's
    when it shares the event's (agency, case_id), or has the event's origin_case_ref as
    case_id; support and interviews without any case number match their record's
    reports. (Three equality joins, so none is a nested loop.)"""
    return (
        "WITH pathway AS (SELECT _row, agency, record_id, case_id, origin_case_ref, "
        "event_type, date, coalesce(evidence, 'dated') AS evidence FROM f_events "
        f"WHERE _delivery = ? AND event_type IN {_in(VICTIM_PATHWAY_EVENTS)} "
        "AND coalesce(evidence, 'dated') <> 'not_done'), "
        "reports AS (SELECT agency, record_id, case_id, date FROM events "
        "WHERE event_type = 'victim_report' AND coalesce(evidence, 'dated') <> 'not_done'), "
        "found AS (SELECT p._row, r.date FROM pathway AS p JOIN reports AS r "
        "ON r.agency = p.agency AND r.case_id = p.case_id "
        "UNION ALL SELECT p._row, r.date FROM pathway AS p JOIN reports AS r "
        "ON r.case_id = p.origin_case_ref "
        "UNION ALL SELECT p._row, r.date FROM pathway AS p JOIN reports AS r "
        "ON r.agency = p.agency AND r.record_id = p.record_id "
        "WHERE p.case_id IS NULL AND p.origin_case_ref IS NULL "
        f"AND p.event_type NOT IN {_in(CASE_EVENTS)}) "
        "SELECT p._row, min(f.date) AS report_date, p.evidence = 'dated' AS dated, "
        "p.date AS event_date FROM pathway AS p LEFT JOIN found AS f USING (_row) "
        "GROUP BY p._row, p.evidence, p.date ORDER BY p._row")


def victim_case_findings(con: duckdb.DuckDBPyConnection, delivery_id: int,
                         path: str) -> tuple[list[Finding], int]:
    """The delivery's pathway findings, and how many of them are warnings."""
    out: list[Finding] = []
    warnings = 0
    for row, report_date, dated, event_date in db.rows(
            con, "match victims' pathway events to their reports", victim_case_sql(),
            [delivery_id]):
        if report_date is None:
            out.append(finding("events", path, row, "case_id", "victim_case_not_found"))
        elif dated and event_date < report_date:
            out.append(finding("events", path, row, "date", "victim_event_before_report"))
            warnings += 1
    return out, warnings
