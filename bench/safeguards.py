"""Safeguard rules on the synthetic country: every rule, as of the census date.

    .venv/bin/python bench/safeguards.py [--children 100000 1000000] [--seed 1] [--keep]

For each size: build the country (generate + ingest; timed apart), then time,
in this process, ``evaluate`` of every rule as of 2025-12-31 twice: before
linkage (each record a child) and with the generator's true persons in place of
linkage; and, as the floor, one plain DuckDB scan of the detentions and events
tables. Prints a table and one ``RESULT {json}`` line per size. Goal (issue 6):
all rules under 30 s at 1M children on 2 cores — a target, not a gate.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from endvac.facts.derived import materialise
from endvac.safeguards.alerts import evaluate
from endvac.workspace import open_workspace

sys.path.insert(0, str(Path(__file__).parent))
from country import build, true_persons  # noqa: E402  (bench/ is not a package)

AS_OF = date(2025, 12, 31)


def measure(children: int, seed: int, root: Path, workspace: Path | None = None,
            country: Path | None = None) -> dict[str, Any]:
    if workspace is not None and country is not None:
        ws, build_seconds, country_dir = open_workspace(workspace), None, country
    else:
        ws, build_seconds = build(root, children, seed)
        country_dir = root / "country"
    persons = true_persons(country_dir)
    out: dict[str, Any] = {"children": children, "cores": os.cpu_count(),
                           "build_seconds": build_seconds}
    with ws.analytic(read_only=True) as con:
        started = time.perf_counter()
        con.execute("SELECT basis, count(*) FROM f_detentions GROUP BY 1").fetchall()
        con.execute("SELECT event_type, count(*) FROM f_events GROUP BY 1").fetchall()
        out["floor_seconds"] = time.perf_counter() - started
        for label, person_map in (("unlinked", None), ("true_persons", persons)):
            started = time.perf_counter()
            facts = materialise(con, person_map, today=AS_OF)
            out[f"{label}_facts_seconds"] = time.perf_counter() - started
            started = time.perf_counter()
            report = evaluate(facts, ws.profile(), ws.config.counting, AS_OF)
            out[f"{label}_seconds"] = time.perf_counter() - started
            out[f"{label}_over_floor"] = out[f"{label}_seconds"] / out["floor_seconds"]
            out[f"{label}_alerts"] = len(report.alerts)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--workspace", type=Path, help="reuse this workspace (first size)")
    parser.add_argument("--country", type=Path, help="its synthetic country (for the truth)")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="endvac-bench-safeguards-"))
    print(f"{'children':>10} {'unlinked s':>11} {'alerts':>8} {'true persons s':>15} "
          f"{'alerts':>8} {'floor s':>8}")
    try:
        for index, children in enumerate(args.children):
            reuse = (args.workspace, args.country) if index == 0 else (None, None)
            result = measure(children, args.seed, out / str(children), *reuse)
            print(f"{children:>10} {result['unlinked_seconds']:>11.2f} "
                  f"{result['unlinked_alerts']:>8} {result['true_persons_seconds']:>15.2f} "
                  f"{result['true_persons_alerts']:>8} {result['floor_seconds']:>8.3f}")
            print("RESULT " + json.dumps(result), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
