"""Scored pairs shared by the full run and the incremental one: the floor a pair must
reach to be kept, where the model lives, the pairs' evidence columns and connected
components of records at a cut."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from endvac.linkage import registry
from endvac.linkage.decisions import components
from endvac.linkage.keys import Record
from endvac.store import db
from endvac.workspace import Workspace

PAIR_FLOOR = 0.01  # pairs scored at least this likely are kept for review and cuts
MODEL_FILE = "model.json"


def model_path(workspace: Workspace) -> Any:
    return registry.linkage_dir(workspace) / MODEL_FILE


def pair_columns_sql(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """The evidence of scored pairs: ids, probability, match weight and each comparison's
    match weight (``mw_<comparison>``, log2 of its Bayes factor)."""
    names = [r[0] for r in db.rows(con, "describe scored pairs", f"DESCRIBE {table}")]
    kept = ["unique_id_l", "unique_id_r", "agency_l", "record_id_l", "agency_r", "record_id_r",
            "match_probability", "match_weight"]
    kept += [n for n in names if n.startswith("mw_")]
    return (f"SELECT {', '.join(db.ident(n) for n in kept)} FROM {table} "
            "ORDER BY unique_id_l, unique_id_r")


def clusters_from_pairs(records: list[Record], pairs: pa.Table, cut: float
                        ) -> tuple[pa.Table, pa.Table]:
    """(``pairs`` of these records renumbered, clusters of ``records`` at ``cut``):
    connected components, as Splink's clustering makes them."""
    uid = {record: index + 1 for index, record in enumerate(records)}
    sides = {side: [uid.get(r) for r in zip(pairs[f"agency_{side}"].to_pylist(),
                                            pairs[f"record_id_{side}"].to_pylist(),
                                            strict=True)] for side in ("l", "r")}
    keep = [a is not None and b is not None for a, b in zip(sides["l"], sides["r"],
                                                             strict=True)]
    for side in ("l", "r"):
        index = pairs.schema.get_field_index(f"unique_id_{side}")
        pairs = pairs.set_column(index, f"unique_id_{side}", pa.array(sides[side], pa.int64()))
    pairs = pairs.filter(pa.array(keep, pa.bool_()))
    edges = [(a, b, p) for a, b, p in zip(pairs["unique_id_l"].to_pylist(),
                                          pairs["unique_id_r"].to_pylist(),
                                          pairs["match_probability"].to_pylist(), strict=True)
             if p >= cut]
    ids = list(uid.values())
    cluster_of = {}
    for index, part in enumerate(components(set(ids), edges)):
        cluster_of.update(dict.fromkeys(part, index))
    clusters = pa.table({"cluster_id": [cluster_of[i] for i in ids], "unique_id": ids,
                         "agency": [r[0] for r in records], "record_id": [r[1] for r in records]})
    return pairs, clusters
