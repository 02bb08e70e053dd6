"""SQL of each safeguard check, built by small pure functions over the derived facts.

Every check returns rows of the same columns (:data:`COLUMNS`). Bound
parameters: ``$as_of``, ``$limit`` (the profile value), ``$bases`` (detention
bases of the config), ``$rule`` and ``$missing_rule`` (rule ids). Event types
come from the rule definitions (checked against the interchange code list).

Boundaries (issue: "Exact boundaries"): a breach is elapsed > limit. Days are
date(end or as-of) − date(start). Hours are exact when both ends have times;
with a date alone, a day gap d lies between max(0, d − 1) × 24 and (d + 1) × 24
hours: ``breach`` when even the lower bound exceeds the limit, ``possible``
when only the upper does.

Evidence (``events.evidence``): only ``dated`` events are placed in time. An
event recorded with its time unknown (``facts.evidence = 'time_unknown'``, dated
by its reference stage: it happened on or after that date) that could satisfy a
rule makes the alert ``possible``; an event recorded as not done
(``not_done_facts``) makes a missing event a ``breach``, never ``no_evidence``.
"""

from __future__ import annotations

from endvac.store.db import literal

COLUMNS = ("rule", "status", "person", "agency", "record_id", "fact_id", "since", "elapsed",
           "limit_value", "unit", "over", "facility_id", "region", "case_id", "evidence",
           "ongoing")


def searched(event: str, person: str, refused: str = "false") -> str:
    """'breach' when the agency recorded ``event`` as not done (``refused``) or one of the
    person's agencies records ``event``, else 'no_evidence' (the event would sit in another
    agency's records, not linked to this person)."""
    return (f"CASE WHEN {refused} THEN 'breach' WHEN EXISTS (SELECT 1 FROM person_agencies AS "
            "pa JOIN agency_types AS t ON t.agency = pa.agency "
            f"WHERE pa.person = {person} AND t.event_type = {literal(event)}) "
            "THEN 'breach' ELSE 'no_evidence' END")


def recorded(table: str, event: str, person: str, window: str) -> str:
    """Ids (space-separated, NULL when none) of the person's ``event`` rows of ``table``
    (``facts`` with ``evidence = 'time_unknown'``, or ``not_done_facts``) whose date —
    the date of the reference stage, not of the event — satisfies ``window`` (over ``x``)."""
    unknown = " AND x.evidence = 'time_unknown'" if table == "facts" else ""
    return (f"(SELECT string_agg(x.fact_id, ' ' ORDER BY x.fact_id) FROM {table} AS x "
            f"WHERE x.person = {person} AND x.kind = {literal(event)}{unknown} AND {window})")


def _select(rule: str, status: str, fact: str, since: str, elapsed: str, unit: str,
            over: str, evidence: str, ongoing: str, case: str | None = None) -> str:
    return (f"SELECT {rule} AS rule, {status} AS status, {fact}.person, {fact}.agency, "
            f"{fact}.record_id, {fact}.fact_id, CAST({since} AS DATE) AS since, "
            f"CAST({elapsed} AS DOUBLE) AS elapsed, TRY_CAST($limit AS DOUBLE) AS limit_value, "
            f"{literal(unit)} AS unit, CAST({over} AS DOUBLE) AS over, {fact}.facility_id, "
            f"{fact}.region, {case or fact + '.case_id'} AS case_id, {evidence} AS evidence, "
            f"{ongoing} AS ongoing")


def below_macr() -> str:
    """A child arrested, charged, detained or sentenced as an offender below ``macr``."""
    return (
        "WITH young AS (SELECT f.*, string_agg(f.fact_id, ' ') OVER (PARTITION BY f.person) "
        "AS all_ids FROM facts AS f WHERE f.role = 'offender' AND f.age IS NOT NULL "
        "AND f.age < $limit AND f.fact_date <= $as_of AND (f.kind IN ('arrest', 'charge', "
        "'sentence') OR (f.fact_kind = 'spell' AND f.basis <> 'welfare')) "
        "QUALIFY row_number() OVER (PARTITION BY f.person ORDER BY f.ref_date, f.fact_id) = 1) "
        + _select("$rule", "'breach'", "y", "y.fact_date", "y.age", "years", "$limit - y.age",
                  "y.all_ids", "false") + " FROM young AS y")


