"""Snapshot folders: ``published/snapshots/N/`` holding ``snapshot.json`` (the manifest)
and one Parquet file per table. A snapshot is written into a hidden temporary folder and
renamed into place, its files made read-only, then ``published/snapshots/LATEST`` is
replaced (atomically) by the new number: a reader sees a whole snapshot or none, and a
snapshot never changes once published."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import cast

import pyarrow as pa
import pyarrow.parquet as pq

from endvac.errors import UsageError
from endvac.numbered import remove_abandoned, write_numbered
from endvac.publish.shapes import SnapshotMeta

SNAPSHOTS = Path("published") / "snapshots"
MANIFEST = "snapshot.json"
LATEST = "LATEST"
_NAME = re.compile(r"^(\d+)$")


def snapshot_numbers(root: Path) -> list[int]:
    """The numbers of the complete snapshots of a workspace folder, in order."""
    folder = root / SNAPSHOTS
    if not folder.is_dir():
        return []
    found = (_NAME.match(p.name) for p in folder.iterdir() if (p / MANIFEST).is_file())
    return sorted(int(m[1]) for m in found if m)


def latest_number(root: Path) -> int | None:
    """The newest snapshot's number (from the LATEST pointer, else the highest folder);
    cheap enough to call on every web request to see whether a new snapshot is out."""
    pointer = root / SNAPSHOTS / LATEST
    try:
        number = int(pointer.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return max(snapshot_numbers(root), default=None)
    if (root / SNAPSHOTS / str(number) / MANIFEST).is_file():
        return number
    return max(snapshot_numbers(root), default=None)


def write_snapshot(root: Path, meta: SnapshotMeta, tables: dict[str, pa.Table]
                   ) -> tuple[int, Path, SnapshotMeta]:
    """Write the next numbered snapshot atomically; returns its number, folder and manifest."""
    folder = root / SNAPSHOTS
    remove_abandoned(folder, "snapshot")  # left by a publish that was killed
    listing = {n: {"file": f"{n}.parquet", "rows": t.num_rows} for n, t in tables.items()}
    number, written = write_numbered(
        folder, tables, prefix="snapshot", numbers=lambda: snapshot_numbers(root), name=str,
        manifest=MANIFEST, meta=lambda n: {**meta, "snapshot": n, "tables": listing},
        read_only=True)
    _point_to(folder, number)
    return number, folder / str(number), cast(SnapshotMeta, written)


def prune(root: Path, keep: int) -> list[int]:
    """Remove all but the ``keep`` newest snapshots (never the one LATEST names); returns
    the numbers removed. A reader holding an older snapshot in memory is not affected."""
    numbers = snapshot_numbers(root)
    latest = latest_number(root)
    removed = [n for n in numbers[:-keep] if n != latest] if keep < len(numbers) else []
    for number in removed:
        path = root / SNAPSHOTS / str(number)
        (path / MANIFEST).unlink()  # first: a half-removed folder is no longer a snapshot
        shutil.rmtree(path, ignore_errors=True)
    return removed


def _point_to(folder: Path, number: int) -> None:
    current = latest_number(folder.parent.parent)
    if current is not None and current > number:
        return  # a later snapshot was published meanwhile
    fd, temp = tempfile.mkstemp(prefix=".latest-", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"{number}\n")
    os.replace(temp, folder / LATEST)


def read_manifest(root: Path, number: int) -> SnapshotMeta:
    """The manifest (snapshot.json) of one snapshot, without its tables."""
    manifest: SnapshotMeta = json.loads(
        (root / SNAPSHOTS / str(number) / MANIFEST).read_text(encoding="utf-8"))
    return manifest


def read_snapshot(root: Path, number: int | None = None
                  ) -> tuple[int, Path, SnapshotMeta, dict[str, pa.Table]]:
    """Snapshot ``number`` of the workspace folder ``root`` (default: the newest)."""
    found = latest_number(root) if number is None else number
    if found is None:
        raise UsageError(f"{root} has no published snapshot",
                         fix=f"publish one with: endvac publish {root}")
    path = root / SNAPSHOTS / str(found)
    if not (path / MANIFEST).is_file():
        listed = ", ".join(map(str, snapshot_numbers(root))) or "none"
        raise UsageError(f"{root} has no snapshot {found}", fix=f"snapshots published: {listed}")
    meta = read_manifest(root, found)
    tables = {name: pq.read_table(path / entry["file"])
              for name, entry in meta["tables"].items()}
    return found, path, meta, tables
