"""Ingest throughput on the synthetic country, against a plain DuckDB read_csv floor.

    .venv/bin/python bench/ingest.py [--children 100000 1000000] [--seed 1] [--out DIR] [--keep]

For each size: generate the country (timed apart), read every CSV of every
delivery with DuckDB's own ``read_csv`` into a fresh DuckDB file (the floor),
then init a fresh workspace and ingest every delivery in order with
``endvac.ingest.load.ingest``.  Prints an aligned table and one ``RESULT {json}``
line per size; exits 1 when the rows do not reconcile.  See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from endvac.ingest.load import ingest
from endvac.ingest.result import IngestResult
from endvac.progress import parse_counted
from endvac.synth import generate
from endvac.workspace import init_workspace

FLOOR_OPTIONS = ("all_varchar = true, header = true, ignore_errors = true, "
                 "null_padding = true, strict_mode = false")
MB = 1024 * 1024


@dataclass
class Floor:
    """What plain read_csv did with the same files."""

    seconds: float
    rows: int  # every data row read, manifest.csv files included
    manifest_rows: int  # the part of ``rows`` endvac keeps out of rows_in
    files: int
    peak_rss_mb: float


@dataclass
class Endvac:
    """What endvac's ingest did with every delivery."""

    init_seconds: float
    ingest_seconds: float
    results: list[IngestResult]
    peak_rss_mb: float
    seconds_by_file: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return self.init_seconds + self.ingest_seconds

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for r in self.results for f in r.files)


def reset_peak_rss() -> None:
    """Start a new high-water mark of resident memory (Linux; a no-op elsewhere)."""
    gc.collect()
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_rss_mb() -> float:
    """Resident-memory high-water mark since reset_peak_rss (else of the process), MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return process_peak_rss_mb()


def process_peak_rss_mb() -> float:
    """The process's peak resident memory so far (getrusage), MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MB if platform.system() == "Darwin" else peak / 1024


def delivery_folders(synthetic: Path) -> list[Path]:
    """The delivery folders listed in deliveries.txt, in ingest order."""
    names = (synthetic / "deliveries.txt").read_text(encoding="utf-8").split()
    return [synthetic / name for name in names]


def read_floor(folders: list[Path], db_path: Path) -> Floor:
    """Every CSV of every delivery through plain read_csv, one CREATE TABLE AS per file."""
    files = [path for folder in folders for path in sorted(folder.glob("*.csv"))]
    reset_peak_rss()
    rows = manifest_rows = 0
    start = time.perf_counter()
    con = duckdb.connect(str(db_path))
    try:
        for index, path in enumerate(files):
            sql = f"CREATE TABLE file_{index} AS SELECT * FROM read_csv(?, {FLOOR_OPTIONS})"
            created = con.execute(sql, [str(path)]).fetchone()  # CTAS answers its row count
            count = int(created[0]) if created else 0
            rows += count
            manifest_rows += count if path.name == "manifest.csv" else 0
    finally:
        con.close()
    seconds = time.perf_counter() - start
    return Floor(seconds, rows, manifest_rows, len(files), peak_rss_mb())


def run_endvac(folders: list[Path], root: Path) -> Endvac:
    """Init a fresh workspace at ``root`` and ingest every delivery in order."""
    reset_peak_rss()
    start = time.perf_counter()
    workspace = init_workspace(root)
    init_seconds = time.perf_counter() - start
    clock = FileClock()
    results = []
    start = time.perf_counter()
    for folder in folders:
        results.append(ingest(workspace, folder, progress=clock))
        clock.stop()
    ingest_seconds = time.perf_counter() - start
    return Endvac(init_seconds, ingest_seconds, results, peak_rss_mb(), clock.by_file())


