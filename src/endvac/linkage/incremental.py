"""Attaching a new delivery's records without scoring everything again.

Splink 5's incremental prediction with the saved model: the records the registry does
not hold yet are scored against each other (``predict_within``) and against the
records it holds (``predict_between``); the last run's pairs stand for the rest. The
clusters are then made from both sets of pairs, and keys assigned as in a full run, so
the records already linked keep their keys unless a new record joins their clusters.
A record whose row was replaced by a later delivery is not scored again here: a full
``endvac link`` does that.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from endvac.errors import UsageError
from endvac.linkage import model, registry
from endvac.linkage.guard import RETRAIN, splink_step
from endvac.linkage.pairs import PAIR_FLOOR, clusters_from_pairs, model_path, pair_columns_sql
from endvac.progress import Progress
from endvac.store import db
from endvac.workspace import Workspace


def _split(con: duckdb.DuckDBPyConnection, workspace: Workspace) -> pa.Table:
    """Split ``link_records`` into ``new_records`` and ``old_records``; the last pairs."""
    with registry.registry(workspace, read_only=True) as reg:
        known = db.run(reg, "read child keys", "SELECT agency, record_id FROM assignments"
                       ).to_arrow_table()
        pairs = db.run(reg, "read scored pairs", "SELECT * FROM pairs").to_arrow_table()
    con.register("known_records", known)
    for table, test in (("new_records", "NOT EXISTS"), ("old_records", "EXISTS")):
        db.run(con, "split records", f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM "
               f"link_records AS r WHERE {test} (SELECT 1 FROM known_records AS k "
               "WHERE k.agency = r.agency AND k.record_id = r.record_id)")
    con.unregister("known_records")
    return pairs


def score_new_records(con: duckdb.DuckDBPyConnection, workspace: Workspace, cut: float,
                      say: Progress) -> tuple[pa.Table, pa.Table]:
    """(pairs: the last run's and the new records', clusters at ``cut``)."""
    from splink import DuckDBAPI, Linker

    if not registry.has_run(workspace) or not model_path(workspace).exists():
        raise UsageError("an incremental linking needs a full one first",
                         fix=f"run endvac link {workspace.root}")
    old_pairs = _split(con, workspace)
    model.prepare(con)
    saved = model.load_model(model_path(workspace))
    say(f"scoring {db.scalar(con, 'count new records', 'SELECT count(*) FROM new_records')} "
        "new records")
    with splink_step("scoring the new records with the saved linkage model", fix=RETRAIN):
        api = DuckDBAPI(connection=con)
        model.quiet_splink()
        linker = Linker(api.register("link_records"), saved)
        model.quiet_splink()  # and the loggers its construction made
        new, old = api.register("new_records"), api.register("old_records")
        found = [linker.inference.predict_within(new, threshold_match_probability=PAIR_FLOOR),
                 linker.inference.predict_between(new, old,
                                                  threshold_match_probability=PAIR_FLOOR)]
    fresh = [db.run(con, "read scored pairs", pair_columns_sql(con, f.physical_name)
                    ).to_arrow_table() for f in found]
    pairs = pa.concat_tables([old_pairs, *fresh], promote_options="permissive")
    records = db.rows(con, "list records", "SELECT agency, record_id FROM link_records "
                      "ORDER BY unique_id")
    return clusters_from_pairs([(str(a), str(r)) for a, r in records], pairs, cut)
