"""SQL that types and checks staged cells, built by small pure functions.

Every builder returns text; nothing here runs SQL.  Code lists are constants
from the definitions (``interchange.spec``); values from files are never
written into SQL.  Mapping date formats arrive as the bound parameters
``$date_formats``, ``$short_date_formats`` (two-digit years), ``$time_formats`` and
``$short_time_formats``; ``$ref`` is the delivery's extraction date (or today): a
two-digit year is read as the latest year not after it, and no date is before 1900.
"""

from __future__ import annotations

from endvac.ingest.messages import SHOWN_KINDS
from endvac.interchange.spec import (
    AGENCIES,
    MEASURES,
    Column,
    FileSpec,
    Kind,
)
from endvac.store.db import ident, literal, literal_list

ISO_TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
                    "%Y-%m-%d %H:%M:%S"]
FIRST_YEAR = 1900  # a date before this year is never accepted (a two-digit year read as %Y)
# Optional dates whose invalid value leaves the cell empty with a warning instead of
# quarantining the row (and, by cascade, the child's events).
SOFT_DATES = (("children", "date_of_birth"), ("events", "offence_date"))
# Dates that may not lie after the delivery's extraction date (or today): future_date.
NOT_FUTURE = (("events", "date"), ("events", "offence_date"), ("detentions", "start"),
              ("detentions", "end"))
Formats = frozenset[str]  # which of the format parameters a delivery binds


def split_formats(formats: list[str]) -> dict[str, list[str]]:
    """A mapping's date formats as the bound parameters, empty lists left out."""
    groups = {"date_formats": [f for f in formats if "%H" not in f and "%y" not in f],
              "short_date_formats": [f for f in formats if "%H" not in f and "%y" in f],
              "time_formats": [f for f in formats if "%H" in f and "%y" not in f],
              "short_time_formats": [f for f in formats if "%H" in f and "%y" in f]}
    return {k: v for k, v in groups.items() if v}
_SECTION = "(0[1-9]|1[01])"

# Which rule a cell breaks when it is present but does not type.
KIND_RULE = {
    Kind.CODE: "bad_code", Kind.AGENCY: "bad_code", Kind.FLAG: "bad_code",
    Kind.NATIONALITY: "bad_code", Kind.DATE: "bad_date", Kind.DATE_OR_TIME: "bad_date",
    Kind.PARTIAL_DATE: "bad_date", Kind.COUNT: "bad_number", Kind.ICCS: "bad_iccs",
}


def raw(name: str) -> str:
    """The staged text cell of column ``name``."""
    return ident(name)


def _since(expr: str) -> str:
    return f"CASE WHEN year({expr}) >= {FIRST_YEAR} THEN {expr} END"


def _pivot(expr: str) -> str:
    """A two-digit year moved into the hundred years that end at ``$ref``."""
    return (f"CASE WHEN CAST({expr} AS DATE) > $ref THEN {expr} - INTERVAL 100 YEAR "
            f"WHEN CAST({expr} AS DATE) <= $ref - INTERVAL 100 YEAR "
            f"THEN {expr} + INTERVAL 100 YEAR ELSE {expr} END")


def iso_date(cell: str, formats: Formats) -> str:
    """A DATE from YYYY-MM-DD (or a mapping's date formats), NULL when it does not parse
    or lies before 1900."""
    iso = _since(rf"CASE WHEN regexp_full_match({cell}, '\d{{4}}-\d{{2}}-\d{{2}}') "
                 f"THEN try_cast({cell} AS DATE) END")
    parts = [iso]
    if "date_formats" in formats:
        parts.append(_since(f"CAST(try_strptime({cell}, $date_formats) AS DATE)"))
    if "short_date_formats" in formats:
        parts.append(_since(_pivot(f"CAST(try_strptime({cell}, $short_date_formats) AS DATE)")))
    return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"


def timestamp(cell: str, formats: Formats) -> str:
    """A TIMESTAMP when the cell carries a time of day, else NULL."""
    parts = [_since(f"try_strptime({cell}, {literal_list(ISO_TIME_FORMATS)})")]
    if "time_formats" in formats:
        parts.append(_since(f"try_strptime({cell}, $time_formats)"))
    if "short_time_formats" in formats:
        parts.append(_since(_pivot(f"try_strptime({cell}, $short_time_formats)")))
    return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"


def in_list(cell: str, codes: tuple[str, ...]) -> str:
    return f"CASE WHEN lower({cell}) IN ({literal_list(codes)[1:-1]}) THEN lower({cell}) END"


def iccs(cell: str) -> str:
    """An ICCS code in form, with a leading zero lost in a spreadsheet restored."""
    well_formed = literal(_SECTION + r"(\d{2}|\d{3}|\d{4})?")
    short = literal(_SECTION + r"(\d{2})?")
    return (f"CASE WHEN regexp_full_match({cell}, {well_formed}) THEN {cell} "
            rf"WHEN regexp_full_match({cell}, '\d|\d{{3}}') AND regexp_full_match('0' || "
            f"{cell}, {short}) THEN '0' || {cell} "
            rf"WHEN regexp_full_match({cell}, '\d{{5}}') AND regexp_full_match('0' || "
            rf"{cell}, '0[1-9]\d{{4}}') THEN '0' || {cell} END")


