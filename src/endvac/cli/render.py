"""Rendering a list of records as a table, CSV or JSON (JSON to stdout)."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from endvac.tabular import write_csv

if TYPE_CHECKING:
    from endvac.names import Names


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def render(records: list[dict[str, Any]], fmt: OutputFormat, title: str | None = None,
           columns: list[str] | None = None, *, kinds: Mapping[str, str] | None = None,
           names: Names | None = None, labels: bool = False) -> None:
    """Write ``records`` to stdout in ``fmt``. With ``kinds`` (column → names kind, see
    endvac.cli.labels) a table shows names for codes, and CSV/JSON with ``labels`` add a
    ``<column>_name`` column after each coded one; ``names`` default to the command's
    language without store names."""
    wanted = columns or (list(records[0]) if records else [])
    if kinds and (fmt is OutputFormat.table or labels):
        from endvac.cli.labels import command_names, with_names

        records, wanted = with_names(records, wanted, names or command_names(), kinds,
                                     replace=fmt is OutputFormat.table)
    _write(records, fmt, title, wanted)


def _write(records: list[dict[str, Any]], fmt: OutputFormat, title: str | None,
           names: list[str]) -> None:
    if fmt is OutputFormat.json:
        json.dump([{k: _plain(r.get(k)) for k in names} for r in records], sys.stdout,
                  ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif fmt is OutputFormat.csv:
        write_csv(sys.stdout, names, ([_plain(r.get(k)) for k in names] for r in records))
    else:
        table = Table(title=title)
        for name in names:
            table.add_column(name)
        for r in records:
            table.add_row(*("" if r.get(k) is None else str(_plain(r.get(k))) for k in names))
        Console(width=None if sys.stdout.isatty() else 200).print(table)