def _arrests() -> str:
    return ("arrests AS (SELECT f.*, coalesce(f.fact_time, CAST(f.fact_date AS TIMESTAMP)) "
            "AS at, lead(f.fact_date) OVER w AS next_date, lead(f.fact_time) OVER w AS next_time "
            "FROM facts AS f WHERE f.kind = 'arrest' AND f.role = 'offender' AND f.is_child "
            "AND f.fact_date <= $as_of "
            "WINDOW w AS (PARTITION BY f.person ORDER BY f.fact_date, f.fact_time, f.fact_id))")


def _first_after_arrest(event: str, name: str) -> str:
    """The first ``event`` of the person on or after each arrest, before the next arrest."""
    return (
        f"{name} AS (SELECT a.person, a.fact_id AS arrest_id, e.fact_id AS event_id, "
        "e.fact_date AS e_date, e.fact_time AS e_time, e.evidence AS e_evidence "
        "FROM arrests AS a JOIN facts AS e "
        f"ON e.person = a.person AND e.kind = {literal(event)} AND e.fact_date >= a.fact_date "
        "AND e.fact_date <= $as_of "
        "AND NOT (a.fact_time IS NOT NULL AND e.fact_time IS NOT NULL "
        "AND e.fact_time < a.fact_time) "
        "AND (a.next_date IS NULL OR e.fact_date < a.next_date OR (e.fact_date = a.next_date "
        "AND e.fact_time IS NOT NULL AND a.next_time IS NOT NULL AND e.fact_time < a.next_time)) "
        "QUALIFY row_number() OVER (PARTITION BY a.person, a.fact_id "
        "ORDER BY e.evidence <> 'dated', e.fact_date, e.fact_time NULLS LAST, e.fact_id) = 1)")


def _arrest_window(arrest: str) -> str:
    """``x`` dated (by its reference date) from the arrest to before the next arrest."""
    return (f"x.fact_date >= {arrest}.fact_date AND x.fact_date <= $as_of AND "
            f"({arrest}.next_date IS NULL OR x.fact_date < {arrest}.next_date)")


def hours_after_arrest(event: str) -> str:
    """An ``event`` later than ``$limit`` hours after an arrest, or missing when due. An
    event recorded with its time unknown leaves the alert ``possible`` once the limit may
    have passed; one recorded as not done makes the missing event a ``breach``."""
    exact = "(a.fact_time IS NOT NULL AND m.e_time IS NOT NULL)"
    hours = "date_diff('minute', a.fact_time, m.e_time) / 60.0"
    # a time-unknown event is never placed at its date: the clock runs to the as-of date
    days = ("(CASE WHEN m.e_evidence = 'dated' THEN m.e_date ELSE CAST($as_of AS DATE) END "
            "- a.fact_date)")
    low = f"CASE WHEN {exact} THEN {hours} ELSE greatest(0, {days} - 1) * 24 END"
    high = f"CASE WHEN {exact} THEN {hours} ELSE ({days} + 1) * 24 END"
    status = (f"CASE WHEN ({low}) > $limit THEN 'breach' WHEN ({high}) > $limit "
              "THEN 'possible' END")
    elapsed = (f"CASE WHEN m.e_evidence = 'time_unknown' THEN NULL WHEN {exact} THEN {hours} "
               f"ELSE {days} * 24 END")
    refused = recorded("not_done_facts", event, "a.person", _arrest_window("a"))
    final = (f"CASE WHEN j.event_id IS NULL AND j.raw_status = 'breach' "
             f"THEN {searched(event, 'j.person', 'j.refused IS NOT NULL')} "
             "WHEN j.e_evidence = 'time_unknown' THEN 'possible' ELSE j.raw_status END")
    return (
        f"WITH {_arrests()}, {_first_after_arrest(event, 'matched')}, "
        f"judged AS (SELECT a.*, m.event_id, m.e_evidence, {status} AS raw_status, "
        f"{elapsed} AS hours, CASE WHEN m.event_id IS NULL THEN {refused} END AS refused "
        "FROM arrests AS a LEFT JOIN matched AS m "
        "ON m.person = a.person AND m.arrest_id = a.fact_id) "
        + _select("CASE WHEN j.event_id IS NULL THEN $missing_rule ELSE $rule END", final,
                  "j", "j.at + to_minutes(CAST($limit * 60 AS BIGINT))", "j.hours", "hours",
                  "j.hours - $limit",
                  "j.fact_id || coalesce(' ' || j.event_id, '') || coalesce(' ' || j.refused, '')",
                  "j.event_id IS NULL")
        + " FROM judged AS j WHERE j.raw_status IS NOT NULL")


