"""Numbered folders written whole or not at all (public releases, published snapshots).

The tables are written as Parquet into a hidden temporary folder beside the numbered
ones, the manifest last, and the folder renamed into place under the next free number;
when another writer took that number meanwhile, the next one is taken. A reader sees a
whole folder or none. While it fills the staging folder a writer holds a lock on its
``.writing`` file; a staging folder whose lock no live writer holds (the writer was
killed) is removed by :func:`remove_abandoned`.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

WRITING = ".writing"
# A staging folder without its lock file is left alone this long (a writer may be between
# creating the folder and locking it, or renaming it into place).
GRACE_SECONDS = 600


def write_numbered(folder: Path, tables: dict[str, pa.Table], *, prefix: str,
                   numbers: Callable[[], list[int]], name: Callable[[int], str],
                   manifest: str, meta: Callable[[int], dict[str, Any]],
                   read_only: bool = False, files: Mapping[str, str] | None = None
                   ) -> tuple[int, dict[str, Any]]:
    """Write ``tables`` (and the text ``files``, by name) and the manifest
    ``meta(number)`` into ``folder / name(number)`` for the next number after
    ``numbers()``; its number and manifest. With ``read_only`` the files are made
    read-only."""
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{prefix}-", dir=folder))
    lock = os.open(staging / WRITING, os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        for table_name, table in tables.items():
            pq.write_table(table, staging / f"{table_name}.parquet")
        for file_name, text in (files or {}).items():
            (staging / file_name).write_text(text, encoding="utf-8")
        (staging / WRITING).unlink()  # the lock is held on the open file until the end
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
    finally:
        os.close(lock)


def remove_abandoned(folder: Path, prefix: str) -> list[str]:
    """Remove the staging folders ``.PREFIX-*`` of ``folder`` that writers killed before
    they finished left behind; the names removed."""
    removed = []
    for path in sorted(folder.glob(f".{prefix}-*")) if folder.is_dir() else []:
        if path.is_dir() and not path.is_symlink() and _abandoned(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


def _abandoned(staging: Path) -> bool:
    try:
        lock = os.open(staging / WRITING, os.O_RDWR)
    except FileNotFoundError:
        return time.time() - staging.stat().st_mtime > GRACE_SECONDS
    except OSError:
        return False
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # a live writer holds it
    finally:
        os.close(lock)
    return True
