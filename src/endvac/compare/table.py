"""The comparison: every figure of every release on one line per indicator, period and
cell, each release's figure with its interval, and its ratio to the reference release's
figure (ratios.py). A figure suppressed in either release has no ratio."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from endvac.compare.ratios import RATE_UNITS, SHARE_UNITS, Ratio, ratio_of
from endvac.compare.sources import Source, read_source
from endvac.errors import UsageError

COUNT_FIELDS = ("numerator", "denominator", "value")
TABLES = ("total", "sex", "age_group", "region", "quarter")


class SourceInfo(BaseModel):
    """What a release says of itself: who, which release, coverage and definitions."""

    label: str
    name: str
    kind: str
    release: int | None
    period: str
    definitions: str
    settings: dict[str, Any]
    coverage: list[str]


class CompareCell(BaseModel):
    source: str
    status: str  # published, suppressed, no value, absent
    value: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    numerator: int | None = None
    denominator: int | None = None
    coverage: str | None = None
    ratio: float | None = None
    ratio_low: float | None = None
    ratio_high: float | None = None
    ratio_note: str = ""


class CompareLine(BaseModel):
    id: str
    table: str
    period: str
    breakdown: str
    cell: str
    unit: str
    ratio_method: str
    cells: list[CompareCell]


class Comparison(BaseModel):
    reference: str
    table: str | None
    sources: list[SourceInfo]
    lines: list[CompareLine]
    warnings: list[str]

    def records(self) -> list[dict[str, Any]]:
        """One flat record per line and release (for CSV, JSON and the table)."""
        return [{**line.model_dump(exclude={"cells"}), **cell.model_dump()}
                for line in self.lines for cell in line.cells]


def compare_paths(paths: Sequence[str], reference: str | None = None,
                  table: str | None = None, indicators: Sequence[str] = (),
                  base: Path | None = None) -> Comparison:
    """Read each release named in ``paths`` (read_source) and compare them."""
    if not paths:
        raise UsageError("no release to compare", fix="give two or more release folders")
    return compare([read_source(p, base) for p in paths], reference, table, indicators)


def compare(sources: list[Source], reference: str | None = None, table: str | None = None,
            indicators: Sequence[str] = ()) -> Comparison:
    """Every figure of ``sources`` side by side, ratios against ``reference`` (a label;
    default the first source), only ``table`` (total, a breakdown or quarter) and
    ``indicators`` when given."""
    labels = [s.label for s in sources]
    if len(set(labels)) != len(labels):
        raise UsageError(f"two releases share a label: {', '.join(labels)}",
                         fix="name each one: LABEL=PATH (e.g. XKA=ws-a)")
    ref = reference or labels[0]
    if ref not in labels:
        raise UsageError(f"reference {ref!r} is not one of the releases",
                         fix=f"use one of: {', '.join(labels)}")
    if table is not None and table not in TABLES:
        raise UsageError(f"no table {table!r}", fix=f"use one of: {', '.join(TABLES)}")
    keyed = [_keyed(s) for s in sources]
    order = list(dict.fromkeys(k for rows in keyed for k in rows))
    wanted = [k for k in order if (table is None or k[1] == table)
              and (not indicators or k[0] in indicators)]
    at = labels.index(ref)
    lines = [_line(key, sources, [rows.get(key) for rows in keyed], at) for key in wanted]
    return Comparison(reference=ref, table=table, sources=[_info(s) for s in sources],
                      lines=lines, warnings=_warnings(sources))


def _keyed(source: Source) -> dict[tuple[str, ...], dict[str, Any]]:
    out: dict[tuple[str, ...], dict[str, Any]] = {}
    for row in source.rows:
        if not row.get("id") or not row.get("period"):
            continue  # not an indicator figure (a table this comparison does not know)
        breakdown, cell = row.get("breakdown") or "", row.get("cell") or ""
        table = breakdown or ("total" if row["period"] == source.period else "quarter")
        out[(row["id"], table, row["period"], breakdown, cell)] = row
    return out


def _line(key: tuple[str, ...], sources: list[Source], rows: list[dict[str, Any] | None],
          at: int) -> CompareLine:
    units = {r["unit"] for r in rows if r is not None and r.get("unit")}
    unit = units.pop() if len(units) == 1 else ""
    cells = [_cell(s.label, r) for s, r in zip(sources, rows, strict=True)]
    method = ""
    for i, cell in enumerate(cells):
        if i != at and cell.status != "absent":
            found = _ratio(unit, cell, cells[at], sources[at].label, len(units) > 1)
            method = method or found.method
            cell.ratio, cell.ratio_low, cell.ratio_high = found.ratio, found.low, found.high
            cell.ratio_note = found.note
    if cells[at].status == "published" and unit in RATE_UNITS + SHARE_UNITS:
        cells[at].ratio, cells[at].ratio_note = 1.0, "reference"
    return CompareLine(id=key[0], table=key[1], period=key[2], breakdown=key[3],
                       cell=key[4], unit=unit, ratio_method=method, cells=cells)


def _cell(label: str, row: dict[str, Any] | None) -> CompareCell:
    if row is None:
        return CompareCell(source=label, status="absent")
    suppressed = any(row.get(f"{f}_suppressed") for f in COUNT_FIELDS)
    if suppressed:  # nothing of a suppressed figure is shown, not even a stray count
        return CompareCell(source=label, status="suppressed", coverage=row.get("coverage"))
    status = "published" if row.get("value") is not None else "no value"
    return CompareCell(source=label, status=status, value=row.get("value"),
                       ci_low=row.get("ci_low"), ci_high=row.get("ci_high"),
                       numerator=row.get("numerator"), denominator=row.get("denominator"),
                       coverage=row.get("coverage"))


def _ratio(unit: str, cell: CompareCell, ref: CompareCell, ref_label: str,
           mixed: bool) -> Ratio:
    if "suppressed" in (cell.status, ref.status):
        where = [label for label, status in ((ref_label, ref.status),
                                             (cell.source, cell.status))
                 if status == "suppressed"]
        return Ratio(None, None, None, "", f"suppressed in {' and '.join(where)}: no ratio")
    if mixed or unit not in RATE_UNITS + SHARE_UNITS:
        return Ratio(None, None, None, "", "no ratio for this unit" if not mixed
                     else "units differ")
    if ref.status == "absent":
        return Ratio(None, None, None, "", f"not published in {ref_label}")
    if cell.numerator is None or cell.denominator is None or ref.numerator is None \
            or ref.denominator is None:
        return Ratio(None, None, None, "", "no counts published")
    return ratio_of(unit, cell.numerator, cell.denominator, ref.numerator, ref.denominator)


def _info(source: Source) -> SourceInfo:
    return SourceInfo(label=source.label, name=source.name, kind=source.kind,
                      release=source.release, period=source.period,
                      definitions=source.definitions, settings=source.settings,
                      coverage=source.coverage)


def _warnings(sources: list[Source]) -> list[str]:
    out = []
    if len({s.period for s in sources}) > 1:
        out.append("the releases cover different periods ("
                   + "; ".join(f"{s.label} {s.period}" for s in sources)
                   + "): only figures of the same period are set side by side")
    if len({s.definitions_version for s in sources}) > 1:
        out.append("the releases use different versions of the indicator definitions: "
                   "a difference may come from the definitions")
    rounded = [s.label for s in sources if s.settings.get("rounding_base")]
    if rounded:
        out.append(f"counts are rounded in {', '.join(rounded)}: ratios use rounded counts")
    return out
