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
- ``decision_date``: the first dated `suspect_verdict`'s date (NULL when none is dated);
- ``support_any``, ``support_untyped`` and ``support_<type>`` (each of the measures of
  `victim_support`): the child has such support dated on or after the report's reference
  date (any agency's record of the child, any later date);
- ``interviews``: the child's `child_interview` facts (of a child, by their own
  reference date) dated on or after the report's reference date.
Events recorded as not done are no part of a case.
"""

from __future__ import annotations

from endvac.facts.views import current_rows_sql
from endvac.interchange.spec import MEASURES, file_spec

STEPS = ("suspect_charged", "suspect_verdict")


def victim_cases_sql() -> str:
    steps = ", ".join(f"'{kind}'" for kind in STEPS)
    # the steps' own rows, for their origin_case_ref: only their keys' versions are read
    keys = ("(SELECT agency, fact_id AS event_id FROM facts WHERE fact_kind = 'event' "
            f"AND kind IN ({steps}))")
    return (
        "CREATE OR REPLACE TEMP TABLE victim_cases AS "
        "WITH steps AS (SELECT f.person, e.agency, e.case_id, e.origin_case_ref, "
        "f.kind AS event_type, f.fact_date AS date, f.evidence FROM facts AS f "
        f"JOIN ({current_rows_sql(file_spec('events'), keys)}) AS e "
        "ON e.agency = f.agency AND e.event_id = f.fact_id "
        f"WHERE f.fact_kind = 'event' AND f.kind IN ({steps})), "
        "reports AS (SELECT * FROM facts WHERE kind = 'victim_report' AND role = 'victim'), "
        "progress AS (SELECT r.person, r.agency, r.fact_id, "
        "bool_or(s.event_type = 'suspect_charged') AS charged, "
        "bool_or(s.event_type = 'suspect_verdict') AS decided, "
        "min(s.date) FILTER (WHERE s.event_type = 'suspect_verdict' AND s.evidence = 'dated') "
        "AS decision_date FROM reports AS r JOIN steps AS s ON s.person = r.person "
        "AND ((s.agency = r.agency AND s.case_id = r.case_id) "
        "OR s.origin_case_ref = r.case_id) GROUP BY r.person, r.agency, r.fact_id), "
        f"support AS ({_support_sql()}), interviews AS ({_interviews_sql()}) "
        "SELECT r.* REPLACE (r.person || ' ' || r.agency || ' ' || r.fact_id AS person), "
        "r.person AS victim, coalesce(g.charged, false) AS charged, "
        "coalesce(g.decided, false) AS decided, g.decision_date, "
        + "".join(f"coalesce(u.{c}, false) AS {c}, " for c in SUPPORT_COLUMNS)
        + "coalesce(i.interviews, 0) AS interviews "
        "FROM reports AS r LEFT JOIN progress AS g ON g.person = r.person "
        "AND g.agency = r.agency AND g.fact_id = r.fact_id "
        "LEFT JOIN support AS u ON u.person = r.person AND u.agency = r.agency "
        "AND u.fact_id = r.fact_id LEFT JOIN interviews AS i ON i.person = r.person "
        "AND i.agency = r.agency AND i.fact_id = r.fact_id")


SUPPORT_TYPES = MEASURES["victim_support"]
SUPPORT_COLUMNS = ("support_any", "support_untyped", *(f"support_{t}" for t in SUPPORT_TYPES))


def _support_sql() -> str:
    types = "".join(f", bool_or(s.measure = '{t}') AS support_{t}" for t in SUPPORT_TYPES)
    return ("SELECT r.person, r.agency, r.fact_id, true AS support_any, "
            f"bool_or(s.measure IS NULL) AS support_untyped{types} "
            "FROM reports AS r JOIN facts AS s ON s.person = r.person "
            "AND s.kind = 'victim_support' AND s.fact_date >= r.ref_date "
            "GROUP BY r.person, r.agency, r.fact_id")


def _interviews_sql() -> str:
    return ("SELECT r.person, r.agency, r.fact_id, count(*) AS interviews "
            "FROM reports AS r JOIN facts AS i ON i.person = r.person "
            "AND i.kind = 'child_interview' AND i.is_child AND i.fact_date >= r.ref_date "
            "GROUP BY r.person, r.agency, r.fact_id")
