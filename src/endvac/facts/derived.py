"""Derived facts, computed at query time from the current fact views.

One place builds what every indicator and safeguard rule reads
(spec/indicators.md, "Shared rules"):

- ``person_records``: each agency record with its date of birth resolved
  (``YYYY`` → 1 July, ``YYYY-MM`` → the 15th) and its person key;
- ``case_starts``: the earliest procedural date of each (agency, case_id);
- ``facts``: every event and detention spell with its person, reference date,
  age on the reference date, the child test and the record's attributes; an
  event's ``evidence`` says how it is attested (``dated``, or ``time_unknown``:
  it happened on or after ``fact_date``, when is not recorded, so it has no
  time and no day arithmetic may place it at ``fact_date``);
- ``not_done_facts``: the events an agency records as NOT done (``evidence`` =
  ``not_done``), in the same columns — evidence of a breach for the safeguards,
  never a thing that happened, so they are left out of ``facts``;
- ``stays``: chains of a person's spells on one basis (:mod:`endvac.facts.stays`);
- ``person_agencies``, ``agency_types``, ``recorded_fields``: who holds records of
  whom, what each agency records, which optional fields any event carries.
- ``victim_cases``: each victim report with how far its case went
  (:mod:`endvac.facts.victims`).

The statements are built here and run by :func:`materialise` into temporary
tables of one connection, so a whole command scans the store once: the current
rows of events, detentions and child records are read once each (only the
columns used, :func:`endvac.facts.views.current_columns_sql`), the spells are
derived first (stays are chained from them) and the facts in one pass;
:func:`materialise` returns a :class:`Facts` handle that names those tables, the
person map they were derived with and the day they are read as of. The indicators,
safeguards, release and publish take the handle, never a bare connection.
Bound parameters: ``$period_start``, ``$period_end``, ``$census``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pyarrow as pa

from endvac.facts.stays import link_stays
from endvac.facts.victims import victim_cases_sql
from endvac.facts.views import current_columns_sql
from endvac.interchange.spec import VICTIM_DEFAULT_EVENTS, file_spec
from endvac.store import db

PROCEDURAL = ("arrest", "charge", "first_appearance", "diversion", "verdict", "sentence")
VICTIM_DEFAULT = VICTIM_DEFAULT_EVENTS
# An event row's evidence (interchange extension of format version 1); empty = dated.
EVIDENCE = "coalesce(evidence, 'dated')"

# A linkage run (or, in tests, the synthetic country's true persons) provides the
# table ``person_map`` (agency, record_id, person); without it each (agency,
# record_id) is a person.
NO_LINKS = ("CREATE OR REPLACE TEMP TABLE person_map AS SELECT CAST(NULL AS VARCHAR) AS agency, "
            "CAST(NULL AS VARCHAR) AS record_id, CAST(NULL AS VARCHAR) AS person WHERE false")


def _forward_years(start: str, end: str) -> str:
    return (f"(year({end}) - year({start}) - CASE WHEN month({end}) * 100 + day({end}) "
            f"< month({start}) * 100 + day({start}) THEN 1 ELSE 0 END)")


def whole_years(start: str, end: str) -> str:
    """Whole years from date ``start`` to date ``end``, counted by anniversaries; when
    ``end`` is earlier, minus the whole years from ``end`` to ``start`` (towards zero)."""
    return (f"(CASE WHEN {end} >= {start} THEN {_forward_years(start, end)} "
            f"ELSE -{_forward_years(end, start)} END)")


def _dob(text: str) -> str:
    return (f"CASE WHEN length({text}) = 4 THEN make_date(CAST({text} AS INTEGER), 7, 1) "
            f"WHEN length({text}) = 7 THEN make_date(CAST(substr({text}, 1, 4) AS INTEGER), "
            f"CAST(substr({text}, 6, 2) AS INTEGER), 15) "
            f"WHEN length({text}) = 10 THEN CAST({text} AS DATE) END")


# The columns of the current rows the facts read (each current table is read once).
EVENT_COLUMNS = ("event_id", "agency", "record_id", "case_id", "event_type", "date",
                 "date_time", "offence_date", "age_years", "role", "offence_iccs", "cyber",
                 "measure", "facility_id", "evidence")
SPELL_COLUMNS = ("spell_id", "agency", "record_id", "case_id", "facility_id", "basis", "start",
                 "start_time", "end", "end_time", "end_reason", "held_with_adults",
                 "offence_iccs", "age_years")
CHILD_COLUMNS = ("agency", "record_id", "date_of_birth", "sex", "region", "disability",
                 "nationality", "group")


def current_table_sql(table: str, file: str, columns: tuple[str, ...]) -> str:
    """A temp table of ``columns`` of the current rows of ``file`` (and ``_delivery``)."""
    return (f"CREATE OR REPLACE TEMP TABLE {db.ident(table)} AS "
            f"{current_columns_sql(file_spec(file), columns)}")


def person_records_sql() -> str:
    """Each agency record with its person and the person's resolved date of birth and sex:
    the most frequent full date of birth among the person's records (ties: the most recent
    delivery), else the most frequent partial one; the most frequent known sex likewise.
    A person of one record keeps that record's own values."""
    return (
        "CREATE OR REPLACE TEMP TABLE person_records AS "
        "WITH recs AS MATERIALIZED (SELECT r.*, coalesce(m.person, r.agency || '/' || "
        "r.record_id) AS person FROM child_rows AS r LEFT JOIN person_map AS m "
        "ON m.agency = r.agency AND m.record_id = r.record_id), "
        "dobs AS (SELECT person, date_of_birth, length(date_of_birth) = 10 AS full_date, "
        "count(*) AS n, max(_delivery) AS latest FROM recs "
        "WHERE date_of_birth IS NOT NULL GROUP BY ALL), "
        "best_dob AS (SELECT person, arg_max(date_of_birth, (full_date, n, latest)) AS dob_text "
        "FROM dobs GROUP BY person), "
        "sexes AS (SELECT person, sex, count(*) AS n, max(_delivery) AS latest FROM recs "
        "WHERE sex IN ('f', 'm', 'x') GROUP BY ALL), "
        "best_sex AS (SELECT person, arg_max(sex, (n, latest)) AS sex FROM sexes "
        "GROUP BY person) "
        f"SELECT r.agency, r.record_id, r.person, {_dob('b.dob_text')} AS dob, "
        "coalesce(s.sex, r.sex) AS sex, r.region, r.disability, r.nationality, r.\"group\", "
        "(SELECT count(*) FROM person_map) > 0 AS linked "
        "FROM recs AS r LEFT JOIN best_dob AS b USING (person) "
        "LEFT JOIN best_sex AS s USING (person)")


