"""Charts of one indicator: its trend, a breakdown, a map by region. Pure functions from
rows (the snapshot's or the release's result rows) to Altair charts; :func:`to_svg`
turns them into SVG. Colours follow the indicator's ``better`` (palette.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import altair as alt

from endvac.charts.palette import BAND, NEUTRAL, scale_range

UNIT_LABEL = {"per_100000": "per 100,000 children", "per_1000": "per 1,000",
              "per_child": "per child",
              "percent": "%", "days": "days", "yes_no": "yes/no", "ratio": "ratio"}
WIDTH = 440
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"


def unit_label(unit: str) -> str:
    return UNIT_LABEL.get(unit, unit)


def _config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(font=FONT).configure_view(stroke=None).configure_axis(
        labelFontSize=11, titleFontSize=11, grid=True, gridColor="#eeeeee")


def _colour(better: str, values: list[float]) -> alt.Color:
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if high == low:
        high = low + 1
    colours = scale_range(better)
    domain = [low, (low + high) / 2, high] if len(colours) == 3 else [low, high]
    return alt.Color("value:Q", scale=alt.Scale(domain=domain, range=colours), legend=None)


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def trend(points: list[dict[str, Any]], *, unit: str, better: str,
          title: str = "") -> alt.TopLevelMixin:
    """A line over the periods (``label``, ``start``, ``value``, ``ci_low``, ``ci_high``),
    its 95% interval as a band, points coloured by how good each value is."""
    values = [{"label": p["label"], "start": _iso(p["start"]), "value": p.get("value"),
               "ci_low": p.get("ci_low"), "ci_high": p.get("ci_high")}
              for p in points if p.get("value") is not None]
    order = [v["label"] for v in sorted(values, key=lambda v: v["start"])]
    x = alt.X("label:N", sort=order, title=None, axis=alt.Axis(labelAngle=0))
    base = alt.Chart(alt.Data(values=values))
    band = base.mark_area(color=BAND, opacity=0.6).encode(
        x=x, y=alt.Y("ci_low:Q", title=unit_label(unit)), y2="ci_high:Q")
    line = base.mark_line(color=NEUTRAL, strokeWidth=2).encode(x=x, y="value:Q")
    dots = base.mark_circle(size=70, opacity=1, stroke=NEUTRAL, strokeWidth=1).encode(
        x=x, y="value:Q", color=_colour(better, [v["value"] for v in values]),
        tooltip=["label:N", alt.Tooltip("value:Q", format=",.1f")])
    chart = alt.layer(band, line, dots).properties(width=WIDTH, height=180, title=title)
    return _config(chart)


def breakdown(rows: list[dict[str, Any]], *, unit: str, better: str, dimension: str,
              title: str = "") -> alt.TopLevelMixin:
    """Horizontal bars of each cell's value (``cell``, ``value``, ``ci_low``, ``ci_high``)
    with its interval; bar colours by how good each value is."""
    values = [{"cell": str(r["cell"]), "value": r["value"], "ci_low": r.get("ci_low"),
               "ci_high": r.get("ci_high")} for r in rows if r.get("value") is not None]
    y = alt.Y("cell:N", title=dimension, sort=[v["cell"] for v in values])
    base = alt.Chart(alt.Data(values=values))
    bars = base.mark_bar(stroke=NEUTRAL, strokeWidth=0.5).encode(
        y=y, x=alt.X("value:Q", title=unit_label(unit)),
        color=_colour(better, [v["value"] for v in values]))
    whiskers = base.mark_rule(color=NEUTRAL).encode(y=y, x="ci_low:Q", x2="ci_high:Q")
    height = max(40, 22 * len(values))
    return _config(alt.layer(bars, whiskers).properties(width=WIDTH - 120, height=height,
                                                        title=title))


def choropleth(rows: list[dict[str, Any]], geojson: dict[str, Any], *, unit: str,
               better: str, region_property: str = "region",
               title: str = "") -> alt.TopLevelMixin:
    """A map of the regions (a GeoJSON FeatureCollection) coloured by each region's value;
    regions without a value are hatched grey."""
    found = {str(r["cell"]): r["value"] for r in rows if r.get("value") is not None}
    features = []
    for feature in geojson.get("features", []):
        code = str((feature.get("properties") or {}).get(region_property, ""))
        features.append({**feature, "geometry": clockwise(feature.get("geometry") or {}),
                         "properties": {**(feature.get("properties") or {}),
                                        "code": code, "value": found.get(code)}})
    data = alt.Data(values=features)
    shapes = alt.Chart(data).mark_geoshape(stroke="white", strokeWidth=1).encode(
        color=alt.condition("datum.properties.value != null",
                            alt.Color("properties.value:Q", title=unit_label(unit),
                                      scale=alt.Scale(range=scale_range(better))),
                            alt.value("#eeeeee")))
    labels = alt.Chart(data).mark_text(fontSize=10, color="#222222").encode(
        longitude="centroid[0]:Q", latitude="centroid[1]:Q", text="properties.code:N"
    ).transform_calculate(centroid="geoCentroid(null, datum)")
    chart = alt.layer(shapes, labels).project("mercator").properties(
        width=WIDTH - 120, height=260, title=title)
    return _config(chart)


def _area(ring: list[list[float]]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1, *_), (x2, y2, *_) in zip(ring, ring[1:],
                                                                        strict=False))


def clockwise(geometry: dict[str, Any]) -> dict[str, Any]:
    """The geometry with outer rings clockwise and holes anticlockwise, as the map
    projection (d3-geo) reads them; GeoJSON files (RFC 7946) wind the other way."""
    def polygon(rings: list[Any]) -> list[Any]:
        return [ring[::-1] if (_area(ring) > 0) == (index == 0) else ring
                for index, ring in enumerate(rings)]
    if geometry.get("type") == "Polygon":
        return {**geometry, "coordinates": polygon(geometry["coordinates"])}
    if geometry.get("type") == "MultiPolygon":
        return {**geometry, "coordinates": [polygon(p) for p in geometry["coordinates"]]}
    return geometry
