"""From the rows of a strategy file to a :class:`Strategy`, or to every problem in it.

Readers (YAML, Excel) hand over each table's rows with their row numbers; every problem
becomes a :class:`Finding` naming file, sheet (YAML section), row and column, with the
fix. Nothing is kept when there is a finding: the caller loads all or nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from endvac.strategy.model import TABLES, Row, Strategy

RawRows = list[tuple[int, dict[str, Any]]]  # (row number, column -> value)


@dataclass(frozen=True)
class Finding:
    """One problem in a strategy file: where it is, what is wrong, how to fix it."""

    file: str
    sheet: str
    row: int | None
    column: str | None
    code: str
    message: str
    fix: str

    def describe(self) -> str:
        where = ", ".join(p for p in (self.file, f"sheet {self.sheet}",
                                      f"row {self.row}" if self.row else "",
                                      f"column {self.column}" if self.column else "") if p)
        return f"{where}: {self.message} — {self.fix}"


class _Collector:
    def __init__(self, file: str) -> None:
        self.file = file
        self.found: list[Finding] = []

    def add(self, sheet: str, row: int | None, column: str | None, code: str,
            message: str, fix: str) -> None:
        self.found.append(Finding(self.file, sheet, row, column, code, message, fix))


def _split(msg: str) -> tuple[str, str]:
    text = msg.removeprefix("Value error, ")
    if "; " in text:
        message, fix = text.split("; ", 1)
        return message, fix
    return text, "correct the value (docs/strategy.md lists every column)"


def _row(found: _Collector, sheet: str, number: int, model: type[Row],
         values: dict[str, Any]) -> Row | None:
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        for error in exc.errors():
            column = str(error["loc"][0]) if error["loc"] else None
            if error["type"] == "extra_forbidden":
                found.add(sheet, number, column, "unknown_column", "unknown column",
                          f"remove it or rename it to one of {', '.join(model.model_fields)}")
                continue
            message, fix = _split(error["msg"])
            found.add(sheet, number, column, error["type"], message, fix)
    return None


def build_strategy(tables: dict[str, RawRows], file: str,
                   known_indicators: Iterable[str]) -> tuple[Strategy | None, list[Finding]]:
    """The strategy the tables describe, or None and every finding."""
    found = _Collector(file)
    for name in tables:
        if name not in TABLES:
            found.add(name, None, None, "unknown_sheet", "unknown sheet or section",
                      f"use {', '.join(TABLES)} (or README)")
    parsed: dict[str, list[tuple[int, Row]]] = {}
    for name, model in TABLES.items():
        rows = [(n, r) for n, values in tables.get(name, [])
                if (r := _row(found, name, n, model, values)) is not None]
        parsed[name] = rows
    info = tables.get("strategy", [])
    if len(info) != 1:
        found.add("strategy", None, None, "one_strategy_row",
                  f"the strategy table has {len(info)} rows", "give exactly one row")
    _cross_checks(found, parsed, set(known_indicators))
    if found.found:
        return None, found.found
    body: dict[str, Any] = {name: [r for _, r in rows] for name, rows in parsed.items()}
    body["strategy"] = body["strategy"][0]
    return Strategy.model_validate(body), []


def _unique(found: _Collector, sheet: str, rows: list[tuple[int, Row]],
            key: Callable[[Row], tuple[Any, ...]], column: str) -> None:
    seen = Counter(key(r) for _, r in rows)
    for number, r in rows:
        if seen[key(r)] > 1:
            found.add(sheet, number, column, "duplicate_key", f"{column} is not unique",
                      "give each row its own " + column)


def _get(row: Row, name: str) -> Any:
    return getattr(row, name)


def _cross_checks(found: _Collector, parsed: dict[str, list[tuple[int, Row]]],
                  indicators: set[str]) -> None:
    for sheet in ("actions", "targets", "trainings"):
        _unique(found, sheet, parsed[sheet], lambda r: (_get(r, "id"),), "id")
    _unique(found, "assessments", parsed["assessments"],
            lambda r: (_get(r, "respondent"), _get(r, "institution"),
                       _get(r, "basis")), "basis")
    _unique(found, "checklist", parsed["checklist"], lambda r: (_get(r, "model_strategy"),),
            "model_strategy")
    _unique(found, "participants", parsed["participants"],
            lambda r: (_get(r, "training"), _get(r, "participant")), "participant")
    _unique(found, "staff", parsed["staff"],
            lambda r: (_get(r, "profession"), _get(r, "region")), "region")
    trainings = {_get(r, "id") for _, r in parsed["trainings"]}
    for number, r in parsed["participants"]:
        if _get(r, "training") not in trainings:
            found.add("participants", number, "training", "unknown_training",
                      "no training has this id", "use an id of the trainings sheet")
    for number, r in parsed["targets"]:
        if _get(r, "indicator_id") not in indicators:
            found.add("targets", number, "indicator_id", "unknown_indicator",
                      "unknown indicator id",
                      "use an id of endvac indicators WORKSPACE --list")