def legal_aid_by_first_appearance() -> str:
    """No legal aid dated from the arrest up to its first appearance (when required).
    Legal aid or a first appearance recorded with its time unknown leaves it ``possible``;
    legal aid recorded as not done is a ``breach``."""
    dated = "p.e_evidence = 'dated' AND l.evidence = 'dated'"
    return (
        f"WITH {_arrests()}, {_first_after_arrest('first_appearance', 'appearances')}, "
        "aid AS (SELECT p.arrest_id, p.person, "
        f"bool_or({dated} AND (l.fact_date < p.e_date OR (l.fact_time IS NOT NULL "
        "AND p.e_time IS NOT NULL AND l.fact_time <= p.e_time))) AS in_time, "
        f"bool_or(NOT ({dated}) OR (l.fact_date = p.e_date AND (l.fact_time IS NULL "
        "OR p.e_time IS NULL))) AS uncertain, "
        "string_agg(l.fact_id, ' ') AS aid_ids "
        "FROM appearances AS p JOIN arrests AS a ON a.person = p.person "
        "AND a.fact_id = p.arrest_id JOIN facts AS l ON l.person = p.person "
        "AND l.kind = 'legal_aid' AND l.fact_date >= a.fact_date AND l.fact_date <= $as_of "
        "AND (a.next_date IS NULL OR l.fact_date < a.next_date) "
        "AND (p.e_evidence <> 'dated' OR l.fact_date <= p.e_date) "
        "GROUP BY p.arrest_id, p.person), "
        "judged AS (SELECT a.*, p.event_id AS fa_id, p.e_date, "
        "CASE WHEN coalesce(x.in_time, false) THEN NULL "
        "WHEN coalesce(x.uncertain, false) THEN 'possible' "
        "WHEN x.arrest_id IS NULL THEN "
        f"{searched('legal_aid', 'a.person', 'r.refused IS NOT NULL')} "
        "ELSE 'breach' END AS status, concat_ws(' ', x.aid_ids, r.refused) AS aid_ids "
        "FROM arrests AS a JOIN appearances AS p ON p.person = a.person "
        "AND p.arrest_id = a.fact_id "
        "LEFT JOIN aid AS x ON x.person = a.person AND x.arrest_id = a.fact_id "
        "CROSS JOIN LATERAL (SELECT "
        f"{recorded('not_done_facts', 'legal_aid', 'a.person', _arrest_window('a'))} "
        "AS refused) AS r WHERE $limit) "
        + _select("$rule", "j.status", "j", "j.e_date", "NULL", "event", "NULL",
                  "j.fact_id || ' ' || j.fa_id || coalesce(' ' || nullif(j.aid_ids, ''), '')",
                  "false")
        + " FROM judged AS j WHERE j.status IS NOT NULL")


def _stays(bases: str) -> str:
    """Children's stays that began by the as-of date, with e = end of the time looked at."""
    return (
        "st AS (SELECT s.*, least(coalesce(s.stay_end, CAST($as_of AS DATE)), "
        "CAST($as_of AS DATE)) AS e, (s.stay_end IS NULL OR s.stay_end > $as_of) AS open, "
        "f.facility_id, f.region, f.case_id, f.agency, f.record_id, f.fact_id, "
        "(SELECT string_agg(ss.fact_id, ' ' ORDER BY ss.fact_date, ss.fact_id) "
        "FROM stay_spells AS ss WHERE ss.stay_id = s.stay_id) AS spell_ids "
        "FROM stays AS s JOIN facts AS f ON f.fact_kind = 'spell' AND f.person = s.person "
        f"AND f.fact_id = s.first_spell WHERE {bases} AND f.is_child "
        "AND s.stay_start <= $as_of)")


PRE_SENTENCE = "s.basis = 'pre_sentence'"
DETENTION = "list_contains($bases, s.basis)"


def pretrial_length() -> str:
    """A pre-sentence stay (transfers chained: the clock does not restart) past the limit."""
    return (f"WITH {_stays(PRE_SENTENCE)} "
            + _select("$rule", "'breach'", "st", "st.stay_start + CAST($limit AS INTEGER) + 1",
                      "st.e - st.stay_start", "days", "st.e - st.stay_start - $limit",
                      "st.spell_ids", "st.open")
            + " FROM st WHERE st.e - st.stay_start > $limit")


def _in_stay(stay: str, end: str) -> str:
    """``x`` dated (by its reference date) from the stay's start to ``end``."""
    return f"x.fact_date >= {stay}.stay_start AND x.fact_date <= {end}"