def unlinked_records_sql() -> str:
    """:func:`person_records_sql` when no record is linked: each record is a person of
    one record, which keeps its own date of birth and sex (no grouping needed)."""
    return (
        "CREATE OR REPLACE TEMP TABLE person_records AS "
        "SELECT r.agency, r.record_id, r.agency || '/' || r.record_id AS person, "
        f"{_dob('r.date_of_birth')} AS dob, r.sex, r.region, r.disability, r.nationality, "
        "r.\"group\", false AS linked FROM child_rows AS r")


def case_starts_sql() -> str:
    procedural = ", ".join(db.literal(t) for t in PROCEDURAL)
    return ("CREATE OR REPLACE TEMP TABLE case_starts AS "
            "SELECT agency, case_id, min(d) AS case_start FROM ("
            f"SELECT agency, case_id, date AS d FROM event_rows WHERE event_type IN "
            f"({procedural}) AND {EVIDENCE} = 'dated' AND case_id IS NOT NULL "
            "UNION ALL SELECT agency, case_id, start FROM spell_rows "
            "WHERE case_id IS NOT NULL) GROUP BY agency, case_id")


def _raw_events(where: str) -> str:
    victims = ", ".join(db.literal(t) for t in VICTIM_DEFAULT)
    return ("SELECT 'event' AS fact_kind, event_id AS fact_id, agency, record_id, case_id, "
            "event_type AS kind, date AS fact_date, CAST(NULL AS DATE) AS end_date, "
            f"CASE WHEN {EVIDENCE} = 'dated' THEN date_time END AS fact_time, "
            "CAST(NULL AS TIMESTAMP) AS end_time, "
            "offence_date, age_years, coalesce(role, CASE WHEN event_type IN "
            f"({victims}) THEN 'victim' ELSE 'offender' END) AS role, offence_iccs, cyber, "
            "measure, facility_id, CAST(NULL AS VARCHAR) AS basis, "
            "CAST(NULL AS VARCHAR) AS end_reason, CAST(NULL AS BOOLEAN) AS held_with_adults, "
            f"{EVIDENCE} AS evidence FROM event_rows WHERE {where}")


