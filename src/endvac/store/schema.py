"""The analytic store's tables, derived from the interchange definitions.

Fact tables (``f_<file>``) keep every version of every row an agency sent,
tagged with the delivery that brought it; nothing derived is stored.  What is
current (latest version, not withdrawn) is a view of :mod:`endvac.facts`.
"""

from __future__ import annotations

from endvac.interchange.spec import FILES, FileSpec, Kind
from endvac.store.db import ident

SCHEMA_VERSION = 1

_SQL_TYPE = {
    Kind.DATE: "DATE",
    Kind.COUNT: "BIGINT",
    Kind.FLAG: "BOOLEAN",
}

FACT_FILES = tuple(f for f in FILES if not f.one_row)


def fact_table(spec: FileSpec) -> str:
    """The name of the table holding every version of ``spec``'s rows."""
    return f"f_{spec.name}"


def stored_columns(spec: FileSpec) -> list[tuple[str, str]]:
    """(column, SQL type) of a fact table, direct identifiers left out."""
    out: list[tuple[str, str]] = []
    for col in spec.columns:
        if col.name in spec.protected:
            continue
        if col.kind is Kind.DATE_OR_TIME:
            out += [(col.name, "DATE"), (f"{col.name}_time", "TIMESTAMP")]
        else:
            out.append((col.name, _SQL_TYPE.get(col.kind, "VARCHAR")))
    return out


def fact_table_ddl(spec: FileSpec) -> str:
    cols = ", ".join(f"{ident(n)} {t}" for n, t in stored_columns(spec))
    return (f"CREATE TABLE IF NOT EXISTS {ident(fact_table(spec))} ({cols}, "
            "_delivery INTEGER NOT NULL, _row BIGINT NOT NULL, _hash VARCHAR NOT NULL)")


# Columns the format gained after version 1's first stores were made (extensions of
# format version 1): a store made before gets them, empty, when next opened for writing.
ADDED_COLUMNS = {"events": ("evidence",)}


def added_columns_ddl(spec: FileSpec) -> list[str]:
    """ALTER statements adding ``spec``'s later columns to an older fact table."""
    types = dict(stored_columns(spec))
    return [f"ALTER TABLE {ident(fact_table(spec))} ADD COLUMN IF NOT EXISTS {ident(c)} "
            f"{types[c]}" for c in ADDED_COLUMNS.get(spec.name, ())]


BOOKKEEPING_DDL = (
    """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS config_revisions (
        revision INTEGER PRIMARY KEY, sha256 VARCHAR NOT NULL, text VARCHAR NOT NULL,
        recorded TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS deliveries (
        delivery_id INTEGER PRIMARY KEY, loaded_at TIMESTAMP NOT NULL,
        source VARCHAR NOT NULL, content_sha256 VARCHAR NOT NULL, mapping VARCHAR,
        agency VARCHAR, reporting_unit VARCHAR, period_start DATE, period_end DATE,
        extracted DATE, mode VARCHAR NOT NULL, event_types VARCHAR, format_version VARCHAR,
        config_revision INTEGER NOT NULL, normalisation_version VARCHAR,
        rows_in BIGINT NOT NULL, loaded BIGINT NOT NULL,
        quarantined BIGINT NOT NULL, duplicates BIGINT NOT NULL, warnings BIGINT NOT NULL,
        removed BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS delivery_files (
        delivery_id INTEGER NOT NULL, file VARCHAR NOT NULL, path VARCHAR NOT NULL,
        format VARCHAR NOT NULL, rows_in BIGINT NOT NULL, new BIGINT NOT NULL,
        replaced BIGINT NOT NULL, unchanged BIGINT NOT NULL, quarantined BIGINT NOT NULL,
        duplicates BIGINT NOT NULL, warnings BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS findings (
        delivery_id INTEGER NOT NULL, file VARCHAR NOT NULL, path VARCHAR NOT NULL,
        "row" BIGINT, "column" VARCHAR, rule VARCHAR NOT NULL, severity VARCHAR NOT NULL,
        message VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS quarantine (
        delivery_id INTEGER NOT NULL, file VARCHAR NOT NULL, path VARCHAR NOT NULL,
        "row" BIGINT NOT NULL, rules VARCHAR NOT NULL, cells JSON NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS indicator_runs (
        run_id INTEGER PRIMARY KEY, computed_at TIMESTAMP NOT NULL,
        definitions_version INTEGER NOT NULL, config_revision INTEGER NOT NULL,
        profile_sha256 VARCHAR NOT NULL, request JSON NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS indicator_results (
        run_id INTEGER NOT NULL, indicator VARCHAR NOT NULL, period VARCHAR NOT NULL,
        census DATE, "by" JSON NOT NULL, result JSON NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS delivery_withdrawals (
        delivery_id INTEGER NOT NULL, withdrawn_by INTEGER NOT NULL,
        withdrawn_at TIMESTAMP NOT NULL, reason VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS removals (
        delivery_id INTEGER NOT NULL, file VARCHAR NOT NULL, agency VARCHAR NOT NULL,
        id VARCHAR NOT NULL, kind VARCHAR NOT NULL, reason VARCHAR)""",
)


def all_ddl() -> list[str]:
    """Every CREATE statement of the analytic store, in order."""
    return [*BOOKKEEPING_DDL, *(fact_table_ddl(s) for s in FACT_FILES),
            *(stmt for s in FACT_FILES for stmt in added_columns_ddl(s))]
