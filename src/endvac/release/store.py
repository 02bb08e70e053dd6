"""Release folders: ``published/release-N/`` holding ``release.json`` (metadata) and
one Parquet file per table, written into a temporary folder and renamed into place,
so a reader sees a whole release or none."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NotRequired, TypedDict, cast

import pyarrow as pa
import pyarrow.parquet as pq

from endvac.errors import UsageError
from endvac.numbered import write_numbered
from endvac.publish.shapes import TableEntry
from endvac.release.loss import HeadlineStatus, TableLoss
from endvac.release.pathways import PATHWAYS_FILE, PublicPathways
from endvac.release.tables import PublicRow, PublishedResult, to_result

PUBLISHED = "published"
META_FILE = "release.json"
_NAME = re.compile(r"^release-(\d+)$")


class PathwaysEntry(TypedDict):
    """release.json's pointer to the protected pathways of the period's cohort."""

    file: str
    cohort: str
    suppressed: dict[str, int]  # primary, secondary


class ReleaseMeta(TypedDict):
    """release.json: what was published and how it was protected (docs/release.md).
    ``settings`` are the release rules as their model dumps them."""

    format: int
    period: str
    created: str
    definitions_version: int
    config_revision: int
    settings: dict[str, object]
    tables: dict[str, TableEntry]
    count_cells: int
    suppressed: dict[str, int]  # primary, secondary, derived
    zero_policy: str
    method: str
    identities: list[str]
    identities_dropped: list[str]
    unprotected: list[str]
    information_loss: NotRequired[dict[str, TableLoss]]  # format 2
    headline: NotRequired[list[HeadlineStatus]]  # format 2
    pathways: NotRequired[PathwaysEntry]  # format 2, releases built since issue 16


@dataclass(frozen=True)
class Release:
    """One published release, read back from its folder."""

    number: int
    path: Path
    meta: ReleaseMeta
    tables: dict[str, pa.Table]

    def rows(self, table: str | None = None) -> list[PublicRow]:
        """The published rows of one table (or of all), as stored."""
        names = [table] if table else list(self.tables)
        rows: list[PublicRow] = [row for name in names for row in self.tables[name].to_pylist()]
        return rows

    def results(self, table: str | None = None) -> list[PublishedResult]:
        """The published rows in the spec's result shape."""
        return [to_result(row) for row in self.rows(table)]

    def pathways(self) -> PublicPathways | None:
        """The protected pathways and outcomes of the period's cohort (``pathways.json``);
        None for a release built before they were published."""
        entry = self.meta.get("pathways")
        if entry is None:
            return None
        text = (self.path / entry["file"]).read_text(encoding="utf-8")
        found: PublicPathways = json.loads(text)
        return found


def releases(root: Path) -> list[int]:
    """The numbers of the releases published in a workspace, in order."""
    folder = root / PUBLISHED
    if not folder.is_dir():
        return []
    found = (_NAME.match(p.name) for p in folder.iterdir() if p.is_dir())
    return sorted(int(m[1]) for m in found if m)


def write_release(root: Path, meta: ReleaseMeta, tables: dict[str, pa.Table],
                  pathways: PublicPathways | None = None) -> Release:
    """Write the next numbered release atomically; its number is set in ``meta``. The
    ``pathways`` go into their own file, listed under ``meta["pathways"]``."""
    folder = root / PUBLISHED
    files = {}
    if pathways is not None:
        meta = {**meta, "pathways": {"file": PATHWAYS_FILE, "cohort": pathways["cohort"],
                                     "suppressed": pathways["suppressed"]}}
        files[PATHWAYS_FILE] = json.dumps(pathways, indent=1)
    number, written = write_numbered(
        folder, tables, prefix="release", numbers=lambda: releases(root),
        name=lambda n: f"release-{n}", manifest=META_FILE,
        meta=lambda n: {**meta, "release": n}, files=files)
    return Release(number, folder / f"release-{number}", cast(ReleaseMeta, written), tables)


def read_release(root: Path, number: int | None = None) -> Release:
    """Release ``number`` of the workspace folder ``root`` (default: the latest)."""
    found = releases(root)
    if not found:
        raise UsageError(f"{root} has no published release",
                         fix=f"build one with: endvac release {root} --period 2025")
    number = found[-1] if number is None else number
    path = root / PUBLISHED / f"release-{number}"
    if number not in found:
        raise UsageError(f"{root} has no release {number}",
                         fix=f"releases published: {', '.join(map(str, found))}")
    meta: ReleaseMeta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
    tables = {name: pq.read_table(path / f"{name}.parquet") for name in meta["tables"]}
    return Release(number, path, meta, tables)
