"""Identifier encoding throughput against clkhash, and the time to build a release.

    .venv/bin/python bench/privacy.py [--children 100000 1000000] [--seed 1] [--sample N]
        [--cold N] [--clkhash-python PY] [--release | --no-release] [--keep]

For each size: the synthetic country (generated, or generated and ingested by
bench/country.py's ``build`` when the release is timed), then

1. **release** (``--release``, the default): ``endvac.release.build_release(ws, "2025")``
   on the ingested workspace (goal: under 60 s at 1,000,000 children);
2. **endvac**: every row of every delivery's ``children.csv`` (the records), its five
   identifiers encoded exactly as ingest does: one
   ``endvac.encoding.records.protect(ids, keys, lambda: key, "bench")`` per file, under a
   fresh random key (goal: at least 50,000 records/s);
3. **cold**: the same on unique random strings of the same lengths under another fresh
   key, so no value is ever seen twice (the encoder caches repeated values);
4. **clkhash**: the same records (or the first ``--sample``) written to a CSV and encoded
   by clkhash's ``generate_clks`` in a subprocess of a separate interpreter (clkhash does
   not install into the project's venv), 1024-bit CLKs, bigrams, 5 bits per token,
   doubleHash; timed inside the subprocess, with all cores and with one.

Prints the tables and one ``RESULT {json}`` line per size.  See bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import gc
import hashlib
import json
import os
import random
import shutil
import string
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).parent))
from country import build  # noqa: E402  (bench/ is not a package)
from endvac.encoding.encode import encoder
from endvac.encoding.keys import IdentityKey
from endvac.encoding.records import protect
from endvac.interchange.spec import IDENTIFIER_FIELDS
from endvac.synth import generate

CLKHASH_VENV = Path("/tmp/endvac-clkhash")
RECORDS_GOAL = 50_000  # records per second
RELEASE_GOAL = 60.0  # seconds at 1,000,000 children
COLD_ALPHABET = string.ascii_letters + string.digits + " "

# What clkhash is asked to do: per field, the bigrams of the value (padded), 5 bits each,
# double hashing, into one 1024-bit CLK per record (endvac: one 1024-bit filter per field).
CLKHASH_SCHEMA: dict[str, Any] = {
    "version": 3,
    "clkConfig": {"l": 1024, "kdf": {"type": "HKDF", "hash": "SHA256", "keySize": 64}},
    "features": [
        {"identifier": name,
         "format": {"type": "string", "encoding": "utf-8"},
         "hashing": {"comparison": {"type": "ngram", "n": 2},
                     "strategy": {"bitsPerToken": 5},
                     "hash": {"type": "doubleHash"}}}
        for name in IDENTIFIER_FIELDS
    ],
}

# Runs under the clkhash interpreter: read the CSV, then time generate_clks only.
CLKHASH_DRIVER = '''
import csv, json, os, sys, time
from importlib import metadata
from clkhash import clk, schema as clkschema

def main():
    data, schema_path, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(schema_path, encoding="utf-8") as handle:
        schema = clkschema.from_json_file(handle)
    with open(data, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        rows = [tuple(row) for row in reader]
    secret = os.urandom(32)
    started = time.perf_counter()
    clks = clk.generate_clks(rows, schema, secret, validate=False, max_workers=workers)
    seconds = time.perf_counter() - started
    ones = sum(c.count(1) for c in clks)
    print(json.dumps({"seconds": seconds, "records": len(clks), "version":
                      metadata.version("clkhash"), "mean_popcount": ones / max(len(clks), 1)}))

if __name__ == "__main__":
    main()
'''


@dataclass
class ChildrenFile:
    """One delivery's children.csv as ingest hands it to protect."""

    delivery: str
    ids: pa.Table  # _row, _hash, the five identifiers (None when empty)
    keys: pa.Table  # agency, record_id

    @property
    def records(self) -> int:
        return self.ids.num_rows

    @property
    def values(self) -> int:
        return sum(self.ids.num_rows - self.ids.column(f).null_count for f in IDENTIFIER_FIELDS)

    def head(self, rows: int) -> ChildrenFile:
        return ChildrenFile(self.delivery, self.ids.slice(0, rows), self.keys.slice(0, rows))