class FileClock:
    """A progress callback timing each file from 'reading X' to the next message or the end.

    A file's time is reading it in Python, typing, checking and loading it; the
    time after a delivery's last file (identifier staging, bookkeeping, commit)
    and before its first (discovery, fingerprint, opening the store) go to
    '(delivery overhead)'.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._open: str | None = None
        self._since = time.perf_counter()

    def __call__(self, message: str) -> None:
        self._lap("(delivery overhead)")
        step = parse_counted(message)   # "[3/12] reading events.csv"
        message = step.message if step else message
        if message.startswith("reading "):
            self._open = message.removeprefix("reading ").split()[0].removesuffix(".csv")

    def stop(self) -> None:
        self._lap("(delivery overhead)")

    def _lap(self, idle: str) -> None:
        now = time.perf_counter()
        self.seconds[self._open or idle] += now - self._since
        self._since, self._open = now, None

    def by_file(self) -> dict[str, float]:
        return dict(sorted(self.seconds.items(), key=lambda kv: -kv[1]))


def reconciliation(endvac: Endvac) -> tuple[bool, str]:
    """rows_in == loaded + quarantined + duplicates, over all files and for each file."""
    rows_in, loaded = endvac.total("rows_in"), endvac.total("loaded")
    quarantined, duplicates = endvac.total("quarantined"), endvac.total("duplicates")
    bad = [f"{r.source.name}/{f.file}" for r in endvac.results for f in r.files
           if not f.reconciles]
    ok = rows_in == loaded + quarantined + duplicates and not bad
    line = (f"reconciliation: rows_in {rows_in:,} == loaded {loaded:,} + quarantined "
            f"{quarantined:,} + duplicates {duplicates:,}: {'ok' if ok else 'FAILED'}")
    if bad:
        line += f" (files that do not reconcile: {', '.join(bad)})"
    return ok, line


def measure(children: int, seed: int, base: Path) -> tuple[dict[str, Any], bool]:
    """One size: generate, floor, endvac; the RESULT record and whether rows reconcile."""
    run = run_folder(base, children, seed)
    print(f"== {children:,} children, seed {seed}: {run}", flush=True)
    start = time.perf_counter()
    summary = generate(run / "synthetic", children, seed)
    generate_seconds = time.perf_counter() - start
    folders = delivery_folders(run / "synthetic")
    print(f"generated in {generate_seconds:.1f} s", flush=True)
    floor = read_floor(folders, run / "floor.duckdb")
    (run / "floor.duckdb").unlink(missing_ok=True)
    print(f"floor read_csv in {floor.seconds:.1f} s", flush=True)
    endvac = run_endvac(folders, run / "workspace")
    print(f"endvac ingest in {endvac.seconds:.1f} s", flush=True)
    ok, line = reconciliation(endvac)
    print(line)
    rows_in = endvac.total("rows_in")
    print(f"rows: floor read {floor.rows:,} ({floor.manifest_rows} of them manifest rows, "
          f"which endvac keeps out of rows_in); endvac rows_in {rows_in:,}; "
          f"difference {floor.rows - floor.manifest_rows - rows_in:+,}")
    slowest = list(endvac.seconds_by_file.items())[:6]
    print("endvac seconds by file kind: " + ", ".join(f"{k} {v:.1f}" for k, v in slowest))
    record = result_record(children, seed, generate_seconds, floor, endvac)
    record["synthetic_bytes"] = folder_bytes(run / "synthetic")
    record["invalid_rows_planted"] = summary.invalid_rows
    return record, ok


def run_folder(base: Path, children: int, seed: int) -> Path:
    return base / f"children-{children}-seed-{seed}"


def result_record(children: int, seed: int, generate_seconds: float, floor: Floor,
                  endvac: Endvac) -> dict[str, Any]:
    rows_in = endvac.total("rows_in")
    return {
        "children": children, "seed": seed, "cores": os.cpu_count(),
        "deliveries": len(endvac.results), "files": floor.files,
        "rows_in": rows_in, "loaded": endvac.total("loaded"),
        "quarantined": endvac.total("quarantined"), "duplicates": endvac.total("duplicates"),
        "endvac_seconds": round(endvac.seconds, 3),
        "endvac_init_seconds": round(endvac.init_seconds, 3),
        "endvac_rows_per_second": round(rows_in / endvac.seconds),
        "floor_seconds": round(floor.seconds, 3), "floor_rows": floor.rows,
        "floor_manifest_rows": floor.manifest_rows,
        "floor_rows_per_second": round(floor.rows / floor.seconds),
        "ratio": round(endvac.seconds / floor.seconds, 2),
        "generate_seconds": round(generate_seconds, 3),
        "endvac_peak_rss_mb": round(endvac.peak_rss_mb),
        "floor_peak_rss_mb": round(floor.peak_rss_mb),
        "process_peak_rss_mb": round(process_peak_rss_mb()),
        "endvac_seconds_by_file": {k: round(v, 2) for k, v in endvac.seconds_by_file.items()},
    }


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


COLUMNS = [  # header, RESULT key, format
    ("children", "children", "{:,}"), ("cores", "cores", "{}"), ("rows", "rows_in", "{:,}"),
    ("endvac s", "endvac_seconds", "{:.1f}"), ("endvac rows/s", "endvac_rows_per_second", "{:,}"),
    ("floor s", "floor_seconds", "{:.1f}"), ("floor rows/s", "floor_rows_per_second", "{:,}"),
    ("ratio", "ratio", "{:.1f}x"), ("generate s", "generate_seconds", "{:.1f}"),
    ("endvac peak MB", "endvac_peak_rss_mb", "{:,}"),
    ("process peak MB", "process_peak_rss_mb", "{:,}"),
]


def table(records: list[dict[str, Any]]) -> str:
    """The records as an aligned text table."""
    cells = [[h for h, _, _ in COLUMNS]]
    cells += [[fmt.format(r[key]) for _, key, fmt in COLUMNS] for r in records]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, nargs="+", default=[100_000, 1_000_000],
                        help="sizes of the synthetic country (default: 100000 1000000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default: 1)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the generated files and workspaces (kept); "
                        "default: a temp folder removed afterwards")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temp folder (its path is printed)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    base = args.out or Path(tempfile.mkdtemp(prefix="endvac-bench-"))
    taken = [run_folder(base, n, args.seed) for n in args.children
             if run_folder(base, n, args.seed).exists()]
    if taken:
        print(f"{taken[0]} exists: give another --out or remove it", file=sys.stderr)
        return 2
    base.mkdir(parents=True, exist_ok=True)
    records, all_ok = [], True
    try:
        for children in args.children:
            record, ok = measure(children, args.seed, base)
            all_ok = all_ok and ok
            records.append(record)
            print("RESULT " + json.dumps(record), flush=True)
    finally:
        if args.out is None and not args.keep:
            shutil.rmtree(base, ignore_errors=True)
        elif args.out is None:
            print(f"kept {base}")
    print()
    print(table(records))
    if not all_ok:
        print("FAILED: rows_in != loaded + quarantined + duplicates", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
