"""Reading one delivery file (CSV, .xlsx sheet or Parquet) into staged columns.

Clear identifiers are split off here, in memory, before any database sees
them.  Cells arrive as text; typing and checking happen in SQL
(:mod:`endvac.ingest.checks`).  Row numbers are the physical line where a CSV
record starts (header = 1) and the sheet row of a spreadsheet (header = 1);
Parquet rows count from 1.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pyarrow as pa
from python_calamine import CalamineError

from endvac.errors import BadInput
from endvac.ingest import files
from endvac.ingest.findings import Finding, finding
from endvac.ingest.reshape import reshape, stages
from endvac.interchange.mapping import FileMapping, Mapping
from endvac.interchange.spec import MAX_CELL_CHARS, FileSpec

csv.field_size_limit(sys.maxsize)
_SURROGATE = re.compile("[\udc80-\udcff]")
_SHOWN_CHARS = 200


@dataclass
class SourceTable:
    """One file of a delivery, read and split: cells to check, identifiers apart."""

    spec: FileSpec
    path: Path
    format: str
    columns_present: list[str]
    cells: pa.Table  # _row, _hash, then every unprotected column of the spec, as text
    identifiers: pa.Table  # _row, _hash, then the clear or encoded identifiers present
    problems: list[Finding] = field(default_factory=list)
    label: str = ""  # where findings point, when not the path (a stage of a flat file)

    @property
    def rows_in(self) -> int:
        return self.cells.num_rows

    @property
    def where(self) -> str:
        return self.label or str(self.path)


def read_parts(spec: FileSpec, path: Path, fmt: str, mapping: Mapping, hash_key: bytes,
               chunk_rows: int, sheet: str | None = None, first_read: bool = True
               ) -> list[SourceTable]:
    """Read ``path`` as ``spec``: one table, or one per part when the mapping derives
    rows (built ids, stages, or a source shared by several files); ``first_read`` says
    whether the source's unknown columns are still to be reported."""
    fmap = mapping.for_file(spec.name)
    shared = mapping.sources().get((fmap.source or "").lower(), 0) > 1
    if not (fmap.reshapes or shared):
        return [read_source(spec, path, fmt, mapping, hash_key, chunk_rows, sheet,
                            mapping.agency_columns())]
    unknown: set[str] | None = None
    tables = []
    with _readable(path, fmt):
        files.check_not_empty(path)
    for number, stage in enumerate(stages(fmap)):
        with _readable(path, fmt):
            records = _records(path, fmt, mapping, sheet or fmap.sheet)
            header_row = next(records, None)
            header = [] if header_row is None else header_row[1]
            if first_read and number == 0:
                used = mapping.agency_columns()
                unknown = {h.strip().lower() for h in header} - used
            part = reshape(spec, path, header, records, fmap, stage,
                           unknown if number == 0 else None)
            table = _collect(spec, path, fmt, part.header, part.records, part.fmap, hash_key,
                             chunk_rows, part.label)
        table.problems = part.problems + table.problems
        table.label = part.label
        tables.append(table)
    if fmt == "xlsx" and tables:
        tables[0].problems += files.formula_warnings(spec.name, path, sheet or fmap.sheet)
    return tables


def read_source(spec: FileSpec, path: Path, fmt: str, mapping: Mapping, hash_key: bytes,
                chunk_rows: int, sheet: str | None = None,
                used_elsewhere: set[str] | frozenset[str] = frozenset()) -> SourceTable:
    """Read ``path`` as the interchange file ``spec`` describes; agency columns in
    ``used_elsewhere`` (read for another file) are not reported as unknown."""
    fmap = mapping.for_file(spec.name)
    with _readable(path, fmt):
        files.check_not_empty(path)
        records = _records(path, fmt, mapping, sheet or fmap.sheet)
        header_row = next(records, None)
        header = [] if header_row is None else header_row[1]
        table = _collect(spec, path, fmt, header, records, fmap, hash_key, chunk_rows,
                         str(path), used_elsewhere)
        if fmt == "xlsx":
            table.problems += files.formula_warnings(spec.name, path, sheet or fmap.sheet)
        return table
    raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def _readable(path: Path, fmt: str) -> Iterator[None]:
    """Turn a reader's failure into one BadInput naming the file."""
    try:
        yield
    except (OSError, ValueError, ArithmeticError, csv.Error, UnicodeError,
            CalamineError) as exc:
        raise BadInput(f"{path}: cannot be read as {fmt} ({type(exc).__name__})",
                       fix="check that the file is complete and of the format its name says"
                       ) from exc


