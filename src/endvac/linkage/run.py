"""`endvac link`: score, cluster, apply decisions, give stable child keys.

The work of one linking, in order: the records with their protected identifiers
(:mod:`endvac.linkage.records`); the model trained on DuckDB (or, for Spark, the one the
DuckDB run saved); pairs scored above a floor and clusters at the threshold on the chosen
engine; clerical decisions applied to the clusters they touch; keys assigned
(:mod:`endvac.linkage.keys`) and stored in the registry; the hand-off file written.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from endvac.errors import UsageError
from endvac.linkage import charts, diagnostics, model, registry
from endvac.linkage.decisions import Edge, apply_decisions
from endvac.linkage.guard import splink_step
from endvac.linkage.incremental import score_new_records
from endvac.linkage.keys import Record, assign_keys
from endvac.linkage.pairs import PAIR_FLOOR, clusters_from_pairs, model_path, pair_columns_sql
from endvac.linkage.records import build_link_records
from endvac.progress import Progress
from endvac.store import db
from endvac.workspace import Workspace


@dataclass
class LinkSummary:
    run_id: int
    engine: str
    threshold: float
    records: int
    persons: int
    merged: int
    pairs: int
    created: int
    redirected: int
    retired: int
    seconds: float
    prior: float | None = None  # of the model trained by this run (DuckDB, not incremental)
    pairs_near_threshold: int | None = None
    warnings: int = 0  # plain-words warnings in linkage/diagnostics.json


def link_diagnostics(workspace: Workspace) -> dict[str, Any] | None:
    """The last full DuckDB run's diagnostics (docs/linkage.md), or None."""
    return diagnostics.load(registry.linkage_dir(workspace))


def link(workspace: Workspace, *, engine: str = "duckdb", threshold: float | None = None,
         incremental: bool = False, progress: Progress | None = None) -> LinkSummary:
    """Link every current children record of the workspace into persons; with
    ``incremental``, score only the records the registry does not hold yet (against
    each other and the others) and keep the last run's pairs for the rest."""
    say = progress or (lambda _m: None)
    started = time.perf_counter()
    cut = workspace.config.linkage.threshold if threshold is None else threshold
    if not 0 < cut < 1:
        raise UsageError(f"threshold {cut} is not a probability between 0 and 1",
                         fix="give --threshold 0.9 or similar")
    con = db.connect(None, threads=workspace.settings.threads,
                     memory_limit=workspace.settings.memory_limit,
                     temp_dir=workspace.settings.temp_dir)
    try:
        say("reading records and their protected identifiers")
        say(f"{build_link_records(con, workspace)} records to link")
        if incremental:

            pairs, clusters = score_new_records(con, workspace, cut, say)
        else:
            pairs, clusters = _score(con, workspace, engine, cut, say)
    finally:
        con.close()
    say("applying clerical decisions and assigning child keys")
    with registry.registry(workspace) as reg:
        kind = "incremental" if incremental else "link"
        summary = settle(workspace, reg, kind, engine, pairs, clusters, cut, started)
    found = None if incremental or engine != "duckdb" else link_diagnostics(workspace)
    if found:
        summary.prior = found["prior"]
        summary.pairs_near_threshold = found["pairs_near_threshold"]
        summary.warnings = len(found["warnings"])
    return summary


def settle(workspace: Workspace, reg: duckdb.DuckDBPyConnection, kind: str, engine: str,
           pairs: pa.Table, clusters: pa.Table, cut: float, started: float) -> LinkSummary:
    """Apply decisions to ``clusters``, assign and store keys, hand them over."""
    run_id = registry.start_run(reg, kind)
    groups = _apply_decisions(reg, pairs, clusters, cut)
    details, changes = _assign(reg, groups, pairs, cut)
    registry.store_keys(reg, run_id, changes, details)
    _store_pairs(reg, pairs)
    count = clusters.num_rows
    summary = LinkSummary(run_id, engine, cut, count, len(groups), count - len(groups),
                          pairs.num_rows, len(changes.created), len(changes.redirects),
                          len(changes.retired), round(time.perf_counter() - started, 2))
    path = model_path(workspace)
    registry.finish_run(reg, run_id, {
        "engine": engine, "threshold": cut, "records": count, "persons": summary.persons,
        "merged": summary.merged, "pairs": summary.pairs, "seconds": summary.seconds,
        "model_sha256": hashlib.sha256(path.read_bytes()).hexdigest() if path.exists()
        else None})
    registry.write_handoff(workspace, reg)
    return summary


def _score(con: duckdb.DuckDBPyConnection, workspace: Workspace, engine: str, cut: float,
           say: Progress) -> tuple[pa.Table, pa.Table]:
    """(scored pairs above the floor, clusters at the threshold) on the chosen engine."""
    if engine == "spark":
        from endvac.linkage.spark import score_on_spark

        if not model_path(workspace).exists():
            raise UsageError("the Spark engine needs a model trained by a DuckDB run",
                             fix="run endvac link WORKSPACE (DuckDB) first")
        records = db.run(con, "read records for Spark", "SELECT * FROM link_records "
                         "ORDER BY unique_id").to_arrow_table()
        return score_on_spark(records, model.load_model(model_path(workspace)),
                              PAIR_FLOOR, cut, say)
    if engine != "duckdb":
        raise UsageError(f"unknown engine {engine!r}", fix="use --engine duckdb or spark")
    linker, trained, notes = model.train(con, say)
    folder = registry.linkage_dir(workspace)
    model.save_model(trained, model_path(workspace))
    with splink_step("scoring record pairs"):
        charts.save_charts(linker, folder / "charts")
        say("scoring pairs")
        predictions = linker.inference.predict(threshold_match_probability=PAIR_FLOOR)
        say("clustering")
        clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, cut)
    pairs = db.run(con, "read scored pairs", pair_columns_sql(
        con, predictions.physical_name)).to_arrow_table()
    clusters = db.run(con, "read clusters", "SELECT cluster_id, unique_id, agency, record_id "
                      f"FROM {clustered.physical_name}").to_arrow_table()
    diagnostics.save(diagnostics.build(notes, trained, pairs, cut), folder)
    return pairs, clusters


