"""The UN-CTS tables written out: one CSV of every cell and a workbook laid out like
the survey's tables, every cell with its source and suppression status (docs/uncts.md).
Every text cell is escaped (endvac.tabular)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from endvac.tabular import safe_cell, text_cell, write_csv
from endvac.uncts.definitions import COLUMNS, GROUPS, MEASURES, OFFENCES, SEXES, TOTAL_ROW
from endvac.uncts.tables import UnctsCell, UnctsTables

CSV_COLUMNS = ("year", "measure", "measure_label", "row", "row_label", "iccs", "column",
               "value", "status", "reason", "source")
CONFIDENTIAL = "x"  # the survey's mark for a figure withheld
NOT_AVAILABLE = ".."  # the survey's mark for a figure not available
GROUP_LABELS = {"juvenile": "Juveniles", "adult": "Adults", "all": "Total"}
SEX_LABELS = {"m": "Male", "f": "Female", "total": "Total"}
_ROW_LABELS = {TOTAL_ROW: ("All offences", ""), **{o.id: (o.label, o.iccs) for o in OFFENCES}}
_MEASURE_LABELS = {m.id: m.label for m in MEASURES}


def write_uncts(tables: UnctsTables, out: Path) -> list[Path]:
    """Write ``uncts-YEAR.csv`` and ``uncts-YEAR.xlsx`` into ``out``; their paths."""
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    csv_path = out / f"uncts-{tables.year}.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        write_csv(handle, CSV_COLUMNS, (csv_row(tables.year, c) for c in tables.cells))
    book_path = out / f"uncts-{tables.year}.xlsx"
    write_workbook(tables, book_path)
    return [csv_path, book_path]


def csv_row(year: int, cell: UnctsCell) -> list[Any]:
    label, iccs = _ROW_LABELS[cell.row]
    return [year, cell.measure, _MEASURE_LABELS[cell.measure], cell.row, label, iccs,
            cell.column, cell.value, cell.status, cell.reason, cell.source]


def shown(cell: UnctsCell) -> int | str:
    """What the survey's table shows: the count, x (withheld) or .. (not available)."""
    if cell.value is not None:
        return cell.value
    return NOT_AVAILABLE if cell.status == "not available" else CONFIDENTIAL


def write_workbook(tables: UnctsTables, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    book = Workbook()
    book.remove(book.active)
    index = {(c.measure, c.row, c.column): c for c in tables.cells}
    for measure in MEASURES:
        sheet = book.create_sheet(measure.id[:31])
        _put(sheet, 1, 1, f"UN-CTS {tables.year}: {measure.label}")
        _put(sheet, 3, 1, "Offence")
        _put(sheet, 3, 2, "ICCS")
        for g, group in enumerate(GROUPS):
            _put(sheet, 3, 3 + 3 * g, GROUP_LABELS[group])
            for s, sex in enumerate(SEXES):
                _put(sheet, 4, 3 + 3 * g + s, SEX_LABELS[sex])
        rows = [r for r in _ROW_LABELS if (measure.id, r, COLUMNS[0]) in index]
        for r, row in enumerate(rows, start=5):
            label, iccs = _ROW_LABELS[row]
            _put(sheet, r, 1, label)
            _put(sheet, r, 2, iccs)
            for c, column in enumerate(COLUMNS, start=3):
                cell = index[(measure.id, row, column)]
                target = _put(sheet, r, c, shown(cell))
                note = f"source: {cell.source}; status: {cell.status}"
                target.comment = Comment(note + (f" ({cell.reason})" if cell.reason else ""),
                                         "endvac")
    notes = book.create_sheet("notes")
    for r, line in enumerate(_notes(tables), start=1):
        _put(notes, r, 1, line)
    book.save(path)


def _put(sheet: Any, row: int, column: int, value: Any) -> Any:
    cell = sheet.cell(row=row, column=column, value=safe_cell(value))
    text_cell(cell)
    return cell


def _notes(tables: UnctsTables) -> list[str]:
    inherited = (f"Cells equal to a cell of public release {tables.release} keep its "
                 "suppression." if tables.release else "No public release of the year: "
                 "the tables are protected on their own.")
    return [f"UN-CTS {tables.year}, juvenile parts, filled by endvac (docs/uncts.md).",
            f"{CONFIDENTIAL}: withheld (counts 1 to {tables.min_cell - 1}, and the cells "
            "that would give them away); "
            f"{NOT_AVAILABLE}: not available (no adult count delivered).",
            inherited, "Each cell's comment gives its source and status.",
            f"Adult count rows left out (ICCS code not a table row): "
            f"{tables.adult_rows_left_out}."]
