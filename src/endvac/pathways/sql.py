"""SQL of the pathways, built by pure functions over the derived facts (:mod:`endvac.facts`).

- ``pathway_facts``: every dated fact with its case key — the first agency's case
  number (``origin_case_ref``) where the row, or another row of its agency's case,
  carries it, else its own ``case_id`` — and the diversion's ``authority``;
- ``pathway_stages``: per person and case, the first date of each stage of
  stages.yaml (with the attributes of the fact that marked it);
- ``first_contacts``: each person's first contact as a child and its case.

Per request (bound ``$period_start``, ``$period_end``, ``$data_end``): the cohort's
stages, flows, the durations between stages, the decisions and their follow-up.
Constants from the definitions are quoted by :func:`endvac.store.db.literal`.
"""

from __future__ import annotations

from endvac.pathways.definitions import Interval, PathwayDefinitions, Stage
from endvac.store.db import literal

CARRIED = ("measure", "authority", "is_child", "age", "sex", "region", "offence_iccs", "dob")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(literal(v) for v in values)})"


def pathway_facts_sql() -> str:
    """Every dated fact with its case key, fact key and authority."""
    return (
        "CREATE OR REPLACE TEMP TABLE pathway_facts AS "
        "SELECT f.person, f.fact_kind, f.kind, f.measure, x.authority, f.fact_date, "
        "f.end_date, f.basis, f.end_reason, f.role, f.is_child, f.age, f.dob, f.sex, f.region, "
        "f.offence_iccs, coalesce(x.origin_case_ref, CASE WHEN f.case_id IS NOT NULL THEN "
        "max(x.origin_case_ref) OVER (PARTITION BY f.agency, f.case_id) END, f.case_id) "
        "AS case_key, "
        "f.agency || '/' || f.fact_id AS fact_key FROM facts AS f LEFT JOIN ("
        "SELECT 'event' AS fact_kind, agency, event_id AS fact_id, origin_case_ref, authority "
        "FROM events UNION ALL SELECT 'spell', agency, spell_id, origin_case_ref, NULL "
        "FROM detentions) AS x "
        "ON x.fact_kind = f.fact_kind AND x.agency = f.agency AND x.fact_id = f.fact_id "
        "WHERE f.evidence = 'dated'")


def stage_condition(stage: Stage) -> str:
    """The WHERE condition of the facts that mark ``stage``."""
    if stage.events:
        cond = f"fact_kind = 'event' AND role = 'offender' AND {_in('kind', stage.events)}"
        if stage.measures:
            cond += f" AND {_in('measure', stage.measures)}"
        return cond
    cond = f"fact_kind = 'spell' AND {_in('basis', stage.spells)}"
    if stage.end_reasons:
        cond += f" AND {_in('end_reason', stage.end_reasons)}"
    return cond + (" AND end_date IS NOT NULL" if stage.on == "end" else "")


def _stage_select(stage: Stage) -> str:
    day = "end_date" if stage.on == "end" else "fact_date"
    return (f"SELECT person, coalesce(case_key, fact_key) AS case_key, {literal(stage.id)} "
            f"AS stage, {day} AS stage_date, {', '.join(CARRIED)} FROM pathway_facts "
            f"WHERE {stage_condition(stage)}")


def _first_of_stage(source: str) -> str:
    carried = ", ".join(f"arg_min({c}, stage_date) AS {c}" for c in CARRIED)
    return (f"SELECT person, case_key, stage, min(stage_date) AS stage_date, {carried} "
            f"FROM ({source}) GROUP BY person, case_key, stage")


def pathway_stages_sql(defs: PathwayDefinitions) -> str:
    """Per person, case and stage (those joined to their case) the first date."""
    union = " UNION ALL ".join(_stage_select(s) for s in defs.stages if not s.attach_after)
    return f"CREATE OR REPLACE TEMP TABLE pathway_stages AS {_first_of_stage(union)}"