def read_records(country: Path) -> list[ChildrenFile]:
    """Every children.csv of every delivery in deliveries.txt, in that order."""
    files = []
    for name in (country / "deliveries.txt").read_text(encoding="utf-8").split():
        path = country / name / "children.csv"
        if not path.exists():
            continue
        # ingest reads undecodable bytes as U+FFFD (bad_encoding); so does this
        with open(path, encoding="utf-8", errors="replace", newline="") as handle:
            rows = list(csv.DictReader(handle))
        columns: dict[str, Any] = {
            "_row": pa.array(range(2, len(rows) + 2), pa.int64()),
            "_hash": pa.array([hashlib.blake2b("\x1f".join(map(str, r.values())).encode(),
                                               digest_size=12).hexdigest() for r in rows]),
        }
        for field in IDENTIFIER_FIELDS:  # as ingest: stripped, empty cells are None
            columns[field] = pa.array([(r.get(field) or "").strip() or None for r in rows],
                                      pa.string())
        keys = pa.table({
            "agency": pa.array([(r.get("agency") or "").lower() or None for r in rows],
                               pa.string()),
            "record_id": pa.array([r.get("record_id") for r in rows], pa.string())})
        files.append(ChildrenFile(name, pa.table(columns), keys))
    return files


def head(files: list[ChildrenFile], records: int) -> list[ChildrenFile]:
    """The first ``records`` records, in file order."""
    out = []
    for f in files:
        if records <= 0:
            break
        out.append(f if f.records <= records else f.head(records))
        records -= f.records
    return out


def encode_seconds(files: list[ChildrenFile]) -> float:
    """protect() of every file under a fresh key (a fresh encoder: empty caches); the
    seconds of the protect calls only.  Checks that every value got a token."""
    key = IdentityKey(os.urandom(32))
    seconds = 0.0
    for f in files:
        started = time.perf_counter()
        encoded, bad, _ = protect(f.ids, f.keys, lambda: key, "bench")
        seconds += time.perf_counter() - started
        tokens = sum(encoded.num_rows - encoded.column(f"{n}_token").null_count
                     for n in IDENTIFIER_FIELDS)
        if bad or tokens != f.values:
            raise RuntimeError(f"{f.delivery}: {tokens} tokens for {f.values} values, "
                               f"{len(bad)} bad")
        del encoded
    return seconds


def cold_records(files: list[ChildrenFile], count: int, seed: int) -> list[ChildrenFile]:
    """``count`` records of unique random strings, each as long as the real value at the
    same place but at least 6 characters (None stays None): no value repeats in a field."""
    rng = random.Random(seed)
    sample = head(files, count)
    out = []
    seen: dict[str, set[str]] = {n: set() for n in IDENTIFIER_FIELDS}
    for f in sample:
        columns: dict[str, Any] = {"_row": f.ids.column("_row"), "_hash": f.ids.column("_hash")}
        for name in IDENTIFIER_FIELDS:
            values = []
            for value in f.ids.column(name).to_pylist():
                if value is None:
                    values.append(None)
                    continue
                length = max(len(value), 6)
                fresh = "".join(rng.choices(COLD_ALPHABET, k=length))
                while fresh in seen[name]:
                    fresh = "".join(rng.choices(COLD_ALPHABET, k=length))
                seen[name].add(fresh)
                values.append(fresh)
            columns[name] = pa.array(values, pa.string())
        out.append(ChildrenFile(f.delivery, pa.table(columns), f.keys))
    return out


def clkhash_python(given: Path | None) -> tuple[Path | None, str]:
    """The interpreter that has clkhash: the given one, or /tmp/endvac-clkhash (created
    once with python3.11 and pip).  (None, why) when there is none."""
    python = given or CLKHASH_VENV / "bin" / "python"
    if given is None and not python.exists():
        base = shutil.which("python3.11")
        if base is None:
            return None, "python3.11 not found to create the clkhash venv"
        print(f"creating {CLKHASH_VENV} and installing clkhash …", flush=True)
        for command in ([base, "-m", "venv", str(CLKHASH_VENV)],
                        [str(CLKHASH_VENV / "bin" / "pip"), "install", "-q", "clkhash"]):
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                return None, f"{' '.join(command[:3])} failed: {done.stderr.strip()[-400:]}"
    done = subprocess.run([str(python), "-c", "import clkhash"], capture_output=True, text=True)
    if done.returncode != 0:
        return None, f"{python} cannot import clkhash: {done.stderr.strip()[-400:]}"
    return python, ""


