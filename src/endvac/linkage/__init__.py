"""Record linkage in the linkage zone: child keys from protected identifiers.

:func:`quality` summarises the last linking for reports.
"""

from __future__ import annotations

import json
from typing import Any

from endvac.linkage import diagnostics, registry
from endvac.linkage.charts import chart_paths
from endvac.store import db
from endvac.workspace import Workspace


def quality(workspace: Workspace) -> dict[str, Any] | None:
    """The last linking's figures for a report, or None before linkage: records,
    persons, records merged, threshold, engine, model path, the last evaluation against
    a truth file (if any), the saved Splink charts and the last full run's diagnostics
    (prior, level weights, pairs near the threshold, histogram, warnings)."""
    if not registry.has_run(workspace):
        return None
    with registry.registry(workspace, read_only=True) as reg:
        runs = db.records(reg, "read the last run", "SELECT run_id, ran_at, kind, engine, "
                          "threshold, records, persons, merged, pairs, model_sha256, seconds "
                          "FROM runs WHERE records IS NOT NULL ORDER BY run_id DESC LIMIT 1")
        evaluation = db.rows(reg, "read the last evaluation", "SELECT metrics, truth FROM "
                             "evaluations ORDER BY evaluated_at DESC LIMIT 1")
        decisions = db.scalar(reg, "count decisions", "SELECT count(*) FROM decisions")
    if not runs:
        return None
    folder = registry.linkage_dir(workspace)
    return {**runs[0], "decisions": int(decisions),
            "model_path": str(folder / "model.json"),
            "evaluation": ({"truth": evaluation[0][1], **json.loads(evaluation[0][0])}
                           if evaluation else None),
            "charts": chart_paths(folder / "charts"),
            "diagnostics": diagnostics.load(folder)}
