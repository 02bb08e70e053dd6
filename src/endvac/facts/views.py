"""The current facts, derived at query time from every stored version.

A row is current when it is the latest version of its key (latest delivery,
then latest row) and no later withdrawal or `full` manifest removed it.
Everything derived later (reference dates, who is a child, stays, persons)
builds on these views, never on stored results, because it depends on later
deliveries and on the config.
"""

from __future__ import annotations

from endvac.interchange.spec import FileSpec
from endvac.store.db import ident, literal
from endvac.store.schema import FACT_FILES, fact_table

# The column a withdrawal's `id` names, per withdrawable file.
WITHDRAWAL_ID = {"children": "record_id", "events": "event_id", "detentions": "spell_id"}


def current_rows_sql(spec: FileSpec, among: str | None = None) -> str:
    """SELECT of the current rows of ``spec``'s file; ``among`` (a relation with the key
    columns) narrows it to those keys before versions are numbered, which a load uses to
    compare a few staged rows without numbering the whole store."""
    key = ", ".join(ident(k) for k in spec.key)
    narrowed = ""
    if among is not None:
        match = " AND ".join(f"s.{ident(k)} IS NOT DISTINCT FROM f.{ident(k)}" for k in spec.key)
        narrowed = f" WHERE EXISTS (SELECT 1 FROM {among} AS s WHERE {match})"
    latest = (f"SELECT * FROM {ident(fact_table(spec))} AS f{narrowed} "
              f"QUALIFY row_number() OVER (PARTITION BY {key} "
              "ORDER BY _delivery DESC, _row DESC) = 1")
    if spec.name in WITHDRAWAL_ID:
        id_col = ident(WITHDRAWAL_ID[spec.name])
        latest = (f"SELECT * FROM ({latest}) AS f WHERE NOT EXISTS ("
                  "SELECT 1 FROM removals AS r WHERE r.file = "
                  f"{literal(spec.name)} AND r.agency = f.agency AND r.id = f.{id_col} "
                  "AND r.delivery_id > f._delivery)")
    return latest


def current_columns_sql(spec: FileSpec, columns: tuple[str, ...]) -> str:
    """SELECT of ``columns`` (and the key and ``_delivery``) of the current rows of
    ``spec``'s file: the same rows as :func:`current_rows_sql`, found without numbering
    every version.
    Keys are grouped by their hash (cheap); a row whose key hash occurs once is its key's
    only version, and only the rows of the few repeated hashes (a key with later
    versions, or a hash collision) are numbered to keep each key's latest."""
    key = ", ".join(ident(k) for k in spec.key)
    cols = ", ".join(ident(c) for c in dict.fromkeys((*columns, *spec.key)))  # keys always
    table = ident(fact_table(spec))
    repeated = (f"(SELECT h FROM (SELECT hash({key}) AS h FROM {table} GROUP BY h "
                "HAVING count(*) > 1))")
    latest = (f"(SELECT {cols}, _delivery FROM {table} WHERE hash({key}) NOT IN {repeated}) "
              f"UNION ALL (SELECT {cols}, _delivery FROM {table} WHERE hash({key}) IN "
              f"{repeated} QUALIFY row_number() OVER (PARTITION BY {key} "
              "ORDER BY _delivery DESC, _row DESC) = 1)")
    if spec.name in WITHDRAWAL_ID:  # removed by a later delivery: a plain join, no DELIM
        id_col = ident(WITHDRAWAL_ID[spec.name])
        latest = (f"SELECT f.* FROM ({latest}) AS f LEFT JOIN (SELECT agency, id, "
                  "max(delivery_id) AS last_removal FROM removals WHERE file = "
                  f"{literal(spec.name)} GROUP BY agency, id) AS r ON r.agency = f.agency "
                  f"AND r.id = f.{id_col} WHERE r.last_removal IS NULL "
                  "OR r.last_removal <= f._delivery")
    return latest


def current_view_sql(spec: FileSpec) -> str:
    """CREATE VIEW for the current rows of ``spec``'s file."""
    return f"CREATE OR REPLACE VIEW {ident(spec.name)} AS {current_rows_sql(spec)}"


def all_view_sql() -> list[str]:
    """Every fact view, in load order."""
    return [current_view_sql(spec) for spec in FACT_FILES]
