"""A strategy file in Excel: one sheet per table (header in row 1, one row per item),
lists joined with '; ', dates as dates, and a README sheet that explains each column."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from endvac.errors import BadInput
from endvac.strategy.build import RawRows
from endvac.strategy.codes import load_codes
from endvac.strategy.fields import column_kind, columns, from_cell, to_cell
from endvac.strategy.model import TABLES, Strategy
from endvac.tabular import text_cell

README = "README"
DATE_FORMAT = "yyyy-mm-dd"


def read_excel_tables(path: Path) -> dict[str, RawRows]:
    """Each sheet's rows (row 2 is the first item); the README sheet is skipped."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BadInput(f"cannot read the workbook {path.name}: {type(exc).__name__}",
                       fix="give an .xlsx file written by Excel, LibreOffice or "
                           "endvac strategy export") from exc
    tables: dict[str, RawRows] = {}
    for sheet in book.worksheets:
        if sheet.title == README:
            continue
        rows = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        model = TABLES.get(sheet.title)
        found: RawRows = []
        for number, cells in enumerate(rows, 2):
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            values: dict[str, Any] = {}
            for name, cell in zip(header, cells, strict=False):
                if not name:
                    continue
                kind = column_kind(model, name) if model and name in model.model_fields \
                    else "text"
                value = from_cell(kind, cell)
                if value is not None:
                    values[name] = value
            found.append((number, values))
        tables[sheet.title] = found
    book.close()
    return tables


def write_excel(strategy: Strategy, path: Path) -> None:
    """The strategy as a workbook: README first, then one sheet per table."""
    book = Workbook()
    readme = book.active
    assert readme is not None  # a new workbook has its first sheet
    readme.title = README
    for line in _readme_lines():
        readme.append([line])
        text_cell(readme.cell(readme.max_row, 1))
    for name, model in TABLES.items():
        sheet = book.create_sheet(name)
        names = columns(model)
        sheet.append(names)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        value = getattr(strategy, name)
        for row in [value] if name == "strategy" else value:
            sheet.append([to_cell(column_kind(model, c), getattr(row, c)) for c in names])
            for cell in sheet[sheet.max_row]:
                text_cell(cell)  # text stays text: never a live formula
        for index, column in enumerate(names, 1):
            if column_kind(model, column) == "date":
                for cells in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cells[0].number_format = DATE_FORMAT
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = \
                max(12, len(column) + 2)
    book.save(path)


def _readme_lines() -> list[str]:
    codes = load_codes()
    lines = ["endvac national prevention strategy. One sheet per table; the first row names "
             "the columns; one row per item. Full guide: docs/strategy.md.",
             "Lists (bases, model_strategies, partners, regions, professions): values "
             "separated by ';'. Dates: real dates (yyyy-mm-dd). Empty cell: not given.",
             "Import: endvac strategy import WORKSPACE FILE.xlsx (replaces the workspace's "
             "strategy; every problem is listed with sheet, row and column; nothing is "
             "loaded until the file is clean).", ""]
    lines += [f"Sheet {name}: {(model.__doc__ or '').strip()} Columns: "
              f"{', '.join(columns(model))}." for name, model in TABLES.items()]
    lines += ["", "Bases: " + "; ".join(f"{b.id} {b.short}" for b in codes.bases),
              f"Scores: {codes.score_min}-{codes.score_max} ("
              + ", ".join(f"{k} {v}" for k, v in codes.score_labels.items()) + ")",
              "action_type: " + ", ".join(codes.action_types),
              "status (actions): " + ", ".join(codes.action_statuses),
              "adoption_status: " + ", ".join(codes.adoption_statuses),
              "respondent_type: " + ", ".join(codes.respondent_types),
              "checklist status: " + ", ".join(codes.checklist_statuses),
              "sex: " + ", ".join(codes.sexes) + "; role: " + ", ".join(codes.roles),
              "professions: " + ", ".join(codes.professions),
              f"regions: region codes of the workspace, or {codes.national_region} for all."]
    return lines