def _unrecorded_status(event: str, unknown: str, refused: str, dated: str) -> str:
    """Status of a gap the dated ``event`` rows leave: ``possible`` when a time-unknown
    one could fill it, else ``breach`` when some dated one or a not-done record exists,
    else what the child's agencies record (:func:`searched`)."""
    return (f"CASE WHEN {unknown} IS NOT NULL THEN 'possible' WHEN {dated} THEN 'breach' "
            f"ELSE {searched(event, 'st.person', refused + ' IS NOT NULL')} END")


def review_gaps(event: str) -> str:
    """A pre-sentence stay with a gap longer than the limit before its first review,
    between reviews, or since its last review (to its end or the as-of date). Only dated
    reviews mark the gaps; a time-unknown review that could fall in the gap makes it
    ``possible``; a review recorded as not done makes a stay without reviews a breach."""
    gap_end = "coalesce(l.next_d, st.e)"
    unknown = recorded("facts", event, "st.person", _in_stay("st", gap_end))
    refused = recorded("not_done_facts", event, "st.person", _in_stay("st", "st.e"))
    return (
        f"WITH {_stays(PRE_SENTENCE)}, "
        "points AS (SELECT st.stay_id, st.stay_start AS d, NULL AS review_id FROM st "
        "UNION ALL SELECT st.stay_id, r.fact_date, r.fact_id FROM st JOIN facts AS r "
        f"ON r.person = st.person AND r.kind = {literal(event)} AND r.evidence = 'dated' "
        "AND r.fact_date BETWEEN st.stay_start AND st.e), "
        "gaps AS (SELECT stay_id, d, review_id, lead(d) OVER (PARTITION BY stay_id "
        "ORDER BY d, review_id NULLS FIRST) AS next_d, "
        "count(review_id) OVER (PARTITION BY stay_id) AS reviews FROM points), "
        "late AS (SELECT g.*, coalesce(g.next_d, st.e) - g.d AS gap FROM gaps AS g "
        "JOIN st USING (stay_id) WHERE coalesce(g.next_d, st.e) - g.d > $limit "
        "QUALIFY row_number() OVER (PARTITION BY g.stay_id ORDER BY g.d) = 1), "
        f"judged AS (SELECT l.*, {unknown} AS unknown_ids, {refused} AS refused_ids "
        "FROM late AS l JOIN st USING (stay_id)) "
        + _select("$rule", _unrecorded_status(event, "l.unknown_ids", "l.refused_ids",
                                              "l.reviews > 0"),
                  "st", "l.d + CAST($limit AS INTEGER) + 1", "l.gap", "days", "l.gap - $limit",
                  "concat_ws(' ', st.spell_ids, l.review_id, l.unknown_ids, l.refused_ids)",
                  "l.next_d IS NULL AND st.open")
        + " FROM judged AS l JOIN st USING (stay_id)")


def charge_window(event: str) -> str:
    """A pre-sentence stay without a charge dated from the limit before its start to the
    limit after, while the child was still detained when the limit passed. A time-unknown
    charge whose reference date lies in that window makes it ``possible``; a charge
    recorded as not done makes a stay without charges a breach."""
    window = ("x.fact_date >= j.stay_start - CAST($limit AS INTEGER) AND x.fact_date <= "
              "least(j.stay_start + CAST($limit AS INTEGER), CAST($as_of AS DATE))")
    refused = ("x.fact_date >= j.stay_start - CAST($limit AS INTEGER) "
               "AND x.fact_date <= $as_of")
    return (
        f"WITH {_stays(PRE_SENTENCE)}, "
        "charged AS (SELECT st.stay_id, min(c.fact_date) AS first_charge, "
        "arg_min(c.fact_id, c.fact_date) AS charge_id FROM st JOIN facts AS c "
        f"ON c.person = st.person AND c.kind = {literal(event)} AND c.evidence = 'dated' "
        "AND c.fact_date >= st.stay_start - CAST($limit AS INTEGER) AND c.fact_date <= $as_of "
        "GROUP BY st.stay_id), "
        "waiting AS (SELECT st.*, c.first_charge, c.charge_id, "
        "least(coalesce(c.first_charge, st.e), st.e) - st.stay_start AS waited "
        "FROM st LEFT JOIN charged AS c USING (stay_id) "
        "WHERE NOT coalesce(c.first_charge <= st.stay_start + CAST($limit AS INTEGER), false)), "
        f"judged AS (SELECT j.*, {recorded('facts', event, 'j.person', window)} AS unknown_ids, "
        f"{recorded('not_done_facts', event, 'j.person', refused)} AS refused_ids "
        "FROM waiting AS j WHERE j.waited > $limit) "
        + _select("$rule", _unrecorded_status(event, "st.unknown_ids", "st.refused_ids",
                                              "st.first_charge IS NOT NULL"),
                  "st", "st.stay_start + CAST($limit AS INTEGER) + 1",
                  "st.waited", "days", "st.waited - $limit",
                  "concat_ws(' ', st.spell_ids, st.charge_id, st.unknown_ids, st.refused_ids)",
                  "st.first_charge IS NULL AND st.open")
        + " FROM judged AS st")