def source_records(path: Path, fmt: str, mapping: Mapping, sheet: str | None
                   ) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of a source file, the header first (used by the draft)."""
    with _readable(path, fmt):
        yield from _records(path, fmt, mapping, sheet)


def _records(path: Path, fmt: str, mapping: Mapping, sheet: str | None
             ) -> Iterator[tuple[int, list[str]]]:
    if fmt == "csv":
        return _csv_records(path, mapping.delimiter, mapping.encoding)
    if fmt == "xlsx":
        return _xlsx_records(path, sheet)
    return _parquet_records(path)


def _csv_records(path: Path, delimiter: str, encoding: str) -> Iterator[tuple[int, list[str]]]:
    encoding = files.csv_encoding(path, encoding)
    enc = "utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding
    with os.fdopen(files.open_regular(path), "rb") as raw:
        text = io.TextIOWrapper(raw, encoding=enc, errors="surrogateescape", newline="")
        reader = csv.reader(text, delimiter=delimiter, strict=False)
        start = 1
        for record in reader:
            if record:
                yield start, record
            start = reader.line_num + 1


def _xlsx_records(path: Path, sheet: str | None) -> Iterator[tuple[int, list[str]]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    name = sheet or book.sheet_names[0]
    if name not in book.sheet_names:
        raise BadInput(f"{path}: has no sheet {name!r}", fix="name the sheet in the mapping")
    for number, record in enumerate(book.get_sheet_by_name(name).to_python(), start=1):
        cells = [cell_text(v) for v in record]
        if any(cells):
            yield number, cells


def _parquet_records(path: Path) -> Iterator[tuple[int, list[str]]]:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    yield 0, list(table.column_names)
    number = 0
    for batch in table.to_batches(max_chunksize=50_000):
        columns = [[cell_text(v) for v in col.to_pylist()] for col in batch.columns]
        for record in zip(*columns, strict=True):
            number += 1
            yield number, list(record)


def cell_text(value: Any) -> str:
    """A spreadsheet or Parquet cell as the text the interchange format expects."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "y" if value else "n"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        fmt = "%Y-%m-%dT%H:%M:%S" if value.second else "%Y-%m-%dT%H:%M"
        return value.strftime(fmt) if (value.hour or value.minute or value.second) \
            else value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _header_positions(spec: FileSpec, path: Path, header: list[str], fmap: FileMapping,
                      used_elsewhere: set[str] | frozenset[str] = frozenset()
                      ) -> tuple[dict[str, int], list[Finding]]:
    by_source = {k.strip().lower(): v for k, v in fmap.columns.items()}
    spec_names = set(spec.column_names)
    positions: dict[str, int] = {}
    problems: list[Finding] = []
    for index, raw in enumerate(header):
        raw = _SURROGATE.sub("\ufffd", raw)
        name = raw.strip().lower()
        target = by_source.get(name, name if name in spec_names else None)
        if target is None and name not in used_elsewhere:
            problems.append(finding(spec.name, str(path), None,
                                    _shown(files.shown_header(raw, index)), "unknown_column"))
        elif target in positions:
            raise BadInput(f"{path}: column {target} appears twice in the header",
                           fix="keep one column of that name, or fix the mapping")
        elif target is not None:
            positions[target] = index
    return positions, problems


