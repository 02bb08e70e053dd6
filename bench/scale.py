"""The four national-scale figures of issue 15 at one size, each with the ratio to the
same machine's floor measured in the same process just before it.

    .venv/bin/python bench/scale.py [--children 1000000] [--seed 1] [--workspace WS]
        [--out DIR] [--keep] [--skip-publish]

Build the country (generate + ingest, bench/country.py; or reuse ``--workspace``),
then time, in this process:

1. **facts**: ``materialise`` on a read-only connection (no linkage: each record a
   child) — goal < 5 s at 1M children;
2. **indicators**: every indicator × the national total and every single breakdown
   of 2025 (``run_indicators`` on those facts) — goal < 10 s;
3. **safeguards**: every safeguard rule as of 2025-12-31 (``evaluate``) — goal < 10 s;
4. **publish**: ``publish(ws, [2024, 2025])`` (facts, two years of indicators with
   safeguard rates and equity, alerts once per year end, the quarterly series, the
   Parquet files) — goal < 60 s; its steps are timed from its progress messages.

The **floor** is the plain scan the other benches use: ``SELECT event_type, count(*)
FROM f_events GROUP BY 1`` on the stored events table (the median of three runs),
measured before each figure. Each figure is printed with its wall seconds, the CPU
seconds of this process over it (``time.process_time``: every DuckDB thread; on a
loaded machine the wall time stretches, the CPU time much less) and the 1-minute load
average (``os.getloadavg``) at its start and end: the machine may be shared. One
``RESULT {json}`` line at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from country import build  # noqa: E402  (bench/ is not a package)
from endvac.facts.derived import Facts, materialise
from endvac.indicators.definitions import BREAKDOWNS
from endvac.indicators.engine import Request, run_indicators
from endvac.indicators.periods import Period
from endvac.publish import publish
from endvac.safeguards.alerts import evaluate
from endvac.workspace import Workspace, open_workspace

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))
TODAY = date(2026, 12, 31)  # the records are read as of a fixed day
GOALS = {"facts": 5.0, "indicators": 10.0, "safeguards": 10.0, "publish": 60.0}


def floor_seconds(ws: Workspace) -> float:
    """The median of three plain scans of the events table grouped by type."""
    times = []
    with ws.analytic(read_only=True) as con:
        for _ in range(3):
            started = time.perf_counter()
            con.execute("SELECT event_type, count(*) FROM f_events GROUP BY 1").fetchall()
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def _figure(ws: Workspace, name: str, step: Callable[[], Any]) -> dict[str, Any]:
    floor = floor_seconds(ws)
    load_before = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    step()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    row = {"figure": name, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
           "goal": GOALS[name],
           "met": seconds < GOALS[name], "floor_seconds": round(floor, 4),
           "ratio": round(seconds / floor, 1),
           "load": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
    met = "yes" if row["met"] else "no"
    print(f"{name:>11} {seconds:>9.2f} {cpu:>7.2f} {GOALS[name]:>6.0f} {met:>4} "
          f"{floor:>8.4f} {row['ratio']:>9.1f}   {load_before:.2f} → {os.getloadavg()[0]:.2f}",
          flush=True)
    return row


STEP_NAMES = ("deriving facts", "alerts", "safeguard rates", "series", "writing")


def _steps(messages: list[tuple[float, str]], end: float) -> dict[str, float]:
    """Seconds from each progress message to the next, summed by kind of step (the
    engine's counted messages are the year's indicators)."""
    out: dict[str, float] = {}
    for (at, message), (following, _) in zip(messages, [*messages[1:], (end, "")],
                                              strict=True):
        kind = next((n for n in STEP_NAMES if message.startswith(n)),
                    "indicators" if message.startswith("[") else message)
        out[kind] = round(out.get(kind, 0.0) + following - at, 2)
    return out


def measure(ws: Workspace, children: int, skip_publish: bool) -> dict[str, Any]:
    result: dict[str, Any] = {"children": children, "cores": os.cpu_count()}
    with ws.analytic(read_only=True) as con:
        result["events"] = int(con.execute("SELECT count(*) FROM events").fetchone()[0])
    print(f"{'figure':>11} {'seconds':>9} {'cpu s':>7} {'goal':>6} {'met':>4} {'floor s':>8} "
          f"{'ratio':>9}   load (1 min) start → end")
    figures = []
    holder: dict[str, Facts] = {}
    with ws.analytic(read_only=True) as con:
        figures.append(_figure(ws, "facts", lambda: holder.update(
            facts=materialise(con, today=TODAY))))
        facts = holder["facts"]
        request = Request(YEAR, groupings=((), *((d,) for d in BREAKDOWNS)))
        cells: list[int] = []
        figures.append(_figure(ws, "indicators", lambda: cells.append(len(run_indicators(
            facts, ws.config.counting, int(ws.profile().value("macr")), request)))))
        alerts: list[int] = []
        figures.append(_figure(ws, "safeguards", lambda: alerts.append(len(evaluate(
            facts, ws.profile(), ws.config.counting, YEAR.end).alerts))))
    result.update(cells=cells[0], alerts=alerts[0])
    if not skip_publish:
        messages: list[tuple[float, str]] = []

        def run_publish() -> None:
            summary = publish(ws, [2024, 2025], lambda m: messages.append(
                (time.perf_counter(), m)), today=TODAY)
            result["publish_tables"] = summary.tables
            result["publish_steps"] = _steps(messages, time.perf_counter())

        figures.append(_figure(ws, "publish", run_publish))
        print("publish steps (s): " + ", ".join(
            f"{k} {v}" for k, v in result["publish_steps"].items()))
    result["figures"] = figures
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workspace", type=Path, help="reuse this workspace")
    parser.add_argument("--out", type=Path, help="build the country here (kept)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    parser.add_argument("--skip-publish", action="store_true")
    args = parser.parse_args()
    scratch = None
    if args.workspace is not None:
        ws = open_workspace(args.workspace)
        build_seconds = None
    else:
        scratch = args.out or Path(tempfile.mkdtemp(prefix="endvac-bench-scale-"))
        ws, build_seconds = build(scratch / f"children-{args.children}", args.children,
                                  args.seed)
        print(f"built {args.children:,} children in {build_seconds:.1f} s: {ws.root}")
    try:
        result = measure(ws, args.children, args.skip_publish)
        result["build_seconds"] = build_seconds
        print("RESULT " + json.dumps(result), flush=True)
    finally:
        if scratch is not None and args.out is None and not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
