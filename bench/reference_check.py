"""The engine against the independent pandas reference (bench/reference/) on a synthetic
country, for two years: every indicator, nationally and in every single breakdown.

    .venv/bin/python bench/reference_check.py [--children 100000] [--seed 1]
        [--workspace WS] [--years 2024 2025] [--keep]

Builds the country (generate + ingest, bench/country.py) or reuses ``--workspace``,
derives the facts once (no linkage, read as of 2026-12-31, as the reference reads
them), then for each year runs the engine with every single breakdown and the
reference (written from the spec alone; it imports nothing of endvac) and compares
the numerator and denominator of every cell the reference lists. A cell only the
engine lists must hold only children left out as unknown (numerator 0, no
denominator unless a population rate's, some unknown) — as in
tests/test_reference_compare.py. Prints one line a year (cells compared, mismatches,
seconds of each side), every mismatch, and a ``RESULT {json}`` line; exits 1 on any
mismatch.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from country import build  # noqa: E402  (bench/ is not a package)
from endvac.facts.derived import materialise
from endvac.indicators.definitions import BREAKDOWNS
from endvac.indicators.engine import Request, run_indicators
from endvac.indicators.periods import Period
from endvac.indicators.results import Result
from endvac.workspace import Workspace, open_workspace
from reference import compute as reference_compute

TODAY = date(2026, 12, 31)
Key = tuple[str, tuple[tuple[str, str], ...]]


def _engine(ws: Workspace, years: list[int]) -> tuple[dict[int, dict[Key, Result]], float]:
    out: dict[int, dict[Key, Result]] = {}
    started = time.perf_counter()
    with ws.analytic(read_only=True) as con:
        facts = materialise(con, today=TODAY)
        for year in years:
            request = Request(Period(date(year, 1, 1), date(year, 12, 31)),
                              groupings=((), *((d,) for d in BREAKDOWNS)))
            out[year] = {(r.id, tuple(sorted(r.by.items()))): r
                         for r in run_indicators(facts, ws.config.counting,
                                                 int(ws.profile().value("macr")), request)}
    return out, time.perf_counter() - started


def compare(engine: dict[Key, Result], reference: dict[Key, dict[str, Any]]) -> list[str]:
    """Every disagreement, one line each (empty: they agree)."""
    problems = [f"{k}: only the reference lists it" for k in sorted(set(reference) - set(engine))]
    for key in sorted(set(engine) - set(reference)):
        r = engine[key]
        if r.numerator != 0 or (r.unit != "per_100000" and r.denominator) or not r.unknown:
            problems.append(f"{key}: only the engine lists it, and it counts someone "
                            f"({r.numerator}/{r.denominator}, unknown {r.unknown})")
    for key in sorted(set(reference) & set(engine)):
        ours = (engine[key].numerator, engine[key].denominator)
        theirs = (reference[key]["numerator"], reference[key]["denominator"])
        if ours != theirs:
            problems.append(f"{key}: engine {ours}, reference {theirs}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workspace", type=Path, help="reuse this workspace")
    parser.add_argument("--years", type=int, nargs="+", default=[2024, 2025])
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    scratch = None
    if args.workspace is not None:
        ws = open_workspace(args.workspace)
    else:
        scratch = Path(tempfile.mkdtemp(prefix="endvac-bench-reference-"))
        ws, _ = build(scratch / f"children-{args.children}", args.children, args.seed)
    try:
        engine, engine_seconds = _engine(ws, args.years)
        result: dict[str, Any] = {"children": args.children, "engine_seconds": engine_seconds,
                                  "years": {}, "load": os.getloadavg()[0]}
        failed = False
        for year in args.years:
            started = time.perf_counter()
            rows = reference_compute(ws.analytic_path, date(year, 1, 1), date(year, 12, 31))
            seconds = time.perf_counter() - started
            reference = {(r["id"], tuple(sorted(r["by"].items()))): r for r in rows}
            problems = compare(engine[year], reference)
            failed = failed or bool(problems)
            print(f"{year}: {len(reference)} reference cells, {len(engine[year])} engine cells, "
                  f"{len(problems)} mismatches; reference {seconds:.1f} s", flush=True)
            for line in problems:
                print("  MISMATCH " + line)
            result["years"][year] = {"reference_cells": len(reference),
                                     "engine_cells": len(engine[year]),
                                     "mismatches": len(problems), "reference_seconds": seconds}
        print(f"engine (facts once, {len(args.years)} years, every breakdown): "
              f"{engine_seconds:.1f} s; load average {os.getloadavg()[0]:.1f}")
        print("RESULT " + json.dumps(result), flush=True)
    finally:
        if scratch is not None and not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