def _collect(spec: FileSpec, path: Path, fmt: str, header: list[str],
             records: Iterable[tuple[int, list[str]]], fmap: FileMapping, hash_key: bytes,
             chunk_rows: int, where: str,
             used_elsewhere: set[str] | frozenset[str] = frozenset()) -> SourceTable:
    positions, problems = _header_positions(spec, path, header, fmap, used_elsewhere)
    present = [c for c in spec.column_names if c in positions or c in fmap.values]
    wanted = [c for c in spec.column_names if c in positions]
    codes = {col: {k.strip().lower(): v for k, v in m.items()} for col, m in fmap.codes.items()}
    width = len(header)
    cell_cols = [c.name for c in spec.columns if c.name not in spec.protected]
    id_cols = [c for c in spec.protected if c in present]
    cell_batches: list[pa.RecordBatch] = []
    id_batches: list[pa.RecordBatch] = []
    chunk: list[list[Any]] = []
    for number, record in records:
        chunk.append(_row(spec.name, where, number, record, width, wanted, positions,
                          codes, fmap.values, hash_key, problems))
        if len(chunk) >= chunk_rows:
            _flush(chunk, wanted, fmap, cell_cols, id_cols, cell_batches, id_batches)
            chunk = []
    _flush(chunk, wanted, fmap, cell_cols, id_cols, cell_batches, id_batches)
    return SourceTable(spec, path, fmt, present,
                       pa.Table.from_batches(cell_batches, _schema(cell_cols)),
                       pa.Table.from_batches(id_batches, _schema(id_cols)), problems)


def _row(file: str, path: str, number: int, record: list[str], width: int, wanted: list[str],
         positions: dict[str, int], codes: dict[str, dict[str, str]], constants: dict[str, str],
         hash_key: bytes, problems: list[Finding]) -> list[Any]:
    joined = "\x1f".join(record)
    # length-prefixed cells, so no two different rows share a fingerprint
    framed = "".join([f"{len(cell)}:{cell}" for cell in record])
    digest = hashlib.blake2b(framed.encode("utf-8", "surrogatepass"), key=hash_key,
                             digest_size=12).hexdigest()
    if len(record) != width:
        problems.append(finding(file, path, number, None, "ragged_row",
                                f"the row has {len(record)} cells, the header {width}"))
    cells: list[Any] = [number, digest]
    for name in wanted:
        index = positions[name]
        value = record[index].strip() if index < len(record) else ""
        if value and name in codes:
            value = codes[name].get(value.lower(), value)
        cells.append(value or None)
    if len(joined) > MAX_CELL_CHARS or _SURROGATE.search(joined):
        _cell_problems(file, path, number, wanted, cells, problems)
    return cells


def _cell_problems(file: str, path: str, number: int, wanted: list[str], cells: list[Any],
                   problems: list[Finding]) -> None:
    for offset, name in enumerate(wanted, start=2):
        value = cells[offset]
        if value is None:
            continue
        if _SURROGATE.search(value):
            problems.append(finding(file, path, number, name, "bad_encoding"))
            cells[offset] = value = _SURROGATE.sub("\ufffd", value)
        if len(value) > MAX_CELL_CHARS:
            problems.append(finding(file, path, number, name, "value_too_long",
                                    f"the cell has {len(value)} characters (at most "
                                    f"{MAX_CELL_CHARS})"))
            cells[offset] = _shown(value)


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN_CHARS else value[:_SHOWN_CHARS] + "…"


def _schema(columns: list[str]) -> pa.Schema:
    return pa.schema([("_row", pa.int64()), ("_hash", pa.string()),
                      *((c, pa.string()) for c in columns)])


def _flush(chunk: list[list[Any]], wanted: list[str], fmap: FileMapping, cell_cols: list[str],
           id_cols: list[str], cell_batches: list[pa.RecordBatch],
           id_batches: list[pa.RecordBatch]) -> None:
    if not chunk:
        return
    by_name: dict[str, Any] = dict(zip(["_row", "_hash", *wanted], zip(*chunk, strict=True),
                                       strict=True))
    size = len(chunk)
    for name, constant in fmap.values.items():
        by_name[name] = [constant] * size
    def column(name: str) -> pa.Array:
        values = by_name.get(name)
        if values is None:
            return pa.nulls(size, pa.string())
        return pa.array(values, pa.int64() if name == "_row" else pa.string())
    cell_schema, id_schema = _schema(cell_cols), _schema(id_cols)
    cell_batches.append(pa.RecordBatch.from_arrays(
        [column(n) for n in cell_schema.names], schema=cell_schema))
    id_batches.append(pa.RecordBatch.from_arrays(
        [column(n) for n in id_schema.names], schema=id_schema))
