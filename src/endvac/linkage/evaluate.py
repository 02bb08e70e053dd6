"""Linkage quality against a truth file (agency, record_id, person): pairwise
precision, recall and F1, and cluster metrics.

Pairwise: a pair of records is predicted linked when both have the same child key, and
truly linked when both have the same true person; counted over the records in both the
registry and the truth file, in SQL (no pair is materialised).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from endvac.errors import BadInput
from endvac.linkage import registry
from endvac.store import db
from endvac.workspace import Workspace

PAIRS = "sum(n * (n - 1) / 2)"


def metrics_sql() -> str:
    """Metrics of ``linked`` (agency, record_id, child_key, person)."""
    return (
        "WITH cells AS (SELECT child_key, person, count(*) AS n FROM linked GROUP BY ALL), "
        "keys AS (SELECT child_key, count(*) AS n, count(DISTINCT person) AS people "
        "FROM linked GROUP BY child_key), "
        "persons AS (SELECT person, count(*) AS n, count(DISTINCT child_key) AS keys "
        "FROM linked GROUP BY person), "
        "exact AS (SELECT count(*) AS n FROM keys JOIN cells USING (child_key) "
        "JOIN persons USING (person) WHERE keys.people = 1 AND persons.keys = 1) "
        f"SELECT (SELECT count(*) FROM linked) AS records, "
        f"(SELECT {PAIRS} FROM cells) AS true_positive_pairs, "
        f"(SELECT {PAIRS} FROM keys) AS predicted_pairs, "
        f"(SELECT {PAIRS} FROM persons) AS true_pairs, "
        "(SELECT count(*) FROM keys) AS predicted_persons, "
        "(SELECT count(*) FROM persons) AS true_persons, "
        "(SELECT n FROM exact) AS persons_exactly_found, "
        "(SELECT count(*) FROM keys WHERE people > 1) AS keys_merging_persons, "
        "(SELECT count(*) FROM persons WHERE keys > 1) AS persons_split")


def score(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Pairwise and cluster metrics of the table ``linked`` on ``con``."""
    found = db.records(con, "measure linkage quality", metrics_sql())[0]
    tp, pp, ap = (float(found[k] or 0) for k in
                  ("true_positive_pairs", "predicted_pairs", "true_pairs"))
    precision = tp / pp if pp else 1.0
    recall = tp / ap if ap else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out: dict[str, Any] = {"precision": precision, "recall": recall, "f1": f1}
    out.update({k: int(v or 0) for k, v in found.items()})
    out["cluster_exact_share"] = (out["persons_exactly_found"] / out["true_persons"]
                                  if out["true_persons"] else 1.0)
    return out


def evaluate_links(workspace: Workspace, truth: Path) -> dict[str, Any]:
    """Metrics of the current child keys against ``truth``; stored with the last run."""
    if not truth.is_file():
        raise BadInput(f"cannot read the truth file {truth}",
                       fix="give a CSV with agency, record_id, person")
    con = db.connect(None)
    try:
        try:
            db.run(con, "read the truth file", "CREATE TABLE truth AS SELECT "
                   "CAST(agency AS VARCHAR) AS agency, CAST(record_id AS VARCHAR) AS record_id, "
                   "CAST(person AS VARCHAR) AS person FROM read_csv(?, header = true, "
                   "all_varchar = true)", [str(truth)])
        except Exception as exc:
            raise BadInput(f"{truth}: not a CSV with agency, record_id, person",
                           fix="give the truth file's header and columns") from exc
        with registry.registry(workspace) as reg:
            keys = db.run(reg, "read child keys", "SELECT agency, record_id, child_key "
                          "FROM assignments").to_arrow_table()
            con.register("keys", keys)
            db.run(con, "join keys to the truth", "CREATE TABLE linked AS SELECT k.*, t.person "
                   "FROM keys AS k JOIN truth AS t USING (agency, record_id)")
            metrics = score(con)
            run_id = db.scalar(reg, "read the last run", "SELECT max(run_id) FROM runs")
            db.run(reg, "store the evaluation", "INSERT INTO evaluations VALUES (?, ?, ?, ?)",
                   [run_id, datetime.now(), truth.name, json.dumps(metrics)])
    finally:
        con.close()
    return metrics