def partial_date(cell: str, formats: Formats) -> str:
    """YYYY, YYYY-MM or a full date, kept as text; NULL when impossible, before 1900 or
    after ``$ref`` (a date of birth is never in the future)."""
    full = iso_date(cell, formats)
    value = (rf"CASE WHEN regexp_full_match({cell}, '\d{{4}}(-(0[1-9]|1[0-2]))?') "
             f"AND {cell} >= {literal(str(FIRST_YEAR))} THEN {cell} "
             f"ELSE strftime({full}, '%Y-%m-%d') END")
    return f"CASE WHEN ({value}) <= strftime($ref, '%Y-%m-%d') THEN ({value}) END"


def typed(col: Column, formats: Formats) -> list[tuple[str, str]]:
    """(stored column, SQL expression) pairs that type one staged column."""
    cell = raw(col.name)
    kind = col.kind
    if kind is Kind.DATE_OR_TIME:
        stamp = timestamp(cell, formats)
        return [(col.name, f"coalesce({iso_date(cell, formats)}, CAST({stamp} AS DATE))"),
                (f"{col.name}_time", stamp)]
    expr = {
        Kind.DATE: lambda: iso_date(cell, formats),
        Kind.PARTIAL_DATE: lambda: partial_date(cell, formats),
        Kind.COUNT: lambda: rf"CASE WHEN regexp_full_match({cell}, '\d{{1,15}}') "
                            f"THEN CAST({cell} AS BIGINT) END",
        Kind.FLAG: lambda: f"CASE lower({cell}) WHEN 'y' THEN true WHEN 'n' THEN false END",
        Kind.CODE: lambda: in_list(cell, col.codes),
        Kind.AGENCY: lambda: f"CASE WHEN lower({cell}) IN ({literal_list(AGENCIES)[1:-1]}) "
                             f"OR regexp_full_match(lower({cell}), 'other:[a-z0-9_.-]+') "
                             f"THEN lower({cell}) END",
        Kind.NATIONALITY: lambda: f"CASE WHEN regexp_full_match({cell}, '[A-Za-z]{{3}}') "
                                  f"THEN upper({cell}) END",
        Kind.ICCS: lambda: iccs(cell),
    }.get(kind, lambda: cell)()
    return [(col.name, expr)]


def typed_select(spec: FileSpec, formats: Formats, relation: str) -> str:
    """SELECT every staged cell as text (``raw$name``) and typed (stored names)."""
    parts = ["_row", "_hash"]
    for col in spec.columns:
        if col.name in spec.protected:
            continue
        parts.append(f"{raw(col.name)} AS {ident('raw$' + col.name)}")
        parts += [f"{expr} AS {ident(name)}" for name, expr in typed(col, formats)]
    return f"SELECT {', '.join(parts)} FROM {relation}"


def _finding(column: str | None, rule: str, condition: str, relation: str,
             value: str | None = None) -> str:
    """A findings query: (row, column, rule, the cell shown or NULL)."""
    col = "NULL" if column is None else literal(column)
    shown = "CAST(NULL AS VARCHAR)" if value is None else value
    return (f"SELECT _row, {col} AS col, {literal(rule)} AS rule, {shown} AS value "
            f"FROM {relation} WHERE {condition}")


def _shown(col: Column) -> str | None:
    """The raw cell of ``col`` when a finding may show it (never an id or free text)."""
    return ident("raw$" + col.name) if col.kind in SHOWN_KINDS else None


def cell_checks(spec: FileSpec, present: list[str], relation: str) -> list[str]:
    """Findings queries (row, column, rule) of each column present, on typed cells."""
    out: list[str] = []
    for col in spec.columns:
        if col.name in spec.protected or col.name not in present:
            continue
        cell = ident("raw$" + col.name)
        if col.required:
            out.append(_finding(col.name, "required_value", f"{cell} IS NULL", relation))
        rule = KIND_RULE.get(col.kind)
        if (spec.name, col.name) in SOFT_DATES:
            rule = "optional_date_dropped"
        if rule:
            out.append(_finding(col.name, rule,
                                f"{cell} IS NOT NULL AND {ident(col.name)} IS NULL", relation,
                                _shown(col)))
    return out + unsafe_ids(spec, present, relation)


# A code-like id: a letter or digit first (never = + - @ or a control character, which a
# spreadsheet would run as a formula), then letters, digits and a few separators; also
# … and U+FFFD, the marks read.py leaves in a cut or undecodable cell (value_too_long and
# bad_encoding report those).
SAFE_ID = r"[\pL\pN][\pL\pN\pM _.,:;/#()&+\x{2026}\x{FFFD}-]*"


