"""Cells written for spreadsheets (CSV files and workbooks) that a spreadsheet cannot run.

A spreadsheet program reads a text cell that starts with ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return followed by one) as a formula: a delivered value such as
``=HYPERLINK(...)`` or ``=cmd|'/C calc'!A0`` would run on the reader's machine. Every
CSV endvac writes goes through :func:`write_csv` / :func:`csv_text`, which escape such
cells by OWASP's rule (a leading single quote; the CSV writer quotes the cell when it
holds a delimiter or quote). Numbers stay numbers: only text can carry a formula.
Workbooks write text cells as strings (:func:`text_cell`), never as formulas, so a
value comes back unchanged when the workbook is read again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def safe_cell(value: Any) -> Any:
    """``value``, with a single quote in front when it is text a spreadsheet would read
    as a formula; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return ESCAPE + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Every cell of a row through :func:`safe_cell`; None becomes an empty cell."""
    return ["" if v is None else safe_cell(v) for v in values]


def unescape_cell(value: str) -> str:
    """The value :func:`safe_cell` escaped, back as delivered: a file endvac wrote (a
    link review) comes back with its ids unchanged. Only a quote that :func:`safe_cell`
    would have added is removed."""
    if value.startswith(ESCAPE) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def write_csv(handle: TextIO, columns: Sequence[str], rows: Iterable[Iterable[Any]]) -> int:
    """Write a header and ``rows`` as CSV to ``handle``, every cell escaped; the row count."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(safe_row(columns))
    count = 0
    for row in rows:
        writer.writerow(safe_row(row))
        count += 1
    return count


def csv_text(columns: Sequence[str], rows: Iterable[Iterable[Any]]) -> str:
    """The CSV text of a header and ``rows``, every cell escaped."""
    buffer = io.StringIO()
    write_csv(buffer, columns, rows)
    return buffer.getvalue()


def text_cell(cell: Any) -> None:
    """Mark an openpyxl cell holding text as a string (openpyxl takes text starting with
    ``=`` for a formula); other cells are left as they are."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
