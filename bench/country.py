"""Shared by the benchmarks: a synthetic country generated and ingested into a workspace."""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa

from endvac.ingest.load import ingest
from endvac.synth import generate
from endvac.workspace import Workspace, init_workspace


def build(root: Path, children: int, seed: int) -> tuple[Workspace, float]:
    """Generate the country under ``root`` and ingest every delivery; (workspace, seconds)."""
    started = time.perf_counter()
    generate(root / "country", children, seed)
    ws = init_workspace(root / "ws")
    for name in (root / "country" / "deliveries.txt").read_text(encoding="utf-8").split():
        ingest(ws, root / "country" / name)
    return ws, time.perf_counter() - started


def true_persons(country: Path) -> pa.Table:
    """The generator's true person of every record (agency, record_id, person)."""
    with open(country / "truth" / "persons.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return pa.table({k: [r[k] for r in rows] for k in ("agency", "record_id", "person")})


Measure = Callable[[int, int, "Path | None", Path], dict[str, Any]]


def measure_sizes(description: str, default_sizes: list[int], prefix: str,
                  measure: Measure) -> list[dict[str, Any]]:
    """Parse --children/--seed/--workspace/--keep, run ``measure(children, seed, given
    workspace or None, scratch folder)`` for each size (printing each result as a RESULT
    line at once) and remove the scratch folder unless --keep."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--children", type=int, nargs="+", default=default_sizes)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workspace", type=Path, nargs="*", default=[])
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix=f"endvac-bench-{prefix}-"))
    results: list[dict[str, Any]] = []
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
    return results
