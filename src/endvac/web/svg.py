"""The dashboard tiles' sparkline: a small server-rendered SVG line (no script), a pure
function of the view's cells; text is escaped.  Full charts: web/charts.py."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from endvac.web.views import Cell

COLOURS = {"lower": "#b35806", "higher": "#1b7837", "none": "#4d4d4d"}


def line_chart(points: list[Cell], better: str = "none", title: str = "") -> Markup:
    """A trend: the values in order, labelled first and last."""
    shown = [(i, p) for i, p in enumerate(points) if p.value is not None]
    if len(shown) < 2:
        return Markup("")
    width, height, pad = 260, 70, 14
    top = max(p.value or 0 for _, p in shown) or 1.0
    step = (width - 2 * pad) / (len(points) - 1)
    xy = [(pad + i * step, height - pad - (p.value or 0) / top * (height - 2 * pad))
          for i, p in shown]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    colour = COLOURS.get(better, COLOURS["none"])
    first, last = points[0].cell, points[-1].cell
    return Markup(f'<svg class="trend" role="img" width="{width}" height="{height + 12}" '
                  f'aria-label="{escape(title)}"><polyline points="{path}" fill="none" '
                  f'stroke="{colour}" stroke-width="2"/>'
                  f'<text x="{pad}" y="{height + 10}">{escape(first)}</text>'
                  f'<text x="{width - pad}" y="{height + 10}" text-anchor="end">'
                  f'{escape(last)}</text></svg>')
