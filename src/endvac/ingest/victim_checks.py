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


def report_match_sql(event: str, report: str) -> str:
    """True when ``report`` (a victim_report row) is the report of ``event``'s case: the
    same (agency, case_id), or the event's origin_case_ref is the report's case_id;
    support and interviews without any case number belong to their record's reports."""
    return (f"(({report}.agency = {event}.agency AND {report}.case_id = {event}.case_id) "
            f"OR {report}.case_id = {event}.origin_case_ref "
            f"OR ({event}.case_id IS NULL AND {event}.origin_case_ref IS NULL "
            f"AND {event}.event_type NOT IN ({db.literal_list(CASE_EVENTS)[1:-1]}) "
            f"AND {report}.agency = {event}.agency AND {report}.record_id = {event}.record_id))")


def victim_case_sql() -> str:
    """Each loaded pathway event of delivery ``?`` with its case's first report date
    (NULL: no report found) and whether the event itself is dated."""
    kinds = "(" + db.literal_list(VICTIM_PATHWAY_EVENTS)[1:-1] + ")"
    return (
        "SELECT e._row, min(r.date) AS report_date, "
        "coalesce(e.evidence, 'dated') = 'dated' AS dated, any_value(e.date) AS event_date "
        "FROM f_events AS e LEFT JOIN events AS r ON r.event_type = 'victim_report' "
        f"AND coalesce(r.evidence, 'dated') <> 'not_done' AND {report_match_sql('e', 'r')} "
        f"WHERE e._delivery = ? AND e.event_type IN {kinds} "
        "AND coalesce(e.evidence, 'dated') <> 'not_done' "
        "GROUP BY e._row, e.evidence ORDER BY e._row")


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