def attached_stage_sql(stage: Stage) -> str:
    """INSERT the facts of ``stage`` into the case of the person's latest
    ``attach_after`` stage at most ``within_days`` before them (an ASOF join)."""
    carried = ", ".join(f"a.{c}" for c in CARRIED)
    after = literal(stage.attach_after or "")
    source = (
        f"SELECT a.person, r.case_key, {literal(stage.id)} AS stage, a.fact_date AS stage_date, "
        f"{carried} FROM (SELECT * FROM pathway_facts WHERE {stage_condition(stage)}) AS a "
        f"ASOF JOIN (SELECT person, case_key, stage_date FROM pathway_stages WHERE stage = "
        f"{after}) AS r ON r.person = a.person AND a.fact_date >= r.stage_date "
        f"WHERE a.fact_date - r.stage_date <= {int(stage.within_days)}")
    return f"INSERT INTO pathway_stages {_first_of_stage(source)}"


def case_offences_sql() -> str:
    """Each case's offence: the first ICCS code any of its facts gives."""
    return ("CREATE OR REPLACE TEMP TABLE case_offences AS SELECT person, "
            "coalesce(case_key, fact_key) AS case_key, "
            "arg_min(offence_iccs, fact_date) AS offence_iccs FROM pathway_facts "
            "WHERE offence_iccs IS NOT NULL GROUP BY ALL")


def first_contacts_sql(defs: PathwayDefinitions) -> str:
    """Each person's first contact as a child: its date and case."""
    return ("CREATE OR REPLACE TEMP TABLE first_contacts AS SELECT person, "
            "min(stage_date) AS first_date, arg_min(case_key, stage_date) AS case_key "
            f"FROM pathway_stages WHERE stage = {literal(defs.recontact)} AND is_child "
            "GROUP BY person")


def ordinal_sql(defs: PathwayDefinitions, column: str = "stage") -> str:
    """The position of a stage in stages.yaml (ties of date are broken by it)."""
    whens = " ".join(f"WHEN {literal(s.id)} THEN {n}" for n, s in enumerate(defs.stages))
    return f"CASE {column} {whens} END"


def cohort_stages_sql(defs: PathwayDefinitions) -> str:
    """The flow stages of the case of each child whose first contact falls in the period."""
    flow = tuple(s.id for s in defs.flow_stages)
    return (
        "CREATE OR REPLACE TEMP TABLE cohort_stages AS SELECT s.*, "
        f"{ordinal_sql(defs, 's.stage')} AS ordinal FROM pathway_stages AS s "
        "JOIN first_contacts AS c ON c.person = s.person AND c.case_key = s.case_key "
        "WHERE c.first_date BETWEEN $period_start AND $period_end "
        f"AND {_in('s.stage', flow)}")


def cohort_size_sql() -> str:
    return ("SELECT count(*) FROM first_contacts "
            "WHERE first_date BETWEEN $period_start AND $period_end")


def flows_sql() -> str:
    """Children moving from each stage to the next one reached ('end': none yet)."""
    return (
        "WITH seq AS (SELECT stage, ordinal, lead(stage) OVER (PARTITION BY person "
        "ORDER BY stage_date, ordinal) AS next_stage FROM cohort_stages) "
        "SELECT stage, coalesce(next_stage, 'end') AS next_stage, count(*) AS children "
        "FROM seq GROUP BY ALL ORDER BY min(ordinal), children DESC, next_stage")


def reached_sql() -> str:
    """Children of the cohort reaching each stage."""
    return ("SELECT stage, count(*) AS children FROM cohort_stages "
            "GROUP BY stage ORDER BY min(ordinal)")


def detail_sql(stage: Stage) -> str:
    """Children reaching ``stage`` by its detail columns (authority, measure)."""
    cols = ", ".join(stage.detail)
    return (f"SELECT {cols}, count(*) AS children FROM cohort_stages "
            f"WHERE stage = {literal(stage.id)} GROUP BY ALL ORDER BY children DESC, {cols}")


