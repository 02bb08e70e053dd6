"""`endvac encode`: an agency encodes its delivery on its own machine, so that names
never leave it. Children files get tokens and Bloom encodings in place of the clear
identifiers; every other file is copied as it is (or, with a mapping, written in the
interchange layout)."""

from __future__ import annotations

import base64
import csv
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from endvac.encoding.keys import IdentityKey, read_key_file
from endvac.encoding.normalise import NORMALISATION_VERSION
from endvac.encoding.records import protect
from endvac.errors import UsageError
from endvac.ingest.delivery import discover
from endvac.ingest.read import read_parts
from endvac.interchange.mapping import DEFAULT_MAPPING, load_mapping
from endvac.interchange.spec import IDENTIFIER_FIELDS


@dataclass
class EncodeSummary:
    out: Path
    files: list[str] = field(default_factory=list)
    records_encoded: int = 0
    rows_with_problems: int = 0


def encode_delivery(folder: Path, out: Path, key_file: Path,
                    mapping_path: Path | None = None) -> EncodeSummary:
    """Write ``folder``'s delivery to ``out`` with its identifiers encoded under the key."""
    key = read_key_file(key_file)
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"{out} exists and is not empty", fix="give a new or empty folder")
    mapping = load_mapping(mapping_path) if mapping_path else DEFAULT_MAPPING
    files, _ = discover(folder, mapping)
    out.mkdir(parents=True, exist_ok=True)
    summary = EncodeSummary(out)
    for item in files:
        if item.spec.name != "children" and mapping_path is None:
            shutil.copyfile(item.path, out / item.path.name)
            summary.files.append(item.path.name)
            continue
        parts = read_parts(item.spec, item.path, item.format, mapping, b"encode", 200_000,
                           item.sheet)  # one part, or one per stage of a flat file
        summary.rows_with_problems += len({(s.where, p.row) for s in parts for p in s.problems})
        cells = pa.concat_tables([s.cells for s in parts])
        target = out / f"{item.spec.name}.csv"
        _write(target, cells, _encoded(parts[0].identifiers, cells, key)
               if item.spec.name == "children" else None)
        summary.files.append(target.name)
        if item.spec.name == "children":
            summary.records_encoded += cells.num_rows
    return summary


def _encoded(ids: pa.Table, cells: pa.Table, key: IdentityKey) -> pa.Table:
    keys = pa.table({"agency": cells.column("agency"), "record_id": cells.column("record_id")})
    encoded, _, _ = protect(ids, keys, lambda: key, "children")
    return encoded


def _write(target: Path, cells: pa.Table, encoded: pa.Table | None) -> None:
    names = [n for n in cells.column_names if n not in ("_row", "_hash")]
    columns = [cells.column(n).to_pylist() for n in names]
    if encoded is not None:
        for name in IDENTIFIER_FIELDS:
            tokens = encoded.column(f"{name}_token").to_pylist()
            if any(t is not None for t in tokens):
                blooms = encoded.column(f"{name}_bloom").to_pylist()
                names += [f"{name}_token", f"{name}_bloom"]
                columns += [tokens, [None if b is None else base64.b64encode(b).decode()
                                     for b in blooms]]
                if f"{name}_fold" in encoded.column_names:  # names: their folded token
                    names.append(f"{name}_fold")
                    columns.append(encoded.column(f"{name}_fold").to_pylist())
        names.append("normalisation_version")
        columns.append([NORMALISATION_VERSION] * cells.num_rows)
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        writer.writerows([["" if v is None else v for v in row]
                          for row in zip(*columns, strict=True)])
