"""The records linkage scores: each current children row with its protected identifiers.

Built in the linkage zone, in an in-memory DuckDB connection: the current rows of the
analytic store's ``children`` view (non-identifying attributes) and the case numbers
their events and spells carry are joined to the delivery's tokens and Bloom encodings
(``linkage/encodings``). Each stored encoding is reduced, through the identity key's
mask, to the field's own 2,048-bit Bloom filter (see :mod:`endvac.encoding.encode`),
kept as 32 BIGINT words with its bit count, so the Dice coefficient of two filters is
plain SQL that DuckDB vectorises and Spark runs natively:
``2 × Σ bit_count(a_i & b_i) / (n_a + n_b)``. No clear identifier is ever here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from endvac.encoding.encode import FOLDED, STORED_BYTES, encoder
from endvac.encoding.keys import IdentityKey
from endvac.errors import BadInput
from endvac.interchange.spec import IDENTIFIER_FIELDS
from endvac.store import db
from endvac.workspace import Workspace

BATCH = 50_000
WORDS = 32  # 2,048 filter bits as 64-bit words
# Read from the analytic store: what linkage may use besides the identifiers.
ATTRIBUTES_SQL = (
    "SELECT agency, record_id, _delivery, _row, date_of_birth AS dob, dob_estimated, "
    "CASE WHEN sex IN ('f', 'm', 'x') THEN sex END AS sex, region FROM children")
# Case numbers of each record: its own case ids and the first agency's (origin_case_ref);
# and a birth year from an age in whole years where the record has no date of birth.
FACT_HINTS_SQL = (
    "SELECT agency, record_id, list_sort(list_distinct(list(ref) FILTER (WHERE ref IS NOT NULL))) "
    "AS case_refs, min(age_birth_year) AS age_birth_year "
    "FROM (SELECT agency, record_id, unnest([case_id, origin_case_ref]) AS ref, "
    "year(date) - age_years AS age_birth_year FROM events "
    "UNION ALL SELECT agency, record_id, unnest([case_id, origin_case_ref]), "
    "year(start) - age_years FROM detentions) GROUP BY agency, record_id")


def read_attributes(workspace: Workspace) -> tuple[pa.Table, pa.Table]:
    """(children attributes, case numbers and age hints) of the current records."""
    with workspace.analytic(read_only=True) as con:
        attributes = db.run(con, "read children for linkage", ATTRIBUTES_SQL).to_arrow_table()
        hints = db.run(con, "read case numbers for linkage", FACT_HINTS_SQL).to_arrow_table()
    return attributes, hints


def _encodings_sql(files: list[Path]) -> str:
    listed = ", ".join(db.path_literal(p) for p in files)
    return (f"SELECT CAST(regexp_extract(filename, 'delivery-([0-9]+)', 1) AS INTEGER) "
            f"AS _delivery, * EXCLUDE (filename) FROM read_parquet([{listed}], "
            "filename = true, union_by_name = true)")


def _filter_positions(key: IdentityKey, field: str) -> np.ndarray:
    """Where a field's own filter bits sit in a stored encoding, as indexes into the
    encoding's bytes unpacked most significant bit first (the key's mask)."""
    mask = encoder(key, field).first_half_mask
    unpacked = np.unpackbits(np.frombuffer(mask.to_bytes(STORED_BYTES, "big"), np.uint8))
    return np.flatnonzero(unpacked)


def stored_matrix(stored: pa.Array) -> np.ndarray:
    """A binary column of stored encodings (no nulls) as an (n, 512) byte matrix, read
    from the Arrow buffers without a Python object per value."""
    column = stored.cast(pa.binary())
    offsets = np.frombuffer(column.buffers()[1], np.int32)[
        column.offset:column.offset + len(column) + 1]
    if len(column) and not np.all(np.diff(offsets) == STORED_BYTES):
        raise BadInput("an encoding in linkage/encodings is not 512 bytes",
                       fix="ingest the delivery again (the linkage zone's file is damaged)")
    data = np.frombuffer(column.buffers()[2], np.uint8)
    return data[offsets[0]:offsets[0] + len(column) * STORED_BYTES].reshape(-1, STORED_BYTES)


def compact_filters(stored: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Each stored (balanced, permuted) encoding reduced to the field's own filter:
    2,048 bits in a fixed order, as 32 signed 64-bit words (one row per encoding)."""
    out = np.empty((len(stored), WORDS), dtype=np.int64)
    for start in range(0, len(stored), BATCH):
        bits = np.take(np.unpackbits(stored[start:start + BATCH], axis=1), positions, axis=1)
        out[start:start + BATCH] = np.ascontiguousarray(np.packbits(bits, axis=1)).view(">i8")
    return out


def word_columns(field: str) -> list[str]:
    """The names of a field's filter words in ``link_records``."""
    return [f"{field}_w{i:02d}" for i in range(WORDS)]


