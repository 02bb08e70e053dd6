"""The one place SQL is run.

Every statement goes through :func:`run` with the name of the step it belongs
to; a failure becomes a :class:`StoreError` naming the step, never the bound
values.  Identifiers are quoted by :func:`ident`; values are always bound
parameters.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from endvac.errors import StoreError, WorkspaceError

log = logging.getLogger(__name__)

Params = Sequence[Any] | dict[str, Any] | None


def ident(name: str) -> str:
    """Quote an SQL identifier (a table or column name)."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    """The one quoting of an SQL string constant: a name or code from endvac's own
    definitions (never user data, which is always a bound parameter)."""
    return "'" + value.replace("'", "''") + "'"


def path_literal(path: Path) -> str:
    """A file path of endvac's own (never user data) as an SQL string, for statements
    that take no parameters (ATTACH, SET)."""
    return literal(str(path))


def literal_list(values: Sequence[str]) -> str:
    """A list of string constants from *definitions* (never from user data) as SQL."""
    return "[" + ", ".join(literal(v) for v in values) + "]"


def connect(path: Path | None, *, read_only: bool = False, threads: int | None = None,
            memory_limit: str | None = None, temp_dir: Path | None = None,
            force_compression: str | None = None) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB database; its temp directory lies outside the workspace."""
    try:
        con = duckdb.connect(str(path) if path else ":memory:", read_only=read_only)
    except duckdb.IOException as exc:
        raise WorkspaceError(
            f"cannot open the analytic store {path}",
            fix="another endvac command may be writing it; wait for it to finish",
        ) from exc
    spill = temp_dir or Path(tempfile.gettempdir()) / "endvac-spill"
    con.execute(f"SET temp_directory = {path_literal(spill)}")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", memory_limit.strip(), re.I):
            raise WorkspaceError(f"memory limit {memory_limit!r} is not a size",
                                 fix="write it like 4GB or 512MiB")
        con.execute(f"SET memory_limit = '{memory_limit.strip()}'")
    con.execute("SET preserve_insertion_order = true")
    if force_compression == "uncompressed":
        con.execute("SET force_compression = 'uncompressed'")
    return con


def run(con: duckdb.DuckDBPyConnection, step: str, sql: str, params: Params = None
        ) -> duckdb.DuckDBPyConnection:
    """Run one statement for ``step``; errors name the step, not the values."""
    log.debug("step %s", step)
    if isinstance(params, dict):  # bind only the named parameters the statement uses
        params = {k: v for k, v in params.items() if f"${k}" in sql} or None
    try:
        if params is None:
            return con.execute(sql)
        return con.execute(sql, params)
    except duckdb.Error as exc:
        raise StoreError(step, type(exc).__name__ + ": " + _first_line(str(exc))) from exc


def run_many(con: duckdb.DuckDBPyConnection, step: str, sql: str,
             rows: Sequence[Sequence[Any]]) -> None:
    """Run one statement for each parameter row of ``rows`` (an insert of many rows)."""
    log.debug("step %s (%d rows)", step, len(rows))
    if not rows:
        return
    try:
        con.executemany(sql, rows)
    except duckdb.Error as exc:
        raise StoreError(step, type(exc).__name__ + ": " + _first_line(str(exc))) from exc


def rows(con: duckdb.DuckDBPyConnection, step: str, sql: str, params: Params = None
         ) -> list[tuple[Any, ...]]:
    """Run a query for ``step`` and fetch all its rows."""
    return run(con, step, sql, params).fetchall()


def records(con: duckdb.DuckDBPyConnection, step: str, sql: str, params: Params = None
            ) -> list[dict[str, Any]]:
    """Run a query for ``step`` and fetch its rows as dicts."""
    cur = run(con, step, sql, params)
    names = [d[0] for d in cur.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def scalar(con: duckdb.DuckDBPyConnection, step: str, sql: str, params: Params = None) -> Any:
    """Run a query for ``step`` and return the first cell of its first row."""
    row = run(con, step, sql, params).fetchone()
    return None if row is None else row[0]


def _first_line(text: str) -> str:
    # DuckDB messages can quote a failing value: keep the first line, values masked.
    first = text.strip().splitlines()[0] if text.strip() else "error"
    return re.sub(r"'[^']*'", "'…'", first)[:300]
