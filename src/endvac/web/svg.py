"""Small server-rendered SVG charts (no script, no CDN): bars with intervals for a
breakdown, a line for a trend.  Pure functions of the view's cells; text is escaped."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from endvac.web.views import Cell

WIDTH, BAR_H, GAP, LABEL_W = 560, 22, 6, 150
COLOURS = {"lower": "#b35806", "higher": "#1b7837", "none": "#4d4d4d"}


def _fmt(value: float | None, withheld: str | None = None) -> str:
    if value is None:
        return "withheld" if withheld else "no value"
    return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"


def bar_chart(cells: list[Cell], better: str = "none", title: str = "") -> Markup:
    """Horizontal bars, one per cell, with the interval as a thin line."""
    shown = [c for c in cells if c.value is not None]
    top = max([c.ci_high or c.value or 0 for c in shown] + [1e-9])
    scale = (WIDTH - LABEL_W - 70) / top
    height = len(cells) * (BAR_H + GAP) + GAP
    colour = COLOURS.get(better, COLOURS["none"])
    parts = [f'<svg class="chart" role="img" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" aria-label="{escape(title)}">']
    for i, c in enumerate(cells):
        y = GAP + i * (BAR_H + GAP)
        parts.append(f'<text x="{LABEL_W - 6}" y="{y + 15}" text-anchor="end">'
                     f'{escape(c.cell)}</text>')
        if c.value is not None:
            w = max(c.value * scale, 1)
            parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR_H}" '
                         f'fill="{colour}"><title>{escape(c.cell)}: {_fmt(c.value)}</title>'
                         '</rect>')
            if c.ci_low is not None and c.ci_high is not None:
                x1, x2 = LABEL_W + c.ci_low * scale, LABEL_W + c.ci_high * scale
                parts.append(f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{y + 11}" y2="{y + 11}" '
                             'stroke="#000" stroke-width="1.5"/>')
        x = LABEL_W + (c.ci_high or c.value or 0) * scale + 6
        parts.append(f'<text x="{x:.1f}" y="{y + 15}">{_fmt(c.value, c.withheld)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


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
