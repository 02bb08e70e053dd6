"""Altair charts to SVG with vl-convert: no browser, no network, no script in the output."""

from __future__ import annotations

import itertools
import re
from typing import Any

import altair as alt
import vl_convert

_IDS = itertools.count(1)
_ID = re.compile(r'(id="|url\(#|href="#)([A-Za-z][\w-]*)')


def to_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The chart's Vega-Lite specification (for a page that draws it with vega-embed)."""
    return dict(chart.to_dict())


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG string to inline in HTML; element ids are made unique per
    chart so that several charts can share one page."""
    svg = vl_convert.vegalite_to_svg(vl_spec=chart.to_dict())
    prefix = f"c{next(_IDS)}-"
    svg = _ID.sub(lambda m: m[1] + prefix + m[2], svg)
    return svg.replace("<?xml version=\"1.0\" encoding=\"utf-8\"?>", "").strip()
