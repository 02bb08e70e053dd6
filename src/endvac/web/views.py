"""One function per view: each builds the data of a page and of its API answer (a
pydantic model); the HTML route renders it with a template, the /api route returns it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from endvac.errors import BadInput
from endvac.web.published import Published, Row

DEFAULT_BREAKDOWN = "sex"


class NotFound(BadInput):
    """The page or object asked for does not exist (404)."""


class Freshness(BaseModel):
    """What the figures come from and when the data was last loaded."""

    source: str
    number: int
    published: str
    last_loaded: str | None


class Cell(BaseModel):
    """One figure: a national total or a breakdown's cell."""

    cell: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    numerator: int | None
    denominator: int | None
    withheld: str | None


class Tile(BaseModel):
    id: str
    name: str
    unit: str
    better: str
    total: Cell | None
    previous: float | None
    trend: list[Cell]


class BreakdownTable(BaseModel):
    id: str
    name: str
    unit: str
    better: str
    breakdown: str
    cells: list[Cell]


class DashboardView(BaseModel):
    freshness: Freshness
    period: str
    periods: list[str]
    breakdown: str
    breakdowns: list[str]
    tiles: list[Tile]
    charts: list[BreakdownTable]


class IndicatorView(BaseModel):
    freshness: Freshness
    id: str
    name: str
    plain: str
    source: str
    unit: str
    better: str
    period: str
    periods: list[str]
    total: Cell | None
    breakdowns: list[BreakdownTable]
    trend: list[Cell]


class IndicatorList(BaseModel):
    freshness: Freshness
    period: str
    periods: list[str]
    indicators: list[Tile]


def freshness(pub: Published) -> Freshness:
    return Freshness(source=pub.kind, number=pub.number, published=pub.created,
                     last_loaded=pub.last_loaded)


def _cell(row: Row, name: str | None = None) -> Cell:
    return Cell(cell=name if name is not None else (row["cell"] or "total"),
                value=row["value"], ci_low=row["ci_low"], ci_high=row["ci_high"],
                numerator=row["numerator"], denominator=row["denominator"],
                withheld=row["withheld"])


def _period(pub: Published, period: str | None) -> str:
    if period is None or period == "":
        if not pub.years:
            raise NotFound("the published data holds no year", fix="publish again after "
                           "loading deliveries")
        return pub.years[-1]
    if period not in pub.years:
        raise BadInput(f"period '{period}' is not published",
                       fix=f"choose one of {', '.join(pub.years)}")
    return period


def _total(pub: Published, ind: str, period: str) -> Row | None:
    return next((r for r in pub.rows(period, "") if r["id"] == ind and r["cell"] == ""), None)


def _breakdowns(pub: Published, period: str) -> list[str]:
    return sorted({r["breakdown"] for r in pub.results if r["label"] == period} - {""})


def _tile(pub: Published, ind: str, period: str) -> Tile:
    d = pub.definitions[ind]
    total = _total(pub, ind, period)
    index = pub.years.index(period)
    before = _total(pub, ind, pub.years[index - 1]) if index > 0 else None
    trend = [_cell(r, r["label"]) for r in pub.series.get(ind, [])]
    return Tile(id=ind, name=d["name"], unit=d["unit"], better=d["better"],
                total=_cell(total) if total else None,
                previous=before["value"] if before else None, trend=trend)


def _table(pub: Published, ind: str, period: str, breakdown: str) -> BreakdownTable:
    d = pub.definitions[ind]
    cells = [_cell(r) for r in pub.rows(period, breakdown) if r["id"] == ind]
    return BreakdownTable(id=ind, name=d["name"], unit=d["unit"], better=d["better"],
                          breakdown=breakdown,
                          cells=sorted(cells, key=lambda c: c.cell))


def _published_ids(pub: Published, period: str) -> list[str]:
    found = {r["id"] for r in pub.rows(period, "")}
    return [i for i in pub.definitions if i in found]


def dashboard(pub: Published, period: str | None = None,
              breakdown: str | None = None) -> DashboardView:
    """The core indicators' tiles for a year and their charts by one breakdown."""
    year = _period(pub, period)
    options = _breakdowns(pub, year)
    chosen = breakdown or (DEFAULT_BREAKDOWN if DEFAULT_BREAKDOWN in options else "")
    if chosen and chosen not in options:
        raise BadInput(f"breakdown '{chosen}' is not published",
                       fix=f"choose one of {', '.join(options)}")
    core = [i for i in _published_ids(pub, year) if pub.definitions[i].get("core")]
    return DashboardView(freshness=freshness(pub), period=year, periods=pub.years,
                         breakdown=chosen, breakdowns=options,
                         tiles=[_tile(pub, i, year) for i in core],
                         charts=[_table(pub, i, year, chosen) for i in core] if chosen else [])


def indicator_list(pub: Published, period: str | None = None) -> IndicatorList:
    """Every published indicator's national figure for a year."""
    year = _period(pub, period)
    return IndicatorList(freshness=freshness(pub), period=year, periods=pub.years,
                         indicators=[_tile(pub, i, year) for i in _published_ids(pub, year)])


def indicator(pub: Published, indicator_id: str, period: str | None = None) -> IndicatorView:
    """One indicator: definition, value with interval, every breakdown, the trend."""
    year = _period(pub, period)
    if indicator_id not in _published_ids(pub, year):
        raise NotFound(f"no published indicator '{indicator_id}' for {year}",
                       fix="see /api/indicators for the list")
    d: dict[str, Any] = pub.definitions[indicator_id]
    tile = _tile(pub, indicator_id, year)
    found = sorted({r["breakdown"] for r in pub.rows_of(indicator_id, year)} - {""})
    return IndicatorView(freshness=freshness(pub), id=indicator_id, name=d["name"],
                         plain=d["plain"], source=d["source"], unit=d["unit"],
                         better=d["better"], period=year, periods=pub.years, total=tile.total,
                         breakdowns=[_table(pub, indicator_id, year, b) for b in found],
                         trend=tile.trend)