def _apply_decisions(reg: duckdb.DuckDBPyConnection, pairs: pa.Table, clusters: pa.Table,
                     cut: float) -> list[list[tuple[Record, int]]]:
    """Groups of (record, unique_id) after the registry's decisions."""
    uid = dict(zip(zip(clusters["agency"].to_pylist(), clusters["record_id"].to_pylist(),
                       strict=True), clusters["unique_id"].to_pylist(), strict=True))
    record_of = {u: r for r, u in uid.items()}
    groups: dict[Any, set[int]] = defaultdict(set)
    for cluster, u in zip(clusters["cluster_id"].to_pylist(), clusters["unique_id"].to_pylist(),
                          strict=True):
        groups[cluster].add(u)
    must, cannot = _decisions(reg, uid)
    if must or cannot:
        groups = _regroup(groups, pairs, must, cannot, cut)
    return [[(record_of[u], u) for u in sorted(g)] for g in groups.values()]


def _decisions(reg: duckdb.DuckDBPyConnection, uid: dict[Record, int]
               ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Decisions on records still present, the latest per pair winning."""
    latest: dict[tuple[int, int], str] = {}
    for kind, aa, ra, ab, rb in db.rows(reg, "read decisions",
                                        "SELECT kind, agency_a, record_a, agency_b, record_b "
                                        "FROM decisions ORDER BY decision_id"):
        a, b = uid.get((aa, ra)), uid.get((ab, rb))
        if a is not None and b is not None and a != b:
            latest[(min(a, b), max(a, b))] = kind
    must = [p for p, k in latest.items() if k == "must_link"]
    cannot = [p for p, k in latest.items() if k == "cannot_link"]
    return must, cannot


def _regroup(groups: dict[Any, set[int]], pairs: pa.Table, must: list[tuple[int, int]],
             cannot: list[tuple[int, int]], cut: float) -> dict[Any, set[int]]:
    """Re-cluster only the clusters a decision touches."""
    where = {u: c for c, members in groups.items() for u in members}
    touched = {where[u] for pair in must + cannot for u in pair}
    nodes = set().union(*(groups.pop(c) for c in touched))
    edges: list[Edge] = [
        (a, b, p) for a, b, p in zip(pairs["unique_id_l"].to_pylist(),
                                     pairs["unique_id_r"].to_pylist(),
                                     pairs["match_probability"].to_pylist(), strict=True)
        if p >= cut and a in nodes and b in nodes]
    for index, part in enumerate(apply_decisions(nodes, edges, must, cannot)):
        groups[("decided", index)] = part
    return groups


def _assign(reg: duckdb.DuckDBPyConnection, groups: list[list[tuple[Record, int]]],
            pairs: pa.Table, cut: float) -> tuple[pa.Table, Any]:
    """The run's assignment table and key changes."""
    best: dict[int, float] = {}
    for a, b, p in zip(pairs["unique_id_l"].to_pylist(), pairs["unique_id_r"].to_pylist(),
                       pairs["match_probability"].to_pylist(), strict=True):
        if p >= cut:
            best[a] = max(best.get(a, 0.0), p)
            best[b] = max(best.get(b, 0.0), p)
    changes = assign_keys([[r for r, _ in g] for g in groups],
                          registry.previous_assignment(reg), registry.next_key_number(reg))
    rows: dict[str, list[Any]] = defaultdict(list)
    for group in groups:
        for record, u in group:
            rows["agency"].append(record[0])
            rows["record_id"].append(record[1])
            rows["child_key"].append(changes.assignment[record])
            rows["cluster_size"].append(len(group))
            rows["match_probability"].append(best.get(u) if len(group) > 1 else None)
    schema = pa.schema([("agency", pa.string()), ("record_id", pa.string()),
                        ("child_key", pa.string()), ("cluster_size", pa.int64()),
                        ("match_probability", pa.float64())])
    return pa.table(rows, schema=schema), changes


def _store_pairs(reg: duckdb.DuckDBPyConnection, pairs: pa.Table) -> None:
    reg.register("scored_pairs", pairs)
    db.run(reg, "store scored pairs", "CREATE OR REPLACE TABLE pairs AS SELECT * "
           "FROM scored_pairs")
    reg.unregister("scored_pairs")


def stored_clusters(reg: duckdb.DuckDBPyConnection, cut: float) -> tuple[pa.Table, pa.Table]:
    """(the last run's scored pairs, clusters of every assigned record at ``cut``), for
    re-applying decisions without scoring again."""
    pairs = db.run(reg, "read scored pairs", "SELECT * FROM pairs").to_arrow_table()
    records = db.rows(reg, "read child keys", "SELECT agency, record_id FROM assignments "
                      "ORDER BY agency, record_id")
    return clusters_from_pairs([(str(a), str(r)) for a, r in records], pairs, cut)


def model_summary(workspace: Workspace) -> dict[str, Any]:
    """The saved model's comparisons and prior, for reports."""
    saved = model.load_model(model_path(workspace))
    return {"comparisons": [c["output_column_name"] for c in saved["comparisons"]],
            "probability_two_random_records_match":
                saved.get("probability_two_random_records_match")}