def interval_sql(interval: Interval) -> str:
    """Per cohort child reaching ``from``: its region, the days to the first later ``to``
    (or to the end of the data) and whether ``to`` was reached."""
    return (
        f"SELECT {literal(interval.id)} AS interval, s.region, "
        "coalesce(min(t.stage_date), $data_end) - s.stage_date AS days, "
        "min(t.stage_date) IS NOT NULL AS reached FROM cohort_stages AS s "
        "LEFT JOIN pathway_stages AS t ON t.person = s.person AND t.case_key = s.case_key "
        f"AND {_in('t.stage', interval.to)} AND t.stage_date >= s.stage_date "
        f"WHERE s.stage = {literal(interval.from_)} AND s.stage_date <= $data_end "
        "GROUP BY s.person, s.region, s.stage_date")


def _group_select(defs: PathwayDefinitions, group_id: str) -> str:
    group = next(g for g in defs.groups if g.id == group_id)
    cols = ", ".join(f"d.{c}" for c in ("person", "case_key", *CARRIED))
    if group.after is None:
        return (f"SELECT {literal(group.id)} AS grp, {cols}, d.stage_date AS clock "
                f"FROM pathway_stages AS d WHERE d.stage = {literal(group.clock)}")
    return (f"SELECT {literal(group.id)} AS grp, {cols}, c.stage_date AS clock "
            f"FROM (SELECT * FROM pathway_stages WHERE stage = {literal(group.after)}) AS d "
            f"ASOF JOIN (SELECT person, stage_date FROM pathway_stages WHERE stage = "
            f"{literal(group.clock)}) AS c ON c.person = d.person "
            "AND c.stage_date >= d.stage_date")


def decisions_sql(defs: PathwayDefinitions) -> str:
    """Per group, each child's first clock start in the period (a child when decided)."""
    union = " UNION ALL ".join(_group_select(defs, g.id) for g in defs.groups)
    return (
        f"CREATE OR REPLACE TEMP TABLE decisions AS SELECT * FROM ({union}) "
        "WHERE is_child AND clock BETWEEN $period_start AND $period_end "
        "QUALIFY row_number() OVER (PARTITION BY grp, person ORDER BY clock, case_key) = 1")


def follow_up_sql(defs: PathwayDefinitions, follow_adults: bool) -> str:
    """Per decision: the covariates, days followed, whether a re-contact (a later
    ``recontact`` stage of another case) ended them, and whether the child was at risk
    at all (followed past the clock start). Follow-up ends at the end of the data and,
    unless ``follow_adults``, at the 18th birthday (no date of birth: not at 18)."""
    adult = ("CAST(NULL AS DATE)" if follow_adults
             else "CAST(d.dob + INTERVAL 18 YEAR AS DATE)")
    return (
        "WITH contacts AS (SELECT d.grp, d.person, "
        "min(c.stage_date) FILTER (WHERE c.stage_date > d.clock) AS recontact, "
        "count(c.stage_date) FILTER (WHERE c.stage_date < d.clock) AS prior_contacts "
        "FROM decisions AS d LEFT JOIN pathway_stages AS c ON c.person = d.person "
        f"AND c.stage = {literal(defs.recontact)} AND c.case_key <> d.case_key "
        "GROUP BY d.grp, d.person), "
        "ends AS (SELECT d.* REPLACE (coalesce(d.offence_iccs, o.offence_iccs) AS offence_iccs), "
        f"least($data_end, coalesce({adult}, $data_end)) AS follow_end, "
        "n.recontact, n.prior_contacts FROM decisions AS d JOIN contacts AS n "
        "ON n.grp = d.grp AND n.person = d.person LEFT JOIN case_offences AS o "
        "ON o.person = d.person AND o.case_key = d.case_key) "
        "SELECT grp, age, sex, region, substr(offence_iccs, 1, 2) AS offence_section, "
        "prior_contacts, least(coalesce(recontact, follow_end), follow_end) - clock AS days, "
        "coalesce(recontact <= follow_end, false) AS recontacted, follow_end > clock AS at_risk "
        "FROM ends ORDER BY grp, clock, person")
