"""Indicator engine speed on the synthetic country, against a plain DuckDB scan floor
and the independent pandas reference.

    .venv/bin/python bench/indicators.py [--children 100000 1000000] [--seed 1]
        [--workspace WS] [--reference-up-to 1000000] [--out DIR] [--keep]

For each size: build the country (generate + ingest every delivery; or reuse
--workspace, which then stands for the first size only), then time, in this
process:
- the facts: ``materialise`` (derived once; goal < 5 s at 1M children);
- the engine: every indicator with the national total and every single
  breakdown (``run_indicators`` on those facts);
- the floor: one plain DuckDB scan of the events table grouped by event type;
- the pandas reference (bench/reference/) for the same period, when the size is
  at most --reference-up-to.
Prints a table and one ``RESULT {json}`` line per size: seconds, the ratio of
the engine to the floor and of the reference to the engine. Goal (issue 3):
the engine under 10 s at 1M children on 2 cores — a target, not a gate.
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
from endvac.indicators.definitions import BREAKDOWNS
from endvac.indicators.engine import Request, run_indicators
from endvac.indicators.periods import Period

sys.path.insert(0, str(Path(__file__).parent))
from country import build  # noqa: E402  (bench/ is not a package)
from endvac.workspace import Workspace, open_workspace

PERIOD = Period(date(2025, 1, 1), date(2025, 12, 31))
TODAY = date(2026, 12, 31)  # the records are read as of a fixed day


def time_engine(ws: Workspace) -> tuple[float, float, int]:
    """Seconds to derive the facts, seconds of the engine on them, cells."""
    request = Request(PERIOD, groupings=((), *((d,) for d in BREAKDOWNS)))
    with ws.analytic() as con:
        started = time.perf_counter()
        facts = materialise(con, today=TODAY)
        derived = time.perf_counter() - started
        started = time.perf_counter()
        results = run_indicators(facts, ws.config.counting, 14, request)
        return derived, time.perf_counter() - started, len(results)


def time_floor(ws: Workspace) -> tuple[float, int]:
    with ws.analytic(read_only=True) as con:
        started = time.perf_counter()
        rows = con.execute("SELECT event_type, count(*) FROM f_events GROUP BY 1").fetchall()
        seconds = time.perf_counter() - started
        events = con.execute("SELECT count(*) FROM f_events").fetchone()
    return seconds, int(events[0]) if events else sum(r[1] for r in rows)


def time_reference(ws: Workspace) -> float:
    sys.path.insert(0, str(Path(__file__).parent))
    from reference import compute

    started = time.perf_counter()
    compute(ws.analytic_path, PERIOD.start, PERIOD.end)
    return time.perf_counter() - started


def measure(children: int, seed: int, root: Path, workspace: Path | None,
            reference_up_to: int) -> dict[str, Any]:
    build_seconds = None
    if workspace is not None:
        ws = open_workspace(workspace)
    else:
        ws, build_seconds = build(root, children, seed)
    facts, engine, cells = time_engine(ws)
    floor, events = time_floor(ws)
    reference = time_reference(ws) if children <= reference_up_to else None
    return {"children": children, "events": events, "cores": os.cpu_count(),
            "build_seconds": build_seconds, "facts_seconds": facts,
            "facts_over_floor": facts / floor, "engine_seconds": engine, "cells": cells,
            "floor_seconds": floor, "engine_over_floor": engine / floor,
            "reference_seconds": reference,
            "reference_over_engine": None if reference is None else reference / engine,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workspace", type=Path)
    parser.add_argument("--reference-up-to", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="endvac-bench-indicators-"))
    print(f"{'children':>10} {'events':>10} {'facts s':>8} {'engine s':>9} {'floor s':>8} "
          f"{'ratio':>8} "
          f"{'pandas s':>9} {'pandas/engine':>13}")
    try:
        for index, children in enumerate(args.children):
            root = out / str(children)
            root.mkdir(parents=True, exist_ok=True)
            result = measure(children, args.seed, root, args.workspace if index == 0 else None,
                             args.reference_up_to)
            ref, ratio = result["reference_seconds"], result["reference_over_engine"]
            ref_text = "-" if ref is None else f"{ref:.2f}"
            ratio_text = "-" if ratio is None else f"{ratio:.1f}"
            print(f"{children:>10} {result['events']:>10} {result['facts_seconds']:>8.2f} "
                  f"{result['engine_seconds']:>9.2f} "
                  f"{result['floor_seconds']:>8.3f} {result['engine_over_floor']:>8.1f} "
                  f"{ref_text:>9} {ratio_text:>13}")
            print("RESULT " + json.dumps(result), flush=True)
            if not args.keep:
                shutil.rmtree(root, ignore_errors=True)
    finally:
        if not args.keep and args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
