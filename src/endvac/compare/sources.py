"""The releases a comparison reads: a workspace folder (its latest release), a release
folder (``…/published/release-N``, or a copy of one elsewhere), or an SDMX export
(``endvac export sdmx``: its folder, data.csv or data.xml). Each becomes a
:class:`Source`: release-shaped rows and what the release says of its coverage and
definitions. Never record-level data: only published files are opened."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from endvac.config import CONFIG_FILE, load_config
from endvac.errors import BadInput, UsageError
from endvac.release import load_release
from endvac.release.store import META_FILE, PUBLISHED

_RELEASE = re.compile(r"^release-(\d+)$")
_LABEL = re.compile(r"^([A-Za-z0-9_-]{1,40})=(.+)$")


@dataclass(frozen=True)
class Source:
    """One country's (or region's) public release, as a comparison reads it."""

    label: str
    name: str
    kind: str  # release or sdmx
    release: int | None
    period: str
    definitions_version: str
    config_revision: str
    settings: dict[str, Any]
    rows: list[dict[str, Any]] = field(repr=False)

    @property
    def coverage(self) -> list[str]:
        """The coverage statements of its rows, each once."""
        return sorted({r["coverage"] for r in self.rows if r.get("coverage")})

    @property
    def definitions(self) -> str:
        rules = f"; counting rules revision {self.config_revision}" \
            if self.config_revision else ""
        return f"indicator definitions version {self.definitions_version}{rules}"


def read_source(text: str, base: Path | None = None) -> Source:
    """The release named by ``text``: a path, or ``LABEL=PATH`` to name it (relative
    paths under ``base`` when given)."""
    match = _LABEL.match(text)
    label, raw = (match[1], match[2]) if match and not Path(text).exists() else (None, text)
    path = Path(raw).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    if (path / META_FILE).is_file():
        source = _release_folder(path)
    elif (path / CONFIG_FILE).is_file() and (path / PUBLISHED).is_dir():
        release = load_release(path)
        source = _from_release(_country(path), release.number, release.meta, release.rows())
    elif path.exists():
        source = _sdmx(path)
    else:
        raise UsageError(f"{path.name or raw} does not exist",
                         fix="give a release folder, a workspace or an SDMX export")
    return source if label is None else _relabel(source, label)


def _release_folder(path: Path) -> Source:
    found = _RELEASE.match(path.name)
    if found and path.parent.name == PUBLISHED:
        root = path.parent.parent
        release = load_release(root, int(found[1]))
        return _from_release(_country(root), release.number, release.meta, release.rows())
    return _copied_release(path)


def _copied_release(path: Path) -> Source:
    """A release folder copied out of its workspace: its documented files
    (release.json and one Parquet file per table, docs/release.md)."""
    import pyarrow.parquet as pq

    try:
        meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
        rows = [row for name in meta["tables"]
                for row in pq.read_table(path / f"{name}.parquet").to_pylist()]
    except (OSError, ValueError, KeyError) as exc:
        raise BadInput(f"{path.name} is not a readable release folder ({type(exc).__name__})",
                       fix="copy the whole release-N folder") from exc
    return _from_release((path.name, path.name), meta.get("release"), meta, rows)


def _from_release(country: tuple[str, str], number: int | None, meta: Mapping[str, Any],
                  rows: Sequence[Mapping[str, Any]]) -> Source:
    settings = meta.get("settings", {})
    kept = {k: settings.get(k) for k in ("min_cell", "protection", "rounding_base")}
    return Source(country[0], country[1], "release", number, str(meta.get("period", "")),
                  str(meta.get("definitions_version", "")),
                  str(meta.get("config_revision", "")), kept, [dict(r) for r in rows])


def _sdmx(path: Path) -> Source:
    from endvac.sdmx.read import read_export

    found = read_export(path)
    attrs = found.attributes
    number = attrs.get("RELEASE_NO", "")
    return Source(found.area, found.area_name, "sdmx",
                  int(number) if number.isdigit() else None, attrs.get("RELEASE_PERIOD", ""),
                  attrs.get("DEF_VERSION", ""), attrs.get("CONFIG_REV", ""),
                  {"rounding_base": int(attrs["ROUNDING_BASE"])
                   if attrs.get("ROUNDING_BASE", "").isdigit() else None}, found.rows)


def _country(root: Path) -> tuple[str, str]:
    """The code and name of a workspace's country (its config, not its records)."""
    config = load_config(root / CONFIG_FILE)
    return config.country.code, config.country.name


def _relabel(source: Source, label: str) -> Source:
    return Source(label, source.name, source.kind, source.release, source.period,
                  source.definitions_version, source.config_revision, source.settings,
                  source.rows)
