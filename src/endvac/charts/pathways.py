"""Charts of the pathways: a Sankey-style flow chart (hand-drawn SVG: Vega-Lite has no
Sankey) and Kaplan–Meier re-contact curves (Altair, turned into SVG by :func:`to_svg`).
Pure functions from the pathway rows; no script in the output."""

from __future__ import annotations

from html import escape
from typing import Any

import altair as alt

from endvac.charts.indicator import FONT, WIDTH, _config
from endvac.charts.palette import GOOD, NEUTRAL, NEUTRAL_LIGHT

COLUMN = 96
NODE = 12
HEIGHT = 260
GROUP_COLOURS = {"diversion_completed": GOOD, "diversion_failed": "#ef8a62",
                 "non_custodial": "#67a9cf", "custodial": "#b2182b"}


def _layout(stages: list[tuple[str, str]], reached: dict[str, int]
            ) -> dict[str, tuple[float, float, float]]:
    """(x, y, height) of each stage node: one column per stage reached, in stage order;
    heights proportional to the children reaching it."""
    present = [s for s, _name in stages if reached.get(s)]
    largest = max((reached[s] for s in present), default=1)
    scale = (HEIGHT - 40) / largest
    out: dict[str, tuple[float, float, float]] = {}
    for column, stage in enumerate(present):
        height = max(2.0, reached[stage] * scale)
        top = 20 + (column % 2) * 14
        out[stage] = (10 + column * COLUMN, top, height)
    return out


def sankey_svg(stages: list[tuple[str, str]], reached: dict[str, int],
               flows: list[dict[str, Any]], title: str = "") -> str:
    """Stages as bars, flows between them as bands as wide as the children moving;
    ``end`` flows (pathways that stop) are left out: the attrition table shows them."""
    nodes = _layout(stages, reached)
    names = dict(stages)
    width = 20 + COLUMN * max(1, len(nodes))
    scale = ((HEIGHT - 40) / max(reached.values())) if reached else 1.0
    out_offset = dict.fromkeys(nodes, 0.0)
    in_offset = dict.fromkeys(nodes, 0.0)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT + 40}" '
             f'role="img" font-family="{FONT}" font-size="10">',
             f"<title>{escape(title or 'Pathways')}</title>"]
    for flow in flows:
        a, b, n = flow["from"], flow["to"], flow["children"]
        if b not in nodes or a not in nodes or not n:
            continue
        band = max(1.0, n * scale)
        (xa, ya, _ha), (xb, yb, _hb) = nodes[a], nodes[b]
        y1 = ya + out_offset[a] + band / 2
        y2 = yb + in_offset[b] + band / 2
        out_offset[a] += band
        in_offset[b] += band
        x1, x2 = xa + NODE, xb
        middle = (x1 + x2) / 2 if x2 > x1 else x1 + COLUMN / 2
        parts.append(f'<path d="M{x1:.1f},{y1:.1f} C{middle:.1f},{y1:.1f} {middle:.1f},'
                     f'{y2:.1f} {x2:.1f},{y2:.1f}" fill="none" stroke="{NEUTRAL_LIGHT}" '
                     f'stroke-opacity="0.7" stroke-width="{band:.1f}">'
                     f"<title>{escape(names.get(a, a))} → {escape(names.get(b, b))}: {n}"
                     "</title></path>")
    for stage, (x, y, height) in nodes.items():
        parts.append(f'<rect x="{x}" y="{y:.1f}" width="{NODE}" height="{height:.1f}" '
                     f'fill="{NEUTRAL}"><title>{escape(names[stage])}: {reached[stage]}'
                     "</title></rect>")
        parts.append(f'<text x="{x}" y="{y + height + 12:.1f}">{escape(names[stage])}</text>')
        parts.append(f'<text x="{x}" y="{y + height + 24:.1f}" fill="{NEUTRAL}">'
                     f"{reached[stage]:,}</text>")
    parts.append("</svg>")
    return "".join(parts)


def recontact_curves(curves: dict[str, list[dict[str, float]]],
                     title: str = "") -> alt.TopLevelMixin:
    """Share re-contacted (1 - Kaplan–Meier survival) by months since the decision, one
    step line per group with its 95% band."""
    values = [{"group": group, "months": p["days"] / (365.25 / 12),
               "recontact": 1 - p["survival"], "low": 1 - p["ci_high"],
               "high": 1 - p["ci_low"]}
              for group, points in curves.items() for p in points]
    colour = alt.Color("group:N", scale=alt.Scale(domain=list(GROUP_COLOURS),
                                                  range=list(GROUP_COLOURS.values())),
                       legend=alt.Legend(orient="bottom", title=None))
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X("months:Q", title="months since the decision"), color=colour)
    band = base.mark_area(opacity=0.15, interpolate="step-after").encode(
        y=alt.Y("low:Q", title="share re-contacted", axis=alt.Axis(format="%")),
        y2="high:Q")
    line = base.mark_line(interpolate="step-after").encode(y="recontact:Q")
    return _config((band + line).properties(width=WIDTH, height=220, title=title))