def family_contact(event: str) -> str:
    """A child detained for at least the limit with no family visit in the last ``limit``
    days at some date up to the as-of date (JJ8's window). Only dated visits mark the
    runs; a time-unknown visit that could fall in the run makes it ``possible``; with no
    dated visit at all, a visit recorded as not done is a breach, and otherwise it is a
    breach only when one of the child's agencies records family visits (else
    ``no_evidence``: family visits are not recorded, as JJ8 says)."""
    run_end = "coalesce(x.next_d, st.e)"
    unknown = recorded("facts", event, "st.person", _in_stay("st", run_end))
    refused = recorded("not_done_facts", event, "st.person", _in_stay("st", "st.e"))
    return (
        f"WITH {_stays(DETENTION)}, "
        "points AS (SELECT st.stay_id, st.stay_start AS d, NULL AS visit_id FROM st "
        "UNION ALL SELECT st.stay_id, v.fact_date, v.fact_id FROM st JOIN facts AS v "
        f"ON v.person = st.person AND v.kind = {literal(event)} AND v.evidence = 'dated' "
        "AND v.fact_date BETWEEN st.stay_start AND st.e), "
        "runs AS (SELECT stay_id, d, visit_id, lead(d) OVER (PARTITION BY stay_id "
        "ORDER BY d, visit_id NULLS FIRST) AS next_d, "
        "count(visit_id) OVER (PARTITION BY stay_id) AS visits FROM points), "
        "empty AS (SELECT r.*, coalesce(r.next_d, st.e) - r.d AS gap FROM runs AS r "
        "JOIN st USING (stay_id) WHERE (r.next_d IS NOT NULL AND r.next_d - r.d > $limit) "
        "OR (r.next_d IS NULL AND st.e - r.d >= $limit) "
        "QUALIFY row_number() OVER (PARTITION BY r.stay_id ORDER BY r.d) = 1), "
        f"judged AS (SELECT x.*, {unknown} AS unknown_ids, {refused} AS refused_ids "
        "FROM empty AS x JOIN st USING (stay_id)) "
        + _select("$rule", _unrecorded_status(event, "x.unknown_ids", "x.refused_ids",
                                              "x.visits > 0"),
                  "st", "x.d + CAST($limit AS INTEGER)", "x.gap", "days",
                  "x.gap - $limit",
                  "concat_ws(' ', st.spell_ids, x.visit_id, x.unknown_ids, x.refused_ids)",
                  "x.next_d IS NULL AND st.open")
        + " FROM judged AS x JOIN st USING (stay_id)")


def held_with_adults() -> str:
    """A detention spell of a child not wholly separated from adults."""
    return (_select("$rule", "'breach'", "f", "f.fact_date",
                    "least(coalesce(f.end_date, CAST($as_of AS DATE)), CAST($as_of AS DATE)) "
                    "- f.fact_date", "days", "NULL", "f.fact_id",
                    "f.end_date IS NULL OR f.end_date > $as_of")
            + " FROM facts AS f WHERE f.fact_kind = 'spell' AND list_contains($bases, f.basis) "
            "AND f.is_child AND f.not_separated AND f.fact_date <= $as_of "
            "AND $limit = 'required'")


def death_in_custody() -> str:
    return (_select("$rule", "'breach'", "f", "f.end_date", "NULL", "event", "NULL",
                    "f.fact_id", "false")
            + " FROM facts AS f WHERE f.fact_kind = 'spell' AND f.end_reason = 'death' "
            "AND f.is_child AND f.end_date <= $as_of")


def violence_in_custody() -> str:
    return (_select("$rule", "'breach'", "f", "f.fact_date", "NULL", "event", "NULL",
                    "f.fact_id", "false")
            + " FROM facts AS f WHERE f.kind = 'violence_in_custody' AND f.is_child "
            "AND f.fact_date <= $as_of")
