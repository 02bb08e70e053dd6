"""Numbered folders written whole or not at all (public releases, published snapshots).

The tables are written as Parquet into a hidden temporary folder beside the numbered
ones, the manifest last, and the folder renamed into place under the next free number;
when another writer took that number meanwhile, the next one is taken. A reader sees a
whole folder or none.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq


def write_numbered(folder: Path, tables: dict[str, pa.Table], *, prefix: str,
                   numbers: Callable[[], list[int]], name: Callable[[int], str],
                   manifest: str, meta: Callable[[int], dict[str, Any]],
                   read_only: bool = False) -> tuple[int, dict[str, Any]]:
    """Write ``tables`` and the manifest ``meta(number)`` into ``folder / name(number)``
    for the next number after ``numbers()``; its number and manifest. With
    ``read_only`` the files are made read-only."""
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{prefix}-", dir=folder))
    try:
        for table_name, table in tables.items():
            pq.write_table(table, staging / f"{table_name}.parquet")
        while True:
            number = max(numbers(), default=0) + 1
            written = meta(number)
            (staging / manifest).write_text(json.dumps(written, indent=1, default=str),
                                            encoding="utf-8")
            if read_only:
                for file in staging.iterdir():
                    os.chmod(file, 0o400)  # read-only, and private (docs/security.md)
            os.chmod(staging, 0o700)
            try:
                os.rename(staging, folder / name(number))
                return number, written
            except OSError:  # another writer took the number meanwhile: take the next
                if not (folder / name(number)).exists():
                    raise
                if read_only:
                    os.chmod(staging / manifest, 0o600)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