def _compact_field(con: duckdb.DuckDBPyConnection, field: str, positions: np.ndarray) -> str:
    """A table (stored encoding → filter words, bit count) of the field's distinct values."""
    bloom = db.ident(f"{field}_bloom")
    stored = db.run(con, "read encodings for linkage",
                    f"SELECT DISTINCT {bloom} AS stored FROM link_encodings "
                    f"WHERE {bloom} IS NOT NULL").to_arrow_table().column(0).combine_chunks()
    words = compact_filters(stored_matrix(stored), positions)
    counts = np.bitwise_count(words.view(np.uint64)).sum(axis=1, dtype=np.int64)
    columns: dict[str, Any] = {"stored": stored, "n": counts}
    columns.update({name: words[:, i] for i, name in enumerate(word_columns(field))})
    table = f"compact_{field}"
    con.register(f"{table}_input", pa.table(columns))
    db.run(con, "compact encodings for linkage",
           f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM {table}_input")
    con.unregister(f"{table}_input")
    return table


def _identifier_columns(con: duckdb.DuckDBPyConnection, workspace: Workspace,
                        present: set[str]) -> tuple[list[str], list[str]]:
    """(select expressions, joins) giving each identifier field's token, words and count."""
    key = workspace.identity_key() if present else None
    name = db.ident
    select, joins = [], []
    stored = {r[0] for r in db.rows(con, "read encoding columns", "DESCRIBE link_encodings")}
    for field in FOLDED:  # deliveries encoded before folded tokens (or by an agency): NULL
        column = name(field + "_fold")
        select.append(f"a.{column}" if field + "_fold" in stored
                      else f"CAST(NULL AS VARCHAR) AS {column}")
    for field in IDENTIFIER_FIELDS:
        words = word_columns(field)
        if field in present and key is not None:
            table = _compact_field(con, field, _filter_positions(key, field))
            joins.append(f"LEFT JOIN {table} ON {table}.stored = a.{name(field + '_bloom')}")
            select.append(f"a.{name(field + '_token')}, "
                          + ", ".join(f"{table}.{w}" for w in words)
                          + f", {table}.n AS {name(field + '_n')}")
        else:
            select.append(f"CAST(NULL AS VARCHAR) AS {name(field + '_token')}, "
                          + ", ".join(f"CAST(NULL AS BIGINT) AS {w}" for w in words)
                          + f", CAST(NULL AS BIGINT) AS {name(field + '_n')}")
    return select, joins


def build_link_records(con: duckdb.DuckDBPyConnection, workspace: Workspace) -> int:
    """Create the table ``link_records`` on ``con`` (in memory, linkage zone); the count.

    Columns: unique_id (ordered by agency, record_id), agency, record_id, dob, birth_year,
    dob_estimated, sex, region, case_refs, and for each identifier field its token,
    filter words (``<field>_w00`` … ``_w31``) and their bit count (``<field>_n``); and
    the names' folded tokens (``given_name_fold``, ``family_name_fold``)."""
    attributes, hints = read_attributes(workspace)
    con.register("link_attributes", attributes)
    con.register("link_hints", hints)
    files = sorted(workspace.identifiers_dir.glob("delivery-*.parquet"))
    present = _present_fields(con, files)
    encodings = _encodings_sql(files) if present else (
        "SELECT NULL::INTEGER AS _delivery, NULL::BIGINT AS _row, NULL AS agency, "
        "NULL AS record_id WHERE false")
    db.run(con, "read encodings for linkage",
           "CREATE OR REPLACE TEMP TABLE link_encodings AS SELECT a.*, e.* EXCLUDE "
           f"(_delivery, _row, agency, record_id) FROM link_attributes AS a LEFT JOIN "
           f"({encodings}) AS e ON e._delivery = a._delivery AND e._row = a._row "
           "AND e.agency = a.agency AND e.record_id = a.record_id")
    select, joins = _identifier_columns(con, workspace, present)
    db.run(con, "prepare records for linkage", (
        "CREATE OR REPLACE TABLE link_records AS "
        "SELECT CAST(row_number() OVER (ORDER BY a.agency, a.record_id) AS BIGINT) AS unique_id, "
        "a.agency, a.record_id, a.dob, coalesce(CAST(substr(a.dob, 1, 4) AS INTEGER), "
        "h.age_birth_year) AS birth_year, a.dob_estimated, a.sex, a.region, "
        "CASE WHEN len(h.case_refs) > 0 THEN h.case_refs END AS case_refs, "
        + ", ".join(select) + " FROM link_encodings AS a " + " ".join(joins) +
        " LEFT JOIN link_hints AS h ON h.agency = a.agency AND h.record_id = a.record_id "
        "ORDER BY unique_id"))
    for table in ("link_encodings", *(f"compact_{f}" for f in sorted(present))):
        db.run(con, "tidy linkage tables", f"DROP TABLE IF EXISTS {table}")
    con.unregister("link_attributes")
    con.unregister("link_hints")
    return int(db.scalar(con, "count records to link", "SELECT count(*) FROM link_records"))


def _present_fields(con: duckdb.DuckDBPyConnection, files: list[Path]) -> set[str]:
    """Identifier fields with at least one encoding in the linkage zone."""
    if not files:
        return set()
    names = {r[0] for r in db.rows(con, "read encoding columns",
                                   f"DESCRIBE {_encodings_sql(files)}")}
    present = set()
    for field in IDENTIFIER_FIELDS:
        if f"{field}_bloom" in names and db.scalar(
                con, "read encoding columns",
                f"SELECT count({db.ident(field + '_bloom')}) > 0 FROM ({_encodings_sql(files)})"):
            present.add(field)
    return present
