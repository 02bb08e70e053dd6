"""Shared by the benchmarks: a synthetic country generated and ingested into a workspace."""

from __future__ import annotations

import csv
import time
from pathlib import Path

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
