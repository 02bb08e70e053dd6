"""The charts of the pages, drawn on the server by endvac.charts (Altair → SVG, no
script) and kept per worker: a chart is drawn once for the same figures."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup

from endvac.charts.indicator import breakdown, trend
from endvac.charts.render import to_svg
from endvac.web.views import BreakdownTable, Cell

Figures = tuple[tuple[str, float | None, float | None, float | None], ...]


def _figures(cells: list[Cell]) -> Figures:
    return tuple((c.cell, c.value, c.ci_low, c.ci_high) for c in cells)


@lru_cache(maxsize=4096)
def _breakdown_svg(figures: Figures, unit: str, better: str, dimension: str) -> str:
    rows = [{"cell": c, "value": v, "ci_low": lo, "ci_high": hi} for c, v, lo, hi in figures]
    return to_svg(breakdown(rows, unit=unit, better=better, dimension=dimension))


@lru_cache(maxsize=4096)
def _trend_svg(figures: Figures, unit: str, better: str) -> str:
    points = [{"label": c, "start": c, "value": v, "ci_low": lo, "ci_high": hi}
              for c, v, lo, hi in figures]
    return to_svg(trend(points, unit=unit, better=better))


def breakdown_chart(table: BreakdownTable, title: str | None = None) -> Markup:
    """Bars of a breakdown's cells with their intervals (nothing when no cell has a value);
    ``title`` names the breakdown on the axis (the page's language; default its code)."""
    if not any(c.value is not None for c in table.cells):
        return Markup("")
    svg = _breakdown_svg(_figures(table.cells), table.unit, table.better,
                         title or table.breakdown)
    return Markup(f'<figure class="chart">{svg}</figure>')


def trend_chart(points: list[Cell], unit: str, better: str) -> Markup:
    """The trend over the published periods, with its interval band."""
    if sum(p.value is not None for p in points) < 2:
        return Markup("")
    svg = _trend_svg(_figures(points), unit, better)
    return Markup(f'<figure class="chart trend-chart">{svg}</figure>')