def unsafe_ids(spec: FileSpec, present: list[str], relation: str) -> list[str]:
    """Findings queries (rule ``unsafe_id``) for ids and open codes that are not plain
    codes, such as a facility_id ``=cmd|'/C calc'!A0``."""
    return [_finding(col.name, "unsafe_id",
                     f"{ident('raw$' + col.name)} IS NOT NULL AND NOT regexp_full_match("
                     f"{ident('raw$' + col.name)}, {literal(SAFE_ID)})", relation)
            for col in spec.columns
            if col.kind in (Kind.ID, Kind.OPEN_CODE) and col.name in present
            and col.name not in spec.protected]


def row_checks(spec: FileSpec, present: list[str], relation: str) -> list[str]:
    """Findings queries that look at several cells of one row (or at ``$ref``)."""
    out = [_finding(c, "future_date", f"{ident(c)} > $ref", relation, _shown(spec.column(c)))
           for f, c in NOT_FUTURE if f == spec.name and c in present]
    if spec.name == "events" and "measure" in present:
        fits = " OR ".join(f"(event_type = {literal(t)} AND measure IN ({literal_list(ms)[1:-1]}))"
                           for t, ms in MEASURES.items())
        out.append(_finding("measure", "bad_code",
                            f"measure IS NOT NULL AND event_type IS NOT NULL AND NOT ({fits})",
                            relation, ident("raw$measure")))
    if spec.name == "detentions":
        out.append(_finding(
            "end", "end_before_start",
            '"end" < start OR (end_time IS NOT NULL AND start_time IS NOT NULL '
            "AND end_time < start_time)", relation))
    if spec.name == "population":
        single = "age IS NOT NULL AND age_from IS NULL AND age_to IS NULL"
        band = "age IS NULL AND age_from IS NOT NULL AND age_to IS NOT NULL AND age_from <= age_to"
        typed_ok = " AND ".join(f'("raw${c}" IS NULL OR {c} IS NOT NULL)'
                                for c in ("age", "age_from", "age_to"))
        out.append(_finding("age", "age_or_band", f"NOT (({single}) OR ({band})) AND {typed_ok}",
                            relation))
    return out


def key_expr(spec: FileSpec) -> str:
    return ", ".join(ident(k) for k in spec.key)


def duplicate_copies(relation: str) -> str:
    """Rows identical to an earlier row of the same file (they load once)."""
    return (f"SELECT _row FROM {relation} "
            "QUALIFY row_number() OVER (PARTITION BY _hash ORDER BY _row) > 1")


def duplicate_keys(spec: FileSpec, relation: str) -> str:
    """Rows whose key is shared by a different row of the same file."""
    key = key_expr(spec)
    required = " AND ".join(f"{ident(k)} IS NOT NULL" for k in spec.key
                            if spec.column(k).required) or "true"
    return (f"SELECT _row, NULL AS col, 'duplicate_key' AS rule, NULL AS value FROM {relation} "
            f"WHERE {required} QUALIFY count(DISTINCT _hash) OVER (PARTITION BY {key}) > 1")


def reference_checks(spec: FileSpec, present: list[str], relation: str,
                     children: str = "children") -> list[str]:
    """Rows that refer to a child record or facility that does not exist; ``children`` is
    the relation of current child records (possibly narrowed to the staged ones). A
    facility id is checked only once a facility register is loaded."""
    out: list[str] = []
    if spec.name in ("events", "detentions"):
        out.append(_finding("record_id", "unknown_record",
                            "record_id IS NOT NULL AND agency IS NOT NULL AND NOT EXISTS ("
                            f"SELECT 1 FROM {children} AS c WHERE c.agency = s.agency "
                            "AND c.record_id = s.record_id)", f"{relation} AS s"))
    if spec.name in ("events", "detentions", "inspections") and "facility_id" in present:
        out.append(_finding("facility_id", "unknown_facility",
                            "facility_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM facilities "
                            "AS f WHERE f.facility_id = s.facility_id) "
                            # no register loaded at all: not a row error (a notice says so)
                            "AND EXISTS (SELECT 1 FROM facilities)", f"{relation} AS s"))
    return out


def restored_iccs(spec: FileSpec, relation: str) -> list[str]:
    """Warnings for ICCS codes whose leading zero was restored."""
    return [_finding(c.name, "iccs_restored",
                     f"{ident(c.name)} IS NOT NULL AND {ident(c.name)} <> {ident('raw$' + c.name)}",
                     relation)
            for c in spec.columns if c.kind is Kind.ICCS]


def iccs_in_code_list(spec: FileSpec, relation: str) -> list[str]:
    """Errors for well-formed ICCS codes missing from the registered ``iccs_codes`` list."""
    return [_finding(c.name, "unknown_iccs",
                     f"{ident(c.name)} IS NOT NULL AND {ident(c.name)} NOT IN "
                     "(SELECT code FROM iccs_codes)", relation)
            for c in spec.columns if c.kind is Kind.ICCS]