def run_clkhash(python: Path, files: list[ChildrenFile], folder: Path,
                workers: int) -> dict[str, Any]:
    """Encode the records with clkhash in a subprocess; its own timing of generate_clks."""
    data, schema, driver = folder / "clkhash.csv", folder / "schema.json", folder / "driver.py"
    if not data.exists():
        with open(data, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(IDENTIFIER_FIELDS)
            for f in files:
                columns = [f.ids.column(n).to_pylist() for n in IDENTIFIER_FIELDS]
                writer.writerows([["" if v is None else v for v in row]
                                  for row in zip(*columns, strict=True)])
        schema.write_text(json.dumps(CLKHASH_SCHEMA, indent=1), encoding="utf-8")
        driver.write_text(CLKHASH_DRIVER, encoding="utf-8")
    done = subprocess.run([str(python), str(driver), str(data), str(schema), str(workers)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"clkhash failed: {done.stderr.strip()[-600:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def release_phase(root: Path, children: int, seed: int) -> dict[str, Any] | None:
    """build (generate + ingest) then time build_release(ws, "2025"); None if the release
    module is not importable."""
    try:
        from endvac.release import build_release
    except ImportError as exc:
        print(f"release: not available ({exc})", flush=True)
        return None
    ws, build_seconds = build(root, children, seed)
    print(f"built (generate + ingest) in {build_seconds:.1f} s", flush=True)
    started = time.perf_counter()
    summary = build_release(ws, "2025")
    seconds = time.perf_counter() - started
    print(f"release built in {seconds:.1f} s", flush=True)
    return {"build_seconds": round(build_seconds, 2), "release_seconds": round(seconds, 2),
            "release_cells": summary.cells, "release_rows": sum(summary.tables.values()),
            "release_lps": summary.lps, "release_unprotected": summary.unprotected,
            "release_suppressed": dict(summary.suppressed)}


def rate(count: int, seconds: float) -> int:
    return round(count / seconds) if seconds > 0 else 0


def measure(children: int, args: argparse.Namespace, base: Path,
            python: Path | None, why_no_clkhash: str) -> dict[str, Any]:
    run = base / f"children-{children}-seed-{args.seed}"
    print(f"== {children:,} children, seed {args.seed}: {run}", flush=True)
    record: dict[str, Any] = {"children": children, "seed": args.seed, "cores": os.cpu_count()}
    released = release_phase(run, children, args.seed) if args.release else None
    if released is None:
        started = time.perf_counter()
        generate(run / "country", children, args.seed)
        record["generate_seconds"] = round(time.perf_counter() - started, 2)
    else:
        record.update(released)
        encoder.cache_clear()  # ingest's encoders (another key) and their caches
    gc.collect()

    files = read_records(run / "country")
    records, values = sum(f.records for f in files), sum(f.values for f in files)
    record.update(files=len(files), records=records, values=values)
    print(f"{records:,} records ({values:,} values) in {len(files)} children files",
          flush=True)

    seconds = encode_seconds(files)
    record.update(endvac_seconds=round(seconds, 2), endvac_records_per_second=rate(records,
                  seconds), endvac_values_per_second=rate(values, seconds))
    print(f"endvac: {seconds:.1f} s, {rate(records, seconds):,} records/s", flush=True)
    gc.collect()

    cold = cold_records(files, args.cold, args.seed)
    cold_n, cold_v = sum(f.records for f in cold), sum(f.values for f in cold)
    seconds = encode_seconds(cold)
    record.update(cold_records=cold_n, cold_values=cold_v, cold_seconds=round(seconds, 2),
                  cold_records_per_second=rate(cold_n, seconds),
                  cold_values_per_second=rate(cold_v, seconds))
    print(f"endvac cold: {cold_n:,} records of unique strings, {seconds:.1f} s, "
          f"{rate(cold_n, seconds):,} records/s", flush=True)
    del cold
    gc.collect()

    if python is None:
        print(f"clkhash: not run ({why_no_clkhash})", flush=True)
        record["clkhash_error"] = why_no_clkhash
        return record
    sample = head(files, args.sample) if args.sample else files
    sample_n = sum(f.records for f in sample)
    if sample_n < records:
        seconds = encode_seconds(sample)  # endvac on the very records clkhash gets
        print(f"endvac on the clkhash sample (first {sample_n:,} records): {seconds:.1f} s",
              flush=True)
    else:
        seconds = record["endvac_seconds"]
    record.update(sample_records=sample_n, endvac_sample_records_per_second=rate(sample_n,
                                                                                 seconds))
    del files
    gc.collect()
    for label, workers in (("", os.cpu_count() or 1), ("_1_worker", 1)):
        try:
            out = run_clkhash(python, sample, run, workers)
        except (RuntimeError, OSError, ValueError) as exc:
            print(f"clkhash ({workers} workers): {exc}", flush=True)
            record[f"clkhash{label}_error"] = str(exc)
            continue
        record["clkhash_version"] = out["version"]
        record[f"clkhash{label}_workers"] = workers
        record[f"clkhash{label}_seconds"] = round(out["seconds"], 2)
        record[f"clkhash{label}_records_per_second"] = rate(out["records"], out["seconds"])
        record[f"clkhash{label}_mean_popcount"] = round(out["mean_popcount"], 1)
        record[f"ratio{label}"] = round(record["endvac_sample_records_per_second"]
                                        / record[f"clkhash{label}_records_per_second"], 2)
        print(f"clkhash {out['version']} ({workers} workers): {out['records']:,} records in "
              f"{out['seconds']:.1f} s", flush=True)
    return record


ENCODING_COLUMNS = [  # header, RESULT key, format
    ("children", "children", "{:,}"), ("records", "records", "{:,}"),
    ("values", "values", "{:,}"), ("endvac s", "endvac_seconds", "{:.1f}"),
    ("endvac rec/s", "endvac_records_per_second", "{:,}"),
    ("endvac values/s", "endvac_values_per_second", "{:,}"),
    ("cold rec/s", "cold_records_per_second", "{:,}"),
    ("cold values/s", "cold_values_per_second", "{:,}"),
    ("clkhash records", "sample_records", "{:,}"),
    ("endvac rec/s (same)", "endvac_sample_records_per_second", "{:,}"),
    ("clkhash rec/s", "clkhash_records_per_second", "{:,}"), ("ratio", "ratio", "{:.1f}x"),
    ("clkhash 1-worker rec/s", "clkhash_1_worker_records_per_second", "{:,}"),
    ("ratio 1 worker", "ratio_1_worker", "{:.1f}x"),
]
RELEASE_COLUMNS = [
    ("children", "children", "{:,}"), ("build s", "build_seconds", "{:.1f}"),
    ("release s", "release_seconds", "{:.1f}"), ("cells", "release_cells", "{:,}"),
    ("rows", "release_rows", "{:,}"), ("LPs", "release_lps", "{:,}"),
    ("unprotected", "release_unprotected", "{:,}"),
]


def table(records: list[dict[str, Any]], columns: list[tuple[str, str, str]]) -> str:
    """The records as an aligned text table ('-' where a figure is missing)."""
    cells = [[h for h, _, _ in columns]]
    cells += [[fmt.format(r[key]) if r.get(key) is not None else "-" for _, key, fmt in columns]
              for r in records]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def goals(records: list[dict[str, Any]]) -> list[str]:
    lines = []
    for r in records:
        speed = r["endvac_records_per_second"]
        lines.append(f"{r['children']:,} children: {speed:,} records/s "
                     f"{'meets' if speed >= RECORDS_GOAL else 'misses'} the goal of "
                     f"{RECORDS_GOAL:,} (cold: {r['cold_records_per_second']:,})")
        if r.get("release_seconds") is not None:
            ok = r["release_seconds"] < RELEASE_GOAL
            lines.append(f"{r['children']:,} children: release {r['release_seconds']:.1f} s "
                         f"{'meets' if ok else 'misses'} the goal of {RELEASE_GOAL:.0f} s")
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, nargs="+", default=[100_000, 1_000_000],
                        help="sizes of the synthetic country (default: 100000 1000000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default: 1)")
    parser.add_argument("--sample", type=int, default=500_000,
                        help="clkhash encodes the first N records (default 500000; 0: all)")
    parser.add_argument("--cold", type=int, default=200_000,
                        help="records of unique random strings for the cold figure "
                        "(default 200000)")
    parser.add_argument("--clkhash-python", type=Path, default=None,
                        help=f"an interpreter with clkhash (default: {CLKHASH_VENV}/bin/python,"
                        " created once with python3.11 -m venv and pip install clkhash)")
    parser.add_argument("--release", action=argparse.BooleanOptionalAction, default=True,
                        help="build (generate + ingest) and time build_release(ws, '2025') "
                        "(default: on)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temp folder (its path is printed)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    python, why = clkhash_python(args.clkhash_python)
    if python is None:
        print(f"clkhash: not available ({why}); continuing without it", flush=True)
    base = Path(tempfile.mkdtemp(prefix="endvac-bench-privacy-"))
    records = []
    try:
        for children in args.children:
            record = measure(children, args, base, python, why)
            records.append(record)
            print("RESULT " + json.dumps(record), flush=True)
            if not args.keep:  # free the disk before the next size
                shutil.rmtree(base / f"children-{children}-seed-{args.seed}",
                              ignore_errors=True)
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    print()
    print(table(records, ENCODING_COLUMNS))
    if any(r.get("release_seconds") is not None for r in records):
        print()
        print(table(records, RELEASE_COLUMNS))
    print()
    for line in goals(records):
        print(line)
    version = next((r["clkhash_version"] for r in records if "clkhash_version" in r), None)
    if version:
        print(f"clkhash {version}: v3 schema, l 1024, per field ngram n 2, bitsPerToken 5, "
              "doubleHash, HKDF-SHA256; generate_clks(validate=False)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
