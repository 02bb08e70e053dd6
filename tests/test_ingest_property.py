"""Property: ingest survives malformed deliveries and always reconciles.

Hypothesis throws broken files at ingest (bad encodings, NUL bytes, ragged rows,
text where dates, numbers, flags and codes belong, fields up to 100,000
characters, quotes and embedded newlines and delimiters, missing, extra and
duplicated columns, duplicated keys and rows, empty and header-only files,
truncated workbooks and Parquet files, odd spreadsheet and Parquet values) and
checks, for every delivery:

1. ingest either returns or raises an ``EndvacError`` (``BadInput`` for a file
   that cannot be read at all); no other exception ever escapes;
2. when it returns, every file reconciles (rows_in = new + replaced + unchanged
   + quarantined + duplicates) and rows_in is the number of data records this
   test wrote, counted here from what was generated;
3. when it raises, the workspace is exactly as before: the row counts of the
   analytic store's tables and the linkage zone's encoding files
   (``linkage/encodings/``, where ingest puts each delivery's identifiers).

Every example runs in its own copy of a workspace that already holds one small
delivery, so replaced and unchanged rows occur and "as before" is not "empty".
The column lists are written out from docs/interchange.md, not read from the
code under test.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from endvac.errors import BadInput, EndvacError
from endvac.ingest.load import ingest
from endvac.ingest.result import IngestResult
from endvac.workspace import init_workspace, open_workspace

CHILDREN_COLUMNS = (
    "record_id", "agency", "given_name", "family_name", "date_of_birth", "dob_estimated",
    "sex", "national_id", "address", "parent_name", "region", "disability", "nationality",
    "group",
)
EVENTS_COLUMNS = (
    "event_id", "agency", "record_id", "case_id", "origin_case_ref", "event_type", "date",
    "offence_date", "age_years", "role", "offence_iccs", "cyber", "measure", "authority",
    "length_days", "facility_id",
)
COLUMNS = {"children": CHILDREN_COLUMNS, "events": EVENTS_COLUMNS}
REQUIRED = {"children": ("record_id", "agency"),
            "events": ("event_id", "agency", "record_id", "event_type", "date")}
STORE_TABLES = ("deliveries", "delivery_files", "f_children", "f_events", "quarantine",
                "findings", "removals")

# Byte sequences that are not UTF-8, carried in str as surrogate escapes and
# written back as the raw bytes (the file is encoded with "surrogateescape").
BAD_BYTES = (b"\xe9", b"\xff\xfe", b"\xfe\xff", b"\xc3", b"\xc3\x28", b"\x80", b"\xc0\xaf",
             b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xe2\x82")
RAW = tuple(b.decode("utf-8", "surrogateescape") for b in BAD_BYTES)

# Cells that fit a column (VALID), and cells of the wrong type or form for it (POOLS).
DATES = ("2024-01-31", "2024-02-29", "2024-02-30", "2024-1-5", "31/01/2024", "2024-01-01T10:30",
         "2024-01-01T25:00", "2024-01-01 10:30", "2024", "2024-13", "0000-00-00", "yesterday",
         "20240131", "2024-01-31T10:30:00Z", "0000-01-01", "9999-12-31T23:59", "")
COUNTS = ("0", "17", "-1", "1.5", "1e3", "99999999999999999999", "seventeen", " 12 ", "0x1F", "")
FLAGS = ("y", "n", "Y", "N", "yes", "1", "true", "")
AGENCY = ("police", "POLICE", " court ", "other:ngo", "other:", "other:a b", "polis", "")
NAMES = ("Ana", "Zoë", "O'Brien, Jr.", "Ngũgĩ wa Thiong'o", "")
IDENTIFYING = {c: NAMES for c in ("given_name", "family_name", "national_id", "address",
                                  "parent_name")}
VALID: dict[str, tuple[str, ...]] = {
    "record_id": tuple(f"r{n}" for n in range(1, 9)),
    "event_id": tuple(f"e{n}" for n in range(1, 9)),
    "agency": ("police", "POLICE", " police "),
    "date_of_birth": ("2010-05-01", "2011-02", "2009", ""),
    "dob_estimated": ("y", "N", ""),
    "sex": ("f", "M", "u", ""),
    "region": ("D1", "d1", ""),
    "disability": ("n", ""),
    "nationality": ("KEN", "ken", ""),
    "group": ("g1", ""),
    "case_id": ("c1", "c2", ""),
    "origin_case_ref": ("c1", ""),
    "event_type": ("arrest", "Arrest", "charge", "victim_report"),
    "date": ("2024-01-31", "2024-03-01", "2024-01-01T10:30"),
    "offence_date": ("2024-01-30", ""),
    "age_years": ("15", "0", ""),
    "role": ("offender", "Victim", ""),
    "offence_iccs": ("0101", "101", "03011", ""),
    "cyber": ("y", "n", ""),
    "authority": ("police", ""),
    "measure": ("",),
    "length_days": ("",),
    "facility_id": ("",),
    **IDENTIFYING,
}
POOLS: dict[str, tuple[str, ...]] = {
    "record_id": ("r1", "r2", "r3", " r1 ", "R1", ""),
    "event_id": ("e1", "e2", "e3", "E1", ""),
    "agency": AGENCY,
    "date_of_birth": DATES,
    "dob_estimated": FLAGS,
    "sex": ("f", "M", "x", "u", "q", "female", ""),
    "region": ("D1", "d1", ""),
    "disability": FLAGS,
    "nationality": ("KEN", "ken", "K3N", "KENYA", ""),
    "group": ("g1", ""),
    "case_id": ("c1", "c2", ""),
    "origin_case_ref": ("c1", ""),
    "event_type": ("arrest", "Arrest", "arrested", "sentence", "verdict", "family_visit",
                   "victim_report", ""),
    "date": DATES,
    "offence_date": DATES,
    "age_years": COUNTS,
    "role": ("offender", "Victim", "bystander", ""),
    "offence_iccs": ("0101", "101", "03011", "1201", "0", "01", "abc", "010101", ""),
    "cyber": FLAGS,
    "measure": ("custodial", "warning", "completed", "Fine", "none", ""),
    "authority": ("police", "prosecutor", "judge", ""),
    "length_days": COUNTS,
    "facility_id": ("F1", "F9", ""),
    **IDENTIFYING,
}
PIECES = ('"', ",", "\n", "\r\n", "\r", '""', ";", "\t", " ", "\x00", "é", "€", "\U0001f600",
          "'", "=1+1", "\ufeff", "\x1f", "x", *RAW)
HUGE_SIZES = (3999, 4000, 4001, 100_000)

nasty_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)),
                      max_size=6).map("".join)


def cell_for(column: str | None) -> st.SearchStrategy[str]:
    """A cell of ``column`` (None: a column outside the format): fitting or broken."""
    pool = POOLS.get(column or "", ("",))
    return st.one_of(st.sampled_from(pool), st.sampled_from(pool), nasty_text)


def valid_cell(column: str | None) -> st.SearchStrategy[str]:
    """A cell that fits ``column``; anything at all in a column outside the format."""
    return st.sampled_from(VALID[column]) if column else nasty_text


HEADER_EXTRAS = st.sampled_from(("notes", "", "Record ID", "x" * 5000, 'a"b', "a,b", "a\nb",
                                 "record_id", "DATE", "\x00", RAW[0] + "col", RAW[2]))


# The children.csv of the delivery every example's workspace already holds.
TEMPLATE_HEADER: list[tuple[str, str | None]] = [
    ("record_id", "record_id"), ("agency", "agency"), ("given_name", "given_name"),
    ("sex", "sex")]
TEMPLATE_ROWS = (("r1", "police", "Ana", "f"), ("r2", "police", "Bo", "m"))


@dataclass
class FileCase:
    """One generated file: its name, bytes, and the data records it holds."""

    name: str
    data: bytes
    records: int
    unreadable: bool = False  # cannot be read at all: ingest must raise BadInput


@dataclass
class DeliveryCase:
    files: list[FileCase] = field(default_factory=list)

    def expected_rows(self) -> dict[str, int]:
        return {f.name.split(".")[0]: f.records for f in self.files
                if not f.name.startswith("manifest")}


# ---------------------------------------------------------------- CSV deliveries

@st.composite
def csv_header(draw: st.DrawFn, file: str) -> list[tuple[str, str | None]]:
    """(header cell, the format column it names or None), in file order, at least one."""
    columns = draw(st.lists(st.sampled_from(COLUMNS[file]), unique=True))
    if draw(st.sampled_from((True, True, True, False))):  # mostly every required column
        columns = [c for c in REQUIRED[file] if c not in columns] + columns
    named: list[tuple[str, str | None]] = [
        (draw(st.sampled_from((c, c.upper(), f" {c} "))), c) for c in columns]
    named += [(extra, None) for extra in draw(st.lists(HEADER_EXTRAS, max_size=2))]
    if not named:
        named = [(draw(HEADER_EXTRAS), None)]
    return list(draw(st.permutations(named)))


@st.composite
def csv_record(draw: st.DrawFn, header: list[tuple[str, str | None]]) -> list[str]:
    """One data record: a cell per header column; broken and ragged half the time."""
    if draw(st.booleans()):
        return [draw(valid_cell(column)) for _, column in header]
    cells = [draw(cell_for(column)) for _, column in header]
    change = draw(st.sampled_from((0, 0, 0, -1, 1, 3)))
    if change < 0:
        cells = cells[:change]
    else:
        cells += [draw(nasty_text) for _ in range(change)]
    return cells or [""]  # never a record of no cells: that is a blank line, skipped


@st.composite
def csv_file(draw: st.DrawFn, file: str) -> FileCase:
    shape = draw(st.sampled_from(("rows", "rows", "rows", "rows", "empty", "header_only")))
    if shape == "empty":
        body = draw(st.sampled_from((b"", b"\xef\xbb\xbf", b"\r\n\r\n", b"\n")))
        return FileCase(f"{file}.csv", body, 0)
    resend = file == "children" and draw(st.sampled_from((False, False, False, True)))
    header = TEMPLATE_HEADER if resend else draw(csv_header(file))
    records = [] if shape == "header_only" else draw(st.lists(csv_record(header), max_size=6))
    if resend:  # the template's own rows again (unchanged), then whatever was drawn
        records = [list(r) for r in TEMPLATE_ROWS] + records
    for index in draw(st.lists(st.integers(0, 5), max_size=2)):  # exact repeats
        if records:
            records.append(list(records[index % len(records)]))
    if records and draw(st.sampled_from((False, False, False, True))):  # one huge field
        row = draw(st.integers(0, len(records) - 1))
        col = draw(st.integers(0, len(records[row]) - 1))
        size = draw(st.sampled_from(HUGE_SIZES))
        records[row][col] = draw(st.sampled_from(("x", "é", '"', ",", "\n", RAW[0]))) * size
    text = io.StringIO()
    csv.writer(text).writerows([[name for name, _ in header], *records])
    prefix = draw(st.sampled_from((b"", b"", b"\xef\xbb\xbf", b"\xff\xfe")))
    return FileCase(f"{file}.csv", prefix + text.getvalue().encode("utf-8", "surrogateescape"),
                    len(records))


MANIFEST_VALUES = {
    "agency": AGENCY,
    "period_start": ("2024-01-01", "2024-13-01", ""),
    "period_end": ("2024-12-31", "2023-01-01", "never", ""),
    "mode": ("full", "incremental", "FULL", "partial", ""),
    "event_types": ("arrest", "arrest sentence", "arrest teleport", ""),
    "format_version": ("1", "2", ""),
}


@st.composite
def manifest_file(draw: st.DrawFn) -> FileCase:
    columns = draw(st.lists(st.sampled_from(sorted(MANIFEST_VALUES)), unique=True, min_size=1))
    rows = [[draw(st.sampled_from(MANIFEST_VALUES[c])) for c in columns]
            for _ in range(draw(st.sampled_from((1, 1, 1, 0, 2))))]
    text = io.StringIO()
    csv.writer(text).writerows([columns, *rows])
    return FileCase("manifest.csv", text.getvalue().encode("utf-8"), len(rows))


@st.composite
def csv_delivery(draw: st.DrawFn) -> DeliveryCase:
    case = DeliveryCase()
    if draw(st.sampled_from((False, False, False, False, False, True))):
        case.files.append(draw(manifest_file()))
    names = draw(st.sampled_from((("children",), ("events",), ("children", "events"),
                                  ("children", "events"))))
    case.files += [draw(csv_file(name)) for name in names]
    return case


# ---------------------------------------------------------------- .xlsx deliveries

xlsx_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t"),
                    max_size=20)
XLSX_ODD = st.one_of(
    xlsx_text, st.none(), st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from((0.5, -0.0, 1e20, 1e-20, 2024.0, 101.0, 17.0, "=1/0", "=A1", "#N/A",
                     "'0101", "x" * 32767)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    st.dates(min_value=date(1900, 3, 1)), st.times(),
)
# The first cell of every row is plain, non-blank text, so no row reads as blank.
XLSX_FIRST = st.one_of(st.sampled_from(("r1", "r2", "e1", "e2", "R1", " r1 ")),
                       st.text("abcXYZ019_-", min_size=1, max_size=8))


@st.composite
def xlsx_sheet(draw: st.DrawFn, file: str) -> tuple[list[Any], list[list[Any]]]:
    columns = draw(st.lists(st.sampled_from(COLUMNS[file]), unique=True))
    columns = [c for c in REQUIRED[file] if c not in columns] + columns
    header: list[Any] = [*columns, *draw(st.lists(st.sampled_from(("notes", "x" * 300, 17)),
                                                  max_size=1))]
    width = len(header)
    rows = []
    for _ in range(draw(st.integers(0, 5))):
        odd = draw(st.booleans())
        cells = [draw(XLSX_FIRST)] + [
            draw(st.one_of(cell_for(c).filter(lambda v: not v.startswith("=")
                                               and v.isprintable()), XLSX_ODD) if odd
                 else valid_cell(c if c in VALID else None).filter(str.isprintable))
            for c in header[1:]]
        rows.append(cells[:width - draw(st.sampled_from((0, 0, 0, 1)))] or cells[:1])
    return header, rows


@st.composite
def xlsx_delivery(draw: st.DrawFn, folder: Path) -> DeliveryCase:
    """children/events as their own workbooks, or as sheets of one workbook."""
    names = draw(st.sampled_from((("children",), ("events",), ("children", "events"))))
    one_book = draw(st.booleans())
    truncate = draw(st.sampled_from((False, False, False, False, False, True)))
    case = DeliveryCase()
    books: dict[str, Workbook] = {}
    for name in names:
        header, rows = draw(xlsx_sheet(name))
        book_name = "delivery.xlsx" if one_book else f"{name}.xlsx"
        book = books.get(book_name)
        if book is None:
            book = books[book_name] = Workbook()
            book.remove(book.active)
        sheet = book.create_sheet(name.upper() if draw(st.booleans()) else name)
        for row in [header, *rows]:
            sheet.append(row)
        case.files.append(FileCase(name, b"", len(rows)))
    for book_name, book in books.items():
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
        if truncate:
            data = data[:draw(st.integers(0, len(data) - 1))]
        (folder / book_name).write_bytes(data)
    for item in case.files:
        item.unreadable = truncate
    return case


# ---------------------------------------------------------------- Parquet deliveries

def _invalid_utf8_strings(rows: int) -> pa.Array:
    """A string column whose bytes are not UTF-8 (pyarrow does not check on write)."""
    data = b"r1\xff\xfe" * rows
    offsets = pa.array(list(range(0, 4 * rows + 1, 4)), pa.int32()).buffers()[1]
    return pa.Array.from_buffers(pa.string(), rows, [None, offsets, pa.py_buffer(data)])


parquet_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@st.composite
def parquet_column(draw: st.DrawFn, column: str | None, rows: int) -> tuple[pa.Array, bool]:
    """An odd column of ``rows`` values; True when it cannot be read back as values."""
    def values(strategy: st.SearchStrategy[Any]) -> list[Any]:
        return draw(st.lists(st.none() | strategy, min_size=rows, max_size=rows))

    kind = draw(st.sampled_from(("valid", "valid", "text", "text", "int", "float", "bool",
                                 "timestamp", "date", "binary", "null", "list", "dictionary",
                                 "time", "duration", "huge", "far_timestamp", "bad_utf8")))
    text = cell_for(column).filter(lambda v: not any("\udc80" <= ch <= "\udcff" for ch in v))
    if kind == "valid":
        return pa.array([draw(valid_cell(column).filter(lambda v: not any(
            "\udc80" <= ch <= "\udcff" for ch in v))) for _ in range(rows)], pa.string()), False
    if kind == "text":
        return pa.array(values(text | parquet_text), pa.string()), False
    if kind == "huge":
        return pa.array(["é" * 100_000] * rows, pa.large_string()), False
    if kind == "dictionary":
        return pa.array(values(text), pa.string()).dictionary_encode(), False
    if kind == "far_timestamp":  # the year 20983: no Python datetime holds it
        return pa.array([600_000_000_000] * rows, pa.timestamp("s")), rows > 0
    if kind == "bad_utf8":
        return _invalid_utf8_strings(rows), rows > 0
    if kind == "null":
        return pa.nulls(rows), False
    typed: dict[str, tuple[st.SearchStrategy[Any], pa.DataType]] = {
        "int": (st.integers(-(2**63), 2**63 - 1), pa.int64()),
        "float": (st.floats(), pa.float64()),
        "bool": (st.booleans(), pa.bool_()),
        "timestamp": (st.datetimes(), pa.timestamp("us")),
        "date": (st.dates(), pa.date32()),
        "binary": (st.binary(max_size=6), pa.binary()),
        "list": (st.lists(st.integers(-5, 5), max_size=3), pa.list_(pa.int64())),
        "time": (st.times(), pa.time64("us")),
        "duration": (st.timedeltas(min_value=timedelta(days=-999), max_value=timedelta(days=999)),
                     pa.duration("us")),
    }
    strategy, arrow_type = typed[kind]
    return pa.array(values(strategy), arrow_type), False


@st.composite
def parquet_delivery(draw: st.DrawFn, folder: Path) -> DeliveryCase:
    names = draw(st.sampled_from((("children",), ("events",), ("children", "events"))))
    case = DeliveryCase()
    for name in names:
        columns = draw(st.lists(st.sampled_from(COLUMNS[name]), unique=True))
        if draw(st.booleans()):
            columns = [c for c in REQUIRED[name] if c not in columns] + columns
        named: list[tuple[str, str | None]] = [(c, c) for c in columns]
        named += [(extra, None) for extra in draw(st.lists(
            st.sampled_from(("notes", "", "Record_ID", "x\x00y", "é")), max_size=2))]
        named = named or [("notes", None)]
        rows = draw(st.integers(0, 5))
        arrays, unreadable = [], False
        for _, column in named:
            array, broken = draw(parquet_column(column, rows))
            arrays.append(array)
            unreadable = unreadable or broken
        table = pa.Table.from_arrays(arrays, names=[n for n, _ in named])
        buffer = io.BytesIO()
        pq.write_table(table, buffer)
        data = buffer.getvalue()
        if draw(st.sampled_from((False, False, False, False, False, True))):
            data, unreadable = data[:draw(st.integers(0, len(data) - 1))], True
        (folder / f"{name}.parquet").write_bytes(data)
        case.files.append(FileCase(name, b"", rows, unreadable))
    return case


# ---------------------------------------------------------------- the checks

def store_counts(root: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    with duckdb.connect(str(root / "analytic.duckdb"), read_only=True) as con:
        for table in STORE_TABLES:
            row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
            assert row is not None
            counts[table] = row[0]
    return counts


def identifier_files(root: Path) -> dict[str, bytes]:
    """The linkage zone's files: each delivery's tokens and Bloom encodings."""
    folder = root / "linkage" / "encodings"
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace holding one small delivery: children r1, r2 and event e1 of the police."""
    root = tmp_path_factory.mktemp("template") / "ws"
    workspace = init_workspace(root)
    folder = tmp_path_factory.mktemp("first-delivery")
    rows = [[name for name, _ in TEMPLATE_HEADER], *TEMPLATE_ROWS]
    (folder / "children.csv").write_text("".join(",".join(r) + "\n" for r in rows),
                                         encoding="utf-8")
    (folder / "events.csv").write_text("event_id,agency,record_id,event_type,date\n"
                                       "e1,police,r1,arrest,2024-03-01\n", encoding="utf-8")
    first = ingest(workspace, folder)
    assert [(f.file, f.new, f.quarantined) for f in first.files] == [
        ("children", 2, 0), ("events", 1, 0)]
    # the first delivery's identifiers (Ana, Bo) are encoded into one file of the linkage
    # zone, so "as before" in property 3 compares a real file, not two empty folders
    assert sorted(identifier_files(root)) == ["delivery-1.parquet"]
    return root