def _raw_spells() -> str:
    return ("SELECT 'spell' AS fact_kind, spell_id AS fact_id, agency, record_id, case_id, "
            "'spell' AS kind, start AS fact_date, \"end\" AS end_date, start_time AS fact_time, "
            "end_time, CAST(NULL AS DATE) AS offence_date, age_years, 'offender' AS role, "
            "offence_iccs, CAST(NULL AS BOOLEAN) AS cyber, CAST(NULL AS VARCHAR) AS measure, "
            "facility_id, basis, end_reason, held_with_adults, 'dated' AS evidence "
            "FROM spell_rows")


def fact_rows_sql(raw: str) -> str:
    """The facts of ``raw`` (rows of :func:`_raw_events` or :func:`_raw_spells`) with
    their person, reference date, age on it and the child test."""
    ref = "coalesce(f.offence_date, cs.case_start, f.fact_date)"
    age = (f"CASE WHEN p.dob IS NOT NULL THEN {whole_years('p.dob', 'ref_date')} "
           f"WHEN f.age_years IS NOT NULL THEN f.age_years - "
           f"{whole_years('ref_date', 'f.fact_date')} END")
    return (
        "WITH dated AS (SELECT f.*, " + ref + " AS ref_date FROM (" + raw + ") AS f "
        "LEFT JOIN case_starts AS cs ON cs.agency = f.agency AND cs.case_id = f.case_id), "
        "aged AS (SELECT f.*, p.person, p.dob, " + age + " AS age, "
        "p.sex, p.region, p.disability, p.nationality, p.\"group\", p.linked "
        "FROM dated AS f JOIN person_records AS p "
        "ON p.agency = f.agency AND p.record_id = f.record_id) "
        "SELECT *, age IS NULL OR age < 18 AS is_child FROM aged")


def spell_facts_sql() -> str:
    """Every detention spell as a fact (what stays are chained from)."""
    return f"CREATE OR REPLACE TEMP TABLE spell_facts AS {fact_rows_sql(_raw_spells())}"


def stays_sql() -> str:
    """Each spell with the stay that :func:`endvac.facts.stays.link_stays` gave it."""
    return ("CREATE OR REPLACE TEMP TABLE stay_spells AS SELECT f.*, m.stay_id "
            "FROM spell_facts AS f JOIN stay_members AS m "
            "ON m.agency = f.agency AND m.fact_id = f.fact_id")


def stays_table_sql() -> str:
    return (
        "CREATE OR REPLACE TEMP TABLE stays AS "
        "SELECT stay_id, person, basis, min(fact_date) AS stay_start, "
        "CASE WHEN count(*) = count(end_date) THEN max(end_date) END AS stay_end, "
        "sum(end_date - fact_date) AS duration_days, count(*) AS spells, "
        "arg_min(fact_id, (fact_date, fact_id)) AS first_spell, "
        "arg_max(end_reason, (end_date, fact_date, fact_id)) AS end_reason "
        "FROM stay_spells GROUP BY stay_id, person, basis")


def not_done_sql() -> str:
    """The events recorded as not done, apart from the facts (they did not happen)."""
    return ("CREATE OR REPLACE TEMP TABLE not_done_facts AS "
            + fact_rows_sql(_raw_events(f"{EVIDENCE} = 'not_done'")))


def facts_with_stays_sql() -> str:
    """The facts that happened: every event not recorded as not done (no stay), and each
    spell with its stay, stay start and separation from adults."""
    return (
        "CREATE OR REPLACE TEMP TABLE facts AS "
        "SELECT *, CAST(NULL AS VARCHAR) AS stay_id, CAST(NULL AS DATE) AS stay_start, "
        "CAST(NULL AS BOOLEAN) AS not_separated FROM ("
        + fact_rows_sql(_raw_events(f"{EVIDENCE} <> 'not_done'")) + ") "
        "UNION ALL SELECT f.*, m.stay_id, st.stay_start, "
        "coalesce(f.held_with_adults, NOT fa.children_wholly_separated) AS not_separated "
        "FROM spell_facts AS f "
        "LEFT JOIN stay_members AS m ON m.agency = f.agency AND m.fact_id = f.fact_id "
        "LEFT JOIN stays AS st ON st.stay_id = m.stay_id "
        "LEFT JOIN facilities AS fa ON fa.facility_id = f.facility_id")


