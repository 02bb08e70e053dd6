"""The pathways and outcomes of each published year, as rows of the snapshot's
``pathways`` table (year, kind, JSON payload) for the web page and its /api twins."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, TypedDict

import pyarrow as pa

from endvac.facts.derived import Facts
from endvac.indicators.periods import Period
from endvac.pathways.definitions import load_pathway_definitions
from endvac.pathways.flows import cohort_pathways, prepare
from endvac.pathways.outcomes import cohort_outcomes

SCHEMA = pa.schema([("year", pa.string()), ("kind", pa.string()), ("payload", pa.string())])


class PathwayRow(TypedDict):
    """One row of the snapshot's ``pathways`` table: a year's pathways or outcomes as
    JSON text (SCHEMA's columns)."""

    year: str
    kind: str  # pathways | outcomes
    payload: str


def snapshot_rows(facts: Facts, years: list[int], follow_adults: bool) -> list[PathwayRow]:
    """Per year: the pathways of its cohort and the outcomes of its decisions."""
    if facts.span is None or not years:
        return []
    defs = load_pathway_definitions()
    prepare(facts, defs)
    out: list[PathwayRow] = []
    for year in years:
        period = Period(date(year, 1, 1), date(year, 12, 31))
        pathways = cohort_pathways(facts, period, defs, prepared=True)
        outcomes = cohort_outcomes(facts, period, defs=defs, prepared=True, with_curves=True,
                                   follow_adults=follow_adults,
                                   adjust=defs.publish_bootstrap > 0,
                                   bootstrap=defs.publish_bootstrap)
        out.append({"year": str(year), "kind": "pathways",
                    "payload": json.dumps(pathways.to_dict(), default=str)})
        out.append({"year": str(year), "kind": "outcomes", "payload": json.dumps(
            {"cohort": outcomes.cohort, "rows": outcomes.records(),
             "balance": outcomes.balance(), "curves": outcomes.curves,
             "not_at_risk": outcomes.not_at_risk, "caveat": outcomes.caveat}, default=str)})
    return out


def pathway_table(rows: list[PathwayRow]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def snapshot_payload(tables: dict[str, pa.Table], kind: str, year: str | None
                     ) -> tuple[str | None, dict[str, Any] | None]:
    """(year, payload) of ``kind`` for ``year`` (default: the latest) from a snapshot's
    tables; (None, None) when the snapshot holds none (published before pathways)."""
    table = tables.get("pathways")
    rows = [] if table is None else [r for r in table.to_pylist() if r["kind"] == kind]
    if year is not None:
        rows = [r for r in rows if r["year"] == year]
    if not rows:
        return None, None
    row = max(rows, key=lambda r: r["year"])
    return row["year"], json.loads(row["payload"])
