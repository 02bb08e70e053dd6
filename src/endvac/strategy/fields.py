"""What kind of value each column of a strategy table holds, read from the row models:
Excel, YAML and the application database all encode a column by its kind."""

from __future__ import annotations

import types
from datetime import date, datetime
from typing import Any, Literal, Union, get_args, get_origin

from endvac.strategy.model import Row

Kind = Literal["text", "int", "float", "date", "list_text", "list_int"]
LIST_SEPARATOR = ";"


def column_kind(model: type[Row], name: str) -> Kind:
    """The kind of column ``name`` of ``model`` (optional or not)."""
    annotation = model.model_fields[name].annotation
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    if get_origin(annotation) is list:
        return "list_int" if get_args(annotation)[0] is int else "list_text"
    found: dict[Any, Kind] = {int: "int", float: "float", date: "date"}
    return found.get(annotation, "text")


def columns(model: type[Row]) -> list[str]:
    """The column names of a table, in the model's order."""
    return list(model.model_fields)


def from_cell(kind: Kind, value: Any) -> Any:
    """A spreadsheet cell as the value the row model expects (None: empty)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind in ("list_text", "list_int"):
        if isinstance(value, int | float):
            value = f"{value:g}"
        return [part.strip() for part in str(value).split(LIST_SEPARATOR) if part.strip()]
    if kind == "date" and isinstance(value, datetime):
        return value.date()
    if kind == "text" and isinstance(value, int | float):
        return f"{value:g}"
    return value


def to_cell(kind: Kind, value: Any) -> Any:
    """A model value as a spreadsheet cell (lists joined with '; ')."""
    if value is None:
        return None
    if kind in ("list_text", "list_int"):
        return f"{LIST_SEPARATOR} ".join(str(v) for v in value)
    return value
