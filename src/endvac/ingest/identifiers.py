"""The linkage zone's store: each delivery's tokens and Bloom encodings, one file.

Never a clear identifier: they are encoded in memory while the file is read
(:mod:`endvac.encoding.records`). A delivery's file is written to
``linkage/encodings/.staging`` before the analytic store commits and moved into
place after; :func:`settle` finishes or discards what an interrupted load left,
so both zones' stores agree by delivery id.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def staging_path(root: Path, delivery_id: int) -> Path:
    return root / ".staging" / f"delivery-{delivery_id}.parquet"


def final_path(root: Path, delivery_id: int) -> Path:
    return root / f"delivery-{delivery_id}.parquet"


def stage(root: Path, delivery_id: int, tables: list[pa.Table]) -> Path | None:
    """Write a delivery's identifiers to the staging folder (nothing when it has none)."""
    tables = [t for t in tables if t.num_rows]
    if not tables:
        return None
    path = staging_path(root, delivery_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.concat_tables(tables, promote_options="default"), path)
    return path


def publish(root: Path, delivery_id: int) -> None:
    """Move a committed delivery's identifier file into place."""
    staged = staging_path(root, delivery_id)
    if staged.exists():
        os.replace(staged, final_path(root, delivery_id))


def discard(root: Path, delivery_id: int) -> None:
    staging_path(root, delivery_id).unlink(missing_ok=True)


def settle(root: Path, committed: set[int]) -> None:
    """Publish staged files of committed deliveries; delete every orphan."""
    for staged in sorted((root / ".staging").glob("delivery-*.parquet")):
        delivery_id = int(staged.stem.split("-")[1])
        if delivery_id in committed:
            publish(root, delivery_id)
        else:
            staged.unlink()
    for final in root.glob("delivery-*.parquet"):
        if int(final.stem.split("-")[1]) not in committed:
            final.unlink()


def retire_clear_identifiers(workspace_root: Path) -> int:
    """Delete physically the clear identifier files an earlier endvac kept in
    ``identifiers/`` (each overwritten with zeros, then removed); the number removed."""
    folder = workspace_root / "identifiers"
    if not folder.is_dir():
        return 0
    files = [p for p in folder.rglob("*") if p.is_file()]
    for path in files:
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            handle.write(b"\0" * size)
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        sub.rmdir()
    folder.rmdir()
    return len(files)
