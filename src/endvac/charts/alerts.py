"""Charts of safeguard alerts: counts by rule (or facility), stacked by status."""

from __future__ import annotations

from typing import Any

import altair as alt

from endvac.charts.indicator import WIDTH, _config
from endvac.charts.palette import BAD, NEUTRAL_LIGHT

STATUS_COLOURS = {"breach": BAD, "possible": "#ef8a62", "no_evidence": NEUTRAL_LIGHT}


def alerts_by(summary: list[dict[str, Any]], *, by: str = "rule",
              title: str = "") -> alt.TopLevelMixin:
    """Stacked bars of alerts per ``by`` (rule, facility_id or region) and status, from
    summary rows holding ``by`` and the counts per status."""
    totals: dict[str, dict[str, int]] = {}
    for row in summary:
        cell = totals.setdefault(str(row[by]), {})
        for status in STATUS_COLOURS:
            cell[status] = cell.get(status, 0) + int(row.get(status) or 0)
    values = [{by: key, "status": status, "alerts": count}
              for key, counts in totals.items() for status, count in counts.items() if count]
    order = sorted(totals, key=lambda k: -sum(totals[k].values()))
    chart = alt.Chart(alt.Data(values=values)).mark_bar().encode(
        y=alt.Y(f"{by}:N", sort=order, title=None),
        x=alt.X("alerts:Q", title="alerts", stack=True),
        color=alt.Color("status:N", scale=alt.Scale(domain=list(STATUS_COLOURS),
                                                    range=list(STATUS_COLOURS.values())),
                        legend=alt.Legend(orient="bottom", title=None)))
    height = max(40, 18 * len(order))
    return _config(chart.properties(width=WIDTH - 160, height=height, title=title))
