"""Pathways and outcomes on the synthetic country (issue 16).

    .venv/bin/python bench/pathways.py [--children 100000 1000000] [--seed 1]
        [--bootstrap 200] [--workspace WS] [--keep]

For each size: build the country (generate + ingest; timed apart), then, in this process,
with the generator's true persons in place of linkage: derive the facts (timed apart),
create the pathway tables (``prepare``), the 2024 cohort's pathways and its outcomes
(Kaplan–Meier per group, the weighted comparisons with ``--bootstrap`` resamples). The
floor is one plain DuckDB scan of the events and detentions tables. Prints a table and
one ``RESULT {json}`` line per size. Goal (issue 16): pathways and outcomes under 30 s at
1M children on 2 cores — a target, not a gate.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from endvac.facts.derived import materialise
from endvac.indicators.periods import parse_period
from endvac.pathways.definitions import load_pathway_definitions
from endvac.pathways.flows import cohort_pathways, prepare
from endvac.pathways.outcomes import cohort_outcomes
from endvac.workspace import open_workspace

sys.path.insert(0, str(Path(__file__).parent))
from country import build, measure_sizes, true_persons  # noqa: E402  (bench/: no package)

TODAY = date(2025, 12, 31)


def _timed(out: dict[str, Any], label: str, started: float) -> float:
    now = time.perf_counter()
    out[f"{label}_seconds"] = now - started
    return now


def measure(children: int, seed: int, workspace: Path | None, scratch: Path,
            bootstrap: int = 200) -> dict[str, Any]:
    """Time one size; a given workspace's country lies beside it (``../country``)."""
    root = scratch / str(children)
    if workspace is not None:
        ws, build_seconds = open_workspace(workspace), None
        country_dir = workspace.parent / "country"
    else:
        ws, build_seconds = build(root, children, seed)
        country_dir = root / "country"
    persons = true_persons(country_dir)
    out: dict[str, Any] = {"children": children, "cores": os.cpu_count(),
                           "build_seconds": build_seconds, "bootstrap": bootstrap}
    defs, cohort = load_pathway_definitions(), parse_period("2024")
    with ws.analytic(read_only=True) as con:
        started = time.perf_counter()
        con.execute("SELECT event_type, count(*) FROM f_events GROUP BY 1").fetchall()
        con.execute("SELECT basis, count(*) FROM f_detentions GROUP BY 1").fetchall()
        started = _timed(out, "floor", started)
        facts = materialise(con, persons, today=TODAY)
        started = _timed(out, "facts", started)
        prepare(facts, defs)
        started = _timed(out, "prepare", started)
        pathways = cohort_pathways(facts, cohort, defs, prepared=True)
        started = _timed(out, "pathways", started)
        outcomes = cohort_outcomes(facts, cohort, defs=defs, prepared=True, bootstrap=bootstrap)
        _timed(out, "outcomes", started)
    out["cohort_children"] = pathways.children
    out["decisions"] = sum(r.children for r in outcomes.rows if r.months == 6)
    out["total_seconds"] = sum(out[f"{k}_seconds"] for k in ("prepare", "pathways", "outcomes"))
    out["total_over_floor"] = out["total_seconds"] / out["floor_seconds"]
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"children {children}: facts {out['facts_seconds']:.2f} s, prepare "
          f"{out['prepare_seconds']:.2f} s, pathways {out['pathways_seconds']:.2f} s, outcomes "
          f"{out['outcomes_seconds']:.2f} s; total {out['total_seconds']:.2f} s = "
          f"{out['total_over_floor']:.0f} x the floor ({out['floor_seconds']:.3f} s)", flush=True)
    return out


def main() -> int:
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--bootstrap", type=int, default=200)
    known, rest = pre.parse_known_args()
    sys.argv = [sys.argv[0], *rest]
    measure_sizes(__doc__ or "", [100_000, 1_000_000], "pathways",
                  lambda c, s, w, d: measure(c, s, w, d, known.bootstrap))
    return 0


if __name__ == "__main__":
    sys.exit(main())
