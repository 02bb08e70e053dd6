"""Time to build the public release of a synthetic country (goal: under 60 s at 1M).

    .venv/bin/python bench/release.py [--children 100000 1000000] [--seed 1]
        [--workspace WS ...] [--keep]

For each size: build the country (generate + ingest, bench/country.py), or reuse the
``--workspace`` given in the same position, then time ``build_release(ws, "2025")``:
the indicators with every published breakdown and the quarterly series, the joint
suppression (its LP count) and the atomic write. Prints a table and one
``RESULT {json}`` line per size.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from country import build  # noqa: E402  (bench/ is not a package)
from endvac.release import build_release
from endvac.workspace import open_workspace


def measure(children: int, seed: int, workspace: Path | None, scratch: Path) -> dict[str, Any]:
    build_seconds = None
    if workspace is None:
        ws, build_seconds = build(scratch / f"children-{children}", children, seed)
    else:
        ws = open_workspace(workspace)
    started = time.perf_counter()
    summary = build_release(ws, "2025")
    seconds = time.perf_counter() - started
    return {"children": children, "seed": seed, "build_seconds": build_seconds,
            "release_seconds": round(seconds, 2), "release": summary.number,
            "count_cells": summary.cells, "rows": sum(summary.tables.values()),
            **{f"suppressed_{k}": v for k, v in summary.suppressed.items()},
            "lps": summary.lps, "unprotected": summary.unprotected}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workspace", type=Path, nargs="*", default=[])
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="endvac-bench-release-"))
    results = []
    try:
        for i, children in enumerate(args.children):
            given = args.workspace[i] if i < len(args.workspace) else None
            results.append(measure(children, args.seed, given, scratch))
            print("RESULT " + json.dumps(results[-1]), flush=True)
    finally:
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print(f"{'children':>10} {'release s':>10} {'cells':>7} {'primary':>8} {'secondary':>10} "
          f"{'derived':>8} {'LPs':>6}")
    for r in results:
        print(f"{r['children']:>10,} {r['release_seconds']:>10} {r['count_cells']:>7} "
              f"{r['suppressed_primary']:>8} {r['suppressed_secondary']:>10} "
              f"{r['suppressed_derived']:>8} {r['lps']:>6}")


if __name__ == "__main__":
    main()
