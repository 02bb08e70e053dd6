"""What a user needs to judge a linking: the prior, every level's weight, the pairs near
the threshold, a histogram of match weights and warnings in plain words.

Built from the model's parameters, the training notes of :func:`endvac.linkage.model.train`
and the scored pairs' match weights only (never a record), and saved as
``linkage/diagnostics.json`` (private) for the run summary and the data-quality page.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from endvac.linkage import guard

FILE = "diagnostics.json"
NEAR = 1.0  # a pair is near the threshold when its match weight is within 1 of the cut's


def threshold_weight(cut: float) -> float:
    """The match weight of a match probability: log2(p / (1 − p))."""
    return math.log2(cut / (1 - cut))


def levels(model: dict[str, Any]) -> list[dict[str, Any]]:
    """Every non-null level: comparison, level, m, u and match weight log2(m/u)."""
    return [{"comparison": c["output_column_name"], "level": lv["label_for_charts"],
             "m": lv["m_probability"], "u": lv["u_probability"],
             "match_weight": round(guard.weight(lv), 2)}
            for c in model["comparisons"] for lv in c["comparison_levels"]
            if not lv.get("is_null_level")]


def near_threshold(pairs: pa.Table, cut: float) -> int:
    """Scored pairs whose match weight is within ``NEAR`` of the threshold's: the pairs
    a small change of the model or of the threshold would link or separate."""
    if not pairs.num_rows:
        return 0
    distance = pc.abs(pc.subtract(pairs["match_weight"], threshold_weight(cut)))
    return int(pc.sum(pc.less_equal(distance, NEAR)).as_py() or 0)


def histogram(pairs: pa.Table) -> list[dict[str, Any]]:
    """Scored pairs per whole match weight (bin ``w`` holds weights in [w, w + 1))."""
    if not pairs.num_rows:
        return []
    bins = pc.floor(pairs["match_weight"]).cast(pa.int64())
    counted = pc.value_counts(bins)
    found = {int(v["values"]): int(v["counts"]) for v in counted.to_pylist()}
    return [{"match_weight": w, "pairs": found[w]} for w in sorted(found)]


def build(notes: dict[str, Any], model: dict[str, Any], pairs: pa.Table,
          cut: float) -> dict[str, Any]:
    """The diagnostics of one linking run."""
    return {"records": notes["records"],
            "estimated_prior": notes["estimated_prior"],
            "prior": model["probability_two_random_records_match"],
            "prior_rules": notes["prior_rules"], "em": notes["em"],
            "threshold": cut, "threshold_weight": round(threshold_weight(cut), 2),
            "pairs_near_threshold": near_threshold(pairs, cut),
            "levels": levels(model), "histogram": histogram(pairs),
            "warnings": notes["warnings"]}


def save(found: dict[str, Any], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE
    staged = path.with_suffix(".tmp")
    staged.write_text(json.dumps(found, indent=1), encoding="utf-8")
    os.chmod(staged, 0o600)
    staged.replace(path)
    return path


def load(folder: Path) -> dict[str, Any] | None:
    """The last DuckDB run's diagnostics, or None (none saved, or unreadable)."""
    try:
        return dict(json.loads((folder / FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None
