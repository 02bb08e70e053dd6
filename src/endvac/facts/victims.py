"""The victims' cases, derived from the facts (interchange extension of format version 1,
docs/spec/interchange.md "Extension: the victims' pathway").

``victim_cases`` holds one row per `victim_report` (role victim): the report's fact with
how far its case went. A later event belongs to the report when it is of the same person
and shares the report's (agency, case_id), or its origin_case_ref is the report's case_id
(so before linkage only the reporting agency's own record counts; after it, every agency's
record of the child). The row's ``person`` is the case's key — the indicator shapes count
distinct ``person``s, so over this table they count cases — and ``victim`` is the child:

- ``charged``: a `suspect_charged` belongs to the case;
- ``decided``: a `suspect_verdict` belongs to it (any measure: a decision);
- ``decision_date``: the first dated `suspect_verdict`'s date (NULL when none is dated).
Events recorded as not done are no part of a case.
"""

from __future__ import annotations

STEPS = ("suspect_charged", "suspect_verdict")


def victim_cases_sql() -> str:
    steps = ", ".join(f"'{kind}'" for kind in STEPS)
    return (
        "CREATE OR REPLACE TEMP TABLE victim_cases AS "
        "WITH steps AS (SELECT p.person, e.agency, e.case_id, e.origin_case_ref, "
        "e.event_type, e.date, coalesce(e.evidence, 'dated') AS evidence FROM events AS e "
        "JOIN person_records AS p ON p.agency = e.agency AND p.record_id = e.record_id "
        f"WHERE e.event_type IN ({steps}) AND coalesce(e.evidence, 'dated') <> 'not_done'), "
        "reports AS (SELECT * FROM facts WHERE kind = 'victim_report' AND role = 'victim'), "
        "progress AS (SELECT r.person, r.agency, r.fact_id, "
        "bool_or(s.event_type = 'suspect_charged') AS charged, "
        "bool_or(s.event_type = 'suspect_verdict') AS decided, "
        "min(s.date) FILTER (WHERE s.event_type = 'suspect_verdict' AND s.evidence = 'dated') "
        "AS decision_date FROM reports AS r JOIN steps AS s ON s.person = r.person "
        "AND ((s.agency = r.agency AND s.case_id = r.case_id) "
        "OR s.origin_case_ref = r.case_id) GROUP BY r.person, r.agency, r.fact_id) "
        "SELECT r.* REPLACE (r.person || ' ' || r.agency || ' ' || r.fact_id AS person), "
        "r.person AS victim, coalesce(g.charged, false) AS charged, "
        "coalesce(g.decided, false) AS decided, g.decision_date "
        "FROM reports AS r LEFT JOIN progress AS g ON g.person = r.person "
        "AND g.agency = r.agency AND g.fact_id = r.fact_id")
