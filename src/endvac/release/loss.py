"""What a release loses to suppression: per table, the count cells suppressed and the
share of the table's value they hold; and whether each headline cell is published, with
the typed reason when it is not (docs/release.md, "Information loss")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NotRequired, TypedDict

from endvac.indicators.definitions import Indicator
from endvac.release.protect import CellKey, Pattern
from endvac.release.relations import count_fields


class TableLoss(TypedDict):
    """One table's loss (release.json ``information_loss``; ``value_share`` only in the
    command's output)."""

    cells: int
    suppressed: int
    primary: int
    secondary: int
    cells_share: float
    value_share: NotRequired[float]


class HeadlineStatus(TypedDict):
    """Whether one headline cell is published (release.json ``headline``)."""

    id: str
    field: str
    published: bool
    suppressed: str | None
    code: str | None
    reason: str | None


def table_of_cell(key: CellKey, period: str) -> str:
    """The release table a count cell is published in (as ``tables.table_of``)."""
    if key.period != period:
        return "quarter"
    return key.by.partition("=")[0] if key.by else "total"


def information_loss(cells: Mapping[CellKey, int], pattern: Pattern, period: str
                     ) -> dict[str, TableLoss]:
    """Per table: count cells, suppressed (primary, secondary), the share of cells
    suppressed and the share of the table's summed counts they hold (percent)."""
    counts: dict[str, dict[str, int]] = {}
    for key, value in cells.items():
        table = counts.setdefault(table_of_cell(key, period), {
            "cells": 0, "suppressed": 0, "primary": 0, "secondary": 0, "value": 0,
            "value_suppressed": 0})
        table["cells"] += 1
        table["value"] += value
        flag = pattern.suppressed.get(key)
        if flag is not None:
            table["suppressed"] += 1
            table[flag.kind] += 1
            table["value_suppressed"] += value
    return {name: TableLoss(cells=t["cells"], suppressed=t["suppressed"],
                            primary=t["primary"], secondary=t["secondary"],
                            cells_share=_percent(t["suppressed"], t["cells"]),
                            value_share=_percent(t["value_suppressed"], t["value"]))
            for name, t in sorted(counts.items())}


def public_loss(loss: Mapping[str, TableLoss]) -> dict[str, TableLoss]:
    """The loss as published in release.json: without the value share, which would tell
    a reader the sum of each table's suppressed counts (a relation the audit does not
    hold)."""
    return {name: TableLoss(cells=t["cells"], suppressed=t["suppressed"],
                            primary=t["primary"], secondary=t["secondary"],
                            cells_share=t["cells_share"])
            for name, t in loss.items()}


def headline_cells(cells: Mapping[CellKey, int], indicators: Mapping[str, Indicator],
                   ids: Iterable[str], period: str) -> list[CellKey]:
    """The national count cells of the headline indicators in the release period."""
    keys = [CellKey(i, period, "", name) for i in ids for name in count_fields(indicators[i])]
    return [k for k in keys if k in cells]


def headline_status(keys: Iterable[CellKey], pattern: Pattern) -> list[HeadlineStatus]:
    """Whether each headline cell is published; when not, the kind, code and reason."""
    out = []
    for key in keys:
        flag = pattern.suppressed.get(key)
        out.append(HeadlineStatus(id=key.indicator, field=key.field, published=flag is None,
                                  suppressed=flag.kind if flag else None,
                                  code=flag.code if flag else None,
                                  reason=flag.reason if flag else None))
    return out


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 2) if whole else 0.0