def ingest_and_check(root: Path, folder: Path, case: DeliveryCase) -> IngestResult | None:
    """Ingest ``folder`` into the workspace at ``root``; assert the three properties."""
    before, ids_before = store_counts(root), identifier_files(root)
    unreadable = any(f.unreadable for f in case.files)
    try:
        result = ingest(open_workspace(root), folder)
    except EndvacError as exc:  # anything else escapes and fails the test (property 1)
        if unreadable:
            assert isinstance(exc, BadInput), exc
        assert store_counts(root) == before  # property 3
        assert identifier_files(root) == ids_before
        return None
    assert not unreadable, "a file that cannot be read was loaded"
    assert result.already_loaded_as is None
    got = {f.file: f.rows_in for f in result.files}
    assert got == case.expected_rows()  # property 2: every record written is counted
    for f in result.files:
        assert f.rows_in == f.new + f.replaced + f.unchanged + f.quarantined + f.duplicates, f
    after = store_counts(root)
    assert after["deliveries"] == before["deliveries"] + 1
    assert after["quarantine"] - before["quarantine"] == result.quarantined
    for f in result.files:
        stored = after[f"f_{f.file}"] - before[f"f_{f.file}"]
        assert stored == f.new + f.replaced, f
    return result


PROPERTY = settings(max_examples=70, deadline=None, derandomize=True, print_blob=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


@PROPERTY
@given(case=csv_delivery())
def test_malformed_csv_deliveries_load_or_are_refused_cleanly(template: Path,
                                                              case: DeliveryCase) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root, folder = Path(tmp) / "ws", Path(tmp) / "delivery"
        shutil.copytree(template, root)
        folder.mkdir()
        for item in case.files:
            (folder / item.name).write_bytes(item.data)
        ingest_and_check(root, folder, case)


@settings(PROPERTY, max_examples=15)
@given(data=st.data())
def test_odd_xlsx_deliveries_load_or_are_refused_cleanly(template: Path, data: st.DataObject
                                                         ) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root, folder = Path(tmp) / "ws", Path(tmp) / "delivery"
        shutil.copytree(template, root)
        folder.mkdir()
        ingest_and_check(root, folder, data.draw(xlsx_delivery(folder)))


@settings(PROPERTY, max_examples=25)
@given(data=st.data())
def test_odd_parquet_deliveries_load_or_are_refused_cleanly(template: Path,
                                                            data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root, folder = Path(tmp) / "ws", Path(tmp) / "delivery"
        shutil.copytree(template, root)
        folder.mkdir()
        ingest_and_check(root, folder, data.draw(parquet_delivery(folder)))


# ---------------------------------------------------------------- the CLI, once

NASTY_CHILDREN = (
    b"record_id,agency,sex,date_of_birth,notes\r\n"
    b"r1,police,f,2010-05-01,fine\r\n"                       # replaces r1
    b"r5,polis,m,2010,bad agency\r\n"                        # quarantined: agency
    b"r6,police,\xff\xfe,2010,\xe9\r\n"                      # quarantined: bad encoding
    b'"r7\nstill r7",police,f,31/12/2010,"a,b ""q"""\r\n'    # quarantined: date form
    b"r8,police\r\n"                                         # quarantined: ragged
    b"r9,police,f,2010,x,y,z\r\n"                            # quarantined: ragged
    b"r1\x00,police,u,,nul\r\n"                              # new: a NUL inside an id
    b"r10,police,f,2010," + b"x" * 100_000 + b"\r\n"         # quarantined: too long
)


def test_cli_ingest_of_a_nasty_file_exits_cleanly(template: Path, tmp_path: Path) -> None:
    root, folder = tmp_path / "ws", tmp_path / "delivery"
    shutil.copytree(template, root)
    folder.mkdir()
    (folder / "children.csv").write_bytes(NASTY_CHILDREN)
    endvac = Path(sys.executable).parent / "endvac"
    done = subprocess.run([str(endvac), "ingest", str(root), str(folder)],
                          capture_output=True, text=True, errors="replace", timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, (done.stdout, done.stderr)  # rows were quarantined


# ---------------------------------------------------------------- regressions

def _delivery(tmp_path: Path, template: Path, files: dict[str, bytes]) -> tuple[Path, Path]:
    root, folder = tmp_path / "ws", tmp_path / "delivery"
    shutil.copytree(template, root)
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return root, folder


def test_regression_header_cell_that_is_not_utf8(template: Path, tmp_path: Path) -> None:
    """A header cell of raw latin-1 bytes: an unknown column (or BadInput), not a crash.

    Once: UnicodeEncodeError from pa.array in load._record_delivery, because the
    unknown_column finding carries the undecodable header text (surrogate escapes).
    """
    case = DeliveryCase([FileCase("children.csv", b"record_id,agency,\xe9\nr1,police,x\n", 1)])
    root, folder = _delivery(tmp_path, template, {"children.csv": case.files[0].data})
    ingest_and_check(root, folder, case)


def test_regression_utf16_csv(template: Path, tmp_path: Path) -> None:
    """A CSV saved as UTF-16 (BOM ff fe) is read as text, never a UnicodeEncodeError.

    Its one row, r1 of the police, is read as "r1" (no BOM or NUL bytes left in it) and
    replaces the template's r1 (which also had a given name and a sex): rows_in 1,
    replaced 1, nothing new, unchanged or quarantined.
    """
    data = "record_id,agency\r\nr1,police\r\n".encode("utf-16")
    root, folder = _delivery(tmp_path, template, {"children.csv": data})
    result = ingest(open_workspace(root), folder)
    assert [(f.file, f.rows_in, f.new, f.replaced, f.unchanged, f.quarantined)
            for f in result.files] == [("children", 1, 0, 1, 0, 0)]


def test_regression_corrupt_xlsx_named_after_an_interchange_file(template: Path,
                                                                 tmp_path: Path) -> None:
    """children.xlsx that is not a workbook must be BadInput, like a corrupt .parquet.

    Once: python_calamine.ZipError escaped read.read_source (it caught only
    OSError, ValueError, csv.Error and UnicodeError; CalamineError is none of them).
    """
    case = DeliveryCase([FileCase("children.xlsx", b"PK\x03\x04 not a workbook", 0, True)])
    root, folder = _delivery(tmp_path, template, {"children.xlsx": case.files[0].data})
    ingest_and_check(root, folder, case)


def test_xlsx_values_read_back_as_interchange_text(template: Path, tmp_path: Path) -> None:
    """Hand-checked: odd spreadsheet cells still make one record each."""
    book = Workbook()
    sheet = book.active
    sheet.title = "children"
    sheet.append(["record_id", "agency", "date_of_birth", "sex", "disability"])
    sheet.append(["r1", "police", datetime(2010, 5, 1), "f", True])        # fine
    sheet.append(["r3", "police", date(2010, 5, 1), 3.5, False])           # sex 3.5: bad code
    # dob a time: not a date, but an optional one: r4 loads without it (a warning)
    sheet.append(["r4", "police", time(10, 30), None, "=1/0"])
    book.save(tmp_path / "children.xlsx")
    root, folder = _delivery(tmp_path, template,
                             {"children.xlsx": (tmp_path / "children.xlsx").read_bytes()})
    result = ingest_and_check(root, folder, DeliveryCase([FileCase("children", b"", 3)]))
    assert result is not None
    children = result.files[0]
    assert (children.unchanged, children.replaced, children.new, children.quarantined) == (
        0, 1, 1, 1)


def test_regression_parquet_timestamp_beyond_year_9999(template: Path, tmp_path: Path) -> None:
    """A Parquet timestamp no Python datetime can hold is BadInput naming the file.

    Once: OverflowError ("date value out of range") from pyarrow's to_pylist in
    read._parquet_records escaped read.read_source, which did not catch it.
    """
    buffer = io.BytesIO()
    pq.write_table(pa.table({"record_id": ["r5"], "agency": ["police"],
                             "date_of_birth": pa.array([600_000_000_000], pa.timestamp("s"))}),
                   buffer)
    root, folder = _delivery(tmp_path, template, {"children.parquet": buffer.getvalue()})
    before, ids_before = store_counts(root), identifier_files(root)
    with pytest.raises(BadInput, match=r"children\.parquet: cannot be read as parquet"):
        ingest(open_workspace(root), folder)
    assert store_counts(root) == before
    assert identifier_files(root) == ids_before


def test_regression_children_given_as_csv_and_as_a_workbook_sheet(template: Path,
                                                                  tmp_path: Path) -> None:
    """children.csv plus a workbook with a "children" sheet is children given twice.

    discover refuses children.csv + children.xlsx ("given twice") and a sheet name
    in two workbooks, and now also a file plus another workbook's sheet.  Once both were
    loaded in one delivery: r1 of the sheet is counted as replacing r1 of the CSV,
    yet both versions are stored with _delivery 1 and _row 2, so which one the
    `children` view shows is a tie broken arbitrarily.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "children"
    sheet.append(["record_id", "agency", "sex"])
    sheet.append(["r1", "police", "m"])
    book.save(tmp_path / "book.xlsx")
    root, folder = _delivery(tmp_path, template, {
        "children.csv": b"record_id,agency,sex\nr1,police,f\n",
        "book.xlsx": (tmp_path / "book.xlsx").read_bytes()})
    before = store_counts(root)
    with pytest.raises(BadInput):
        ingest(open_workspace(root), folder)
    assert store_counts(root) == before


def test_regression_rows_that_differ_only_by_where_a_unit_separator_falls(
        template: Path, tmp_path: Path) -> None:
    """Two different rows with one key are a duplicate_key pair: both quarantined.

    Once the second was counted as an identical repeat (duplicates 1) and the first
    loaded: read._row fingerprinted a record as its cells joined by "\\x1f", so
    ["r5", "police", "a\\x1fb", "c"] and ["r5", "police", "a", "b\\x1fc"] got one _hash,
    and the same collision could make a changed row look "unchanged" later.
    """
    data = b"record_id,agency,region,group\nr5,police,a\x1fb,c\nr5,police,a,b\x1fc\n"
    root, folder = _delivery(tmp_path, template, {"children.csv": data})
    result = ingest_and_check(root, folder, DeliveryCase([FileCase("children.csv", data, 2)]))
    assert result is not None
    children = result.files[0]
    assert (children.new, children.quarantined, children.duplicates) == (0, 2, 0)


def test_a_refused_delivery_leaves_no_encodings_behind(template: Path, tmp_path: Path) -> None:
    """children.csv reads fine (its names are encoded), then events.parquet is cut short:
    BadInput, and the linkage zone holds only the template's delivery-1.parquet, byte for
    byte, as the analytic store holds only its rows (property 3, both halves)."""
    buffer = io.BytesIO()
    pq.write_table(pa.table({"event_id": ["e9"], "agency": ["police"], "record_id": ["r9"],
                             "event_type": ["arrest"], "date": ["2024-05-01"]}), buffer)
    root, folder = _delivery(tmp_path, template, {
        "children.csv": b"record_id,agency,given_name\nr9,police,Zorabel\n",
        "events.parquet": buffer.getvalue()[:40]})
    before, ids_before = store_counts(root), identifier_files(root)
    with pytest.raises(BadInput, match=r"events\.parquet"):
        ingest(open_workspace(root), folder)
    assert store_counts(root) == before
    assert sorted(identifier_files(root)) == ["delivery-1.parquet"]
    assert identifier_files(root) == ids_before
