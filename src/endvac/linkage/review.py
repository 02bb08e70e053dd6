"""Clerical review: listing child keys, exporting uncertain pairs with their evidence,
recording must-link / cannot-link decisions and applying them.

The evidence of a pair is what the model saw: each comparison's match weight (log2
Bayes factor, kept by Splink as ``mw_<comparison>``) and the level it stands for (its
label, e.g. ``Dice >= 0.8``: the level of the model with that weight). Never an
identifier, a token or an encoding: a reviewer who must see names looks them up in the
agencies' own systems by record_id.
"""

from __future__ import annotations

import csv
import math
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from endvac.errors import BadInput, UsageError
from endvac.linkage import registry
from endvac.linkage.model import load_model
from endvac.linkage.pairs import model_path
from endvac.linkage.run import Progress, settle, stored_clusters
from endvac.store import db
from endvac.tabular import unescape_cell, write_csv
from endvac.workspace import Workspace

DECISIONS = ("must_link", "cannot_link")
PAIR_COLUMNS = ("agency_l", "record_id_l", "agency_r", "record_id_r")


def _require_run(workspace: Workspace) -> None:
    if not registry.has_run(workspace):
        raise UsageError(f"{workspace.root}: records are not linked yet",
                         fix=f"run endvac link {workspace.root} first")


def list_links(workspace: Workspace) -> list[dict[str, Any]]:
    """Every linked record with its child key, cluster size and match probability."""
    _require_run(workspace)
    with registry.registry(workspace, read_only=True) as reg:
        return db.records(reg, "list child keys",
                          "SELECT agency, record_id, child_key, cluster_size, match_probability "
                          "FROM assignments ORDER BY child_key, agency, record_id")


def level_weights(model: dict[str, Any]) -> dict[str, list[tuple[float, str]]]:
    """Per comparison, (match weight, label) of each level; a missing value weighs 0."""
    out: dict[str, list[tuple[float, str]]] = {}
    for comparison in model["comparisons"]:
        levels = [(0.0, "missing")]
        for level in comparison["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            if not level.get("is_null_level") and _positive(m) and _positive(u):
                levels.append((math.log2(m / u), level.get("label_for_charts", "")))
        out[comparison["output_column_name"]] = levels
    return out


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and value > 0


def level_of(weight: float, levels: list[tuple[float, str]]) -> str:
    """The label of the level whose match weight a pair's comparison carries."""
    return min(levels, key=lambda level: abs(level[0] - weight))[1]


def export_review(workspace: Workspace, out: Path,
                  between: tuple[float, float] | None = None) -> int:
    """Write the pairs scored between two probabilities with their evidence; the count."""
    _require_run(workspace)
    low, high = between or tuple(workspace.config.linkage.review_between)
    if not 0 <= low < high <= 1:
        raise UsageError(f"--between {low} {high} is not two probabilities, lower first",
                         fix="give e.g. --between 0.3 0.9")
    labels = level_weights(load_model(model_path(workspace)))
    with registry.registry(workspace, read_only=True) as reg:
        pairs = db.records(reg, "read pairs to review",
                           "SELECT * FROM pairs WHERE match_probability >= ? "
                           "AND match_probability < ? ORDER BY match_probability DESC, "
                           "agency_l, record_id_l, agency_r, record_id_r", [low, high])
    rows = [_evidence(pair, labels) for pair in pairs]
    columns = [*PAIR_COLUMNS, "match_probability", "match_weight"]
    for name in labels:
        columns += [name, f"{name}_weight"]
    columns.append("decision")
    with open(out, "w", encoding="utf-8", newline="") as handle:
        return write_csv(handle, columns, ([row.get(c, "") for c in columns] for row in rows))


def _evidence(pair: dict[str, Any], labels: dict[str, list[tuple[float, str]]]
              ) -> dict[str, Any]:
    row = {k: pair[k] for k in PAIR_COLUMNS}
    row["match_probability"] = round(pair["match_probability"], 6)
    row["match_weight"] = round(pair["match_weight"], 3)
    for name, levels in labels.items():
        weight = pair.get(f"mw_{name}")
        row[name] = "" if weight is None else level_of(weight, levels)
        row[f"{name}_weight"] = "" if weight is None else round(weight, 3)
    row["decision"] = ""
    return row


def read_decisions(path: Path, known: set[tuple[str, str]]) -> list[list[str]]:
    """(kind, agency_a, record_a, agency_b, record_b) of each decided row of a file."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise BadInput(f"cannot read {path}", fix="give the reviewed CSV file") from exc
    if rows and not {*PAIR_COLUMNS, "decision"} <= set(rows[0]):
        raise BadInput(f"{path}: needs the columns {', '.join(PAIR_COLUMNS)}, decision",
                       fix="start from the file endvac link-review wrote")
    out = []
    for number, row in enumerate(rows, start=2):
        kind = (row["decision"] or "").strip().lower().replace("-", "_")
        if not kind:
            continue
        if kind not in DECISIONS:
            raise BadInput(f"{path}: row {number}, column decision is not must_link, "
                           "cannot_link or empty", fix="correct the decision")
        a = (unescape_cell(row["agency_l"].strip()), unescape_cell(row["record_id_l"].strip()))
        b = (unescape_cell(row["agency_r"].strip()), unescape_cell(row["record_id_r"].strip()))
        if a not in known or b not in known:
            raise BadInput(f"{path}: row {number} names a record that is not linked",
                           fix="check agency and record_id against endvac links")
        out.append([kind, *a, *b])
    return out


def apply_decision_file(workspace: Workspace, path: Path,
                        progress: Progress | None = None) -> dict[str, int]:
    """Record the file's decisions and apply every decision to the current keys."""
    _require_run(workspace)
    say = progress or (lambda _m: None)
    started = time.perf_counter()
    with registry.registry(workspace) as reg:
        known = set(db.rows(reg, "read child keys", "SELECT agency, record_id FROM assignments"))
        decided = read_decisions(path, {(str(a), str(r)) for a, r in known})
        _record(reg, decided, path.name)
        cut, engine = db.rows(reg, "read the last run", "SELECT threshold, engine FROM runs "
                              "WHERE threshold IS NOT NULL ORDER BY run_id DESC LIMIT 1")[0]
        say("applying decisions to the last run's scored pairs")
        pairs, clusters = stored_clusters(reg, float(cut))
        summary = settle(workspace, reg, "decisions", str(engine), pairs, clusters,
                         float(cut), started)
    return {"recorded": len(decided), "persons": summary.persons, "records": summary.records}


def _record(reg: duckdb.DuckDBPyConnection, decided: list[list[str]], source: str) -> None:
    first = int(db.scalar(reg, "number decisions",
                          "SELECT coalesce(max(decision_id), 0) + 1 FROM decisions"))
    now = datetime.now()
    db.run_many(reg, "record decisions",
                "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                [[first + i, *row, now, source] for i, row in enumerate(decided)])
