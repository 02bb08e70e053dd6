"""A strategy file in YAML: one section per table (`strategy` a mapping, the others
lists of mappings), the same columns as the Excel sheets (docs/strategy.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from endvac.errors import BadInput
from endvac.strategy.build import RawRows
from endvac.strategy.model import TABLES, Strategy

HEADER = ("# endvac national prevention strategy (docs/strategy.md). One section per table;\n"
          "# codes from src/endvac/strategy/codes.yaml; bases 1-7; model strategies 1-17.\n")


def read_yaml_tables(path: Path) -> dict[str, RawRows]:
    """Each section's rows, numbered from 1 (the `strategy` mapping is row 1)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BadInput(f"cannot read the strategy file {path.name}: {type(exc).__name__}",
                       fix="give a UTF-8 YAML file laid out as docs/strategy.md shows") from exc
    if not isinstance(data, dict):
        raise BadInput(f"strategy file {path.name} is not a mapping of sections",
                       fix="start it with `strategy:` (docs/strategy.md)")
    tables: dict[str, RawRows] = {}
    for section, body in data.items():
        items = [body] if section == "strategy" else (body or [])
        if not isinstance(items, list):
            items = [items]
        tables[str(section)] = [(n, _mapping(item)) for n, item in enumerate(items, 1)]
    return tables


def _mapping(item: Any) -> dict[str, Any]:
    # A non-mapping item is reported by the row model as a missing row's fields.
    return {str(k): v for k, v in item.items()} if isinstance(item, dict) else {}


def write_yaml(strategy: Strategy, path: Path) -> None:
    """The strategy as a YAML strategy file (empty values left out)."""
    body: dict[str, Any] = {}
    for name in TABLES:
        value = getattr(strategy, name)
        if name == "strategy":
            body[name] = value.model_dump(exclude_none=True)
        else:
            body[name] = [row.model_dump(exclude_none=True) for row in value]
    text = yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(HEADER + text, encoding="utf-8")