def agency_event_types_sql(events: str = "events") -> str:
    """Event types each agency records: listed by its manifests or carried by its rows
    of ``events`` (a manifest without an agency gives the agency NULL). The spec's
    coverage rule."""
    return ("SELECT DISTINCT agency, event_type FROM (SELECT agency, "
            "unnest(string_split(event_types, ' ')) AS event_type FROM deliveries "
            "WHERE event_types IS NOT NULL UNION ALL SELECT DISTINCT agency, event_type "
            f"FROM {db.ident(events)}) WHERE event_type <> ''")


def recorded_fields_sql() -> str:
    """Whether any current event carries each optional field an indicator needs."""
    return ("CREATE OR REPLACE TEMP TABLE recorded_fields AS "
            "SELECT 'cyber' AS field, count(cyber) > 0 AS recorded FROM event_rows")


TABLES = ("person_map", "person_records", "case_starts", "spell_facts", "stay_members",
          "stay_spells", "stays", "not_done_facts", "facts", "person_agencies", "agency_types",
          "recorded_fields", "victim_cases")


@dataclass(frozen=True)
class Facts:
    """The derived facts of one command: temporary tables (``tables``) of ``con``.

    ``person_map`` is the linkage's (agency, record_id, person) table they were derived
    with (None: each agency record is a person); ``today`` is the day the records are
    read as of, given by the edge (CLI, publish) — a figure whose records may still be
    made after it is provisional; ``span`` is the first and last date of any fact (None
    when there is none): the period the facts cover."""

    con: duckdb.DuckDBPyConnection
    today: date
    person_map: pa.Table | None = None
    span: tuple[date, date] | None = None
    tables: tuple[str, ...] = TABLES

    @property
    def linked(self) -> bool:
        """Whether a linkage's person map (with at least one row) joined the records."""
        return self.person_map is not None and self.person_map.num_rows > 0


def person_agencies_sql() -> str:
    """The agencies that hold records of each person."""
    return ("CREATE OR REPLACE TEMP TABLE person_agencies AS "
            "SELECT DISTINCT person, agency FROM person_records")


def agency_types_sql() -> str:
    """Event types each agency records (a NULL agency never matches a person's agency)."""
    return ("CREATE OR REPLACE TEMP TABLE agency_types AS "
            f"{agency_event_types_sql('event_rows')}")


def span_sql() -> str:
    return ("SELECT min(fact_date), max(greatest(fact_date, coalesce(end_date, fact_date))) "
            "FROM facts")


def materialise(con: duckdb.DuckDBPyConnection, person_map: pa.Table | None = None, *,
                today: date) -> Facts:
    """Derive the facts as temporary tables of ``con`` and return their handle;
    ``person_map`` (agency, record_id, person) links records into persons; ``today``
    is the day the records are read as of."""
    linked = person_map is not None and person_map.num_rows > 0
    if person_map is None:
        db.run(con, "no linkage", NO_LINKS)
    else:
        con.register("person_map_input", person_map)
        db.run(con, "read linkage", "CREATE OR REPLACE TEMP TABLE person_map AS "
               "SELECT agency, record_id, person FROM person_map_input")
        con.unregister("person_map_input")
    steps = (("read current events", current_table_sql("event_rows", "events", EVENT_COLUMNS)),
             ("read current detentions",
              current_table_sql("spell_rows", "detentions", SPELL_COLUMNS)),
             ("read current child records",
              current_table_sql("child_rows", "children", CHILD_COLUMNS)),
             ("resolve dates of birth",
              person_records_sql() if linked else unlinked_records_sql()),
             ("find case start dates", case_starts_sql()),
             ("derive detention spells", spell_facts_sql()))
    for step, sql in steps:
        db.run(con, step, sql)
    link_stays(con)
    for step, sql in (("chain spells into stays", stays_sql()),
                      ("summarise stays", stays_table_sql()),
                      ("set aside events recorded as not done", not_done_sql()),
                      ("derive facts", facts_with_stays_sql()),
                      ("list each person's agencies", person_agencies_sql()),
                      ("list what each agency records", agency_types_sql()),
                      ("list the fields recorded", recorded_fields_sql()),
                      ("gather the victims' cases", victim_cases_sql()),
                      ("drop the current rows", "DROP TABLE event_rows; DROP TABLE spell_rows; "
                                                "DROP TABLE child_rows")):
        db.run(con, step, sql)
    first, last = db.rows(con, "find the span of the facts", span_sql())[0]
    return Facts(con, today, person_map, None if first is None else (first, last))
