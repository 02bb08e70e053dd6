"""A delivery folder: which interchange files it holds, its fingerprint, its manifest."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from endvac.errors import BadInput
from endvac.ingest.files import delivery_entries
from endvac.interchange.mapping import Mapping
from endvac.interchange.spec import EVENT_TYPES, FILES, FORMAT_VERSION, FileSpec

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet"}


@dataclass(frozen=True)
class DeliveryFile:
    """One interchange file found in a delivery folder."""

    spec: FileSpec
    path: Path
    format: str
    sheet: str | None = None


@dataclass(frozen=True)
class Manifest:
    """What a delivery says it covers (defaults when it has no manifest)."""

    agency: str | None = None
    reporting_unit: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    extracted: date | None = None
    mode: str = "incremental"
    event_types: tuple[str, ...] = ()
    format_version: str | None = None


def discover(folder: Path, mapping: Mapping) -> tuple[list[DeliveryFile], list[Path]]:
    """The interchange files of ``folder`` (in load order) and the files it ignores."""
    if not folder.is_dir():
        raise BadInput(f"{folder} is not a folder", fix="give the folder of one delivery")
    entries = delivery_entries(folder)
    found: list[DeliveryFile] = []
    used: set[Path] = set()
    for spec in FILES:
        fmap = mapping.for_file(spec.name)
        if fmap.source:
            path = entries.get(fmap.source.lower())
            if path is None:
                raise BadInput(f"{folder}: the mapping names {fmap.source} for {spec.name}, "
                               "which is not in the folder", fix="correct files.*.source")
            candidates = [path]
        else:
            candidates = [entries[n] for n in (spec.name + ext for ext in FORMATS)
                          if n in entries]
        if len(candidates) > 1:
            raise BadInput(f"{folder}: {spec.name} is given twice "
                           f"({', '.join(p.name for p in candidates)})",
                           fix="keep one file per interchange file")
        for path in candidates:
            fmt = FORMATS.get(path.suffix.lower())
            if fmt is None:
                raise BadInput(f"{path}: unknown format", fix="use .csv, .xlsx or .parquet")
            found.append(DeliveryFile(spec, path, fmt, fmap.sheet))
            used.add(path)
    found += _workbook_sheets(entries, used)
    names = [f.spec.name for f in found]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise BadInput(f"{folder}: {twice[0]} is given twice (a file and a workbook sheet)",
                       fix="keep one file or sheet per interchange file")
    used |= {f.path for f in found}
    ignored = sorted(p for p in entries.values() if p not in used)
    order = [f.name for f in FILES]
    found.sort(key=lambda f: order.index(f.spec.name))
    return found, ignored


def _workbook_sheets(entries: dict[str, Path], used: set[Path]) -> list[DeliveryFile]:
    """Sheets named after interchange files in any other workbook of the folder."""
    from python_calamine import CalamineWorkbook

    found: list[DeliveryFile] = []
    names = {f.name: f for f in FILES}
    for path in sorted(entries.values()):
        if path in used or path.suffix.lower() != ".xlsx":
            continue
        try:
            sheets = CalamineWorkbook.from_path(str(path)).sheet_names
        except Exception as exc:  # calamine raises its own error types
            raise BadInput(f"{path}: cannot be read as a workbook ({type(exc).__name__})",
                           fix="save it again as .xlsx") from exc
        found += [DeliveryFile(names[s.lower()], path, "xlsx", s) for s in sheets
                  if s.lower() in names]
    taken = [f.spec.name for f in found]
    if len(taken) != len(set(taken)):
        raise BadInput("a sheet name appears in two workbooks of the delivery",
                       fix="keep one sheet per interchange file")
    return found


def fingerprint(files: list[DeliveryFile], mapping_path: Path | None) -> str:
    """SHA-256 of the delivery's files and mapping: the same delivery loads once."""
    digest = hashlib.sha256()
    for path in sorted({f.path for f in files}) + ([mapping_path] if mapping_path else []):
        digest.update(path.name.encode() + b"\0")
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def check_manifest(values: dict[str, object], where: str) -> Manifest:
    """A manifest from its typed cells, refused when it cannot drive the load."""
    mode = str(values.get("mode") or "incremental")
    tokens = tuple(str(values.get("event_types") or "").lower().split())
    unknown = sorted(set(tokens) - set(EVENT_TYPES))
    if unknown:
        raise BadInput(f"{where}, column event_types: {len(unknown)} unknown event type(s)",
                       fix="list event types of the format, separated by spaces")
    version = values.get("format_version")
    if version not in (None, FORMAT_VERSION):
        raise BadInput(f"{where}, column format_version: this endvac reads version "
                       f"{FORMAT_VERSION}", fix="deliver in interchange format version 1")
    manifest = Manifest(
        agency=_text(values.get("agency")), reporting_unit=_text(values.get("reporting_unit")),
        period_start=_date(values.get("period_start")),
        period_end=_date(values.get("period_end")), extracted=_date(values.get("extracted")),
        mode=mode, event_types=tokens, format_version=_text(version))
    if manifest.period_start and manifest.period_end and \
            manifest.period_end < manifest.period_start:
        raise BadInput(f"{where}: period_end is before period_start", fix="correct the period")
    if mode == "full" and not (manifest.agency and manifest.period_start and
                               manifest.period_end):
        raise BadInput(f"{where}: a full delivery needs agency, period_start and period_end",
                       fix="fill them, or use mode incremental")
    return manifest


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _date(value: object) -> date | None:
    return value if isinstance(value, date) else None
