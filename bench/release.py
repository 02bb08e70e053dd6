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

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from country import build, measure_sizes  # noqa: E402  (bench/ is not a package)
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
    results = measure_sizes(__doc__.splitlines()[0], [100_000, 1_000_000], "release", measure)
    print(f"{'children':>10} {'release s':>10} {'cells':>7} {'primary':>8} {'secondary':>10} "
          f"{'derived':>8} {'LPs':>6}")
    for r in results:
        print(f"{r['children']:>10,} {r['release_seconds']:>10} {r['count_cells']:>7} "
              f"{r['suppressed_primary']:>8} {r['suppressed_secondary']:>10} "
              f"{r['suppressed_derived']:>8} {r['lps']:>6}")


if __name__ == "__main__":
    main()
