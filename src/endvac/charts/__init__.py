"""Charts for the report and the web app: pure functions from result rows to Altair
charts, rendered to SVG by vl-convert (no browser, no network). Colours follow each
indicator's ``better``. See docs/report.md."""

from endvac.charts.alerts import alerts_by
from endvac.charts.indicator import breakdown, choropleth, trend, unit_label
from endvac.charts.palette import change_colour, change_word, scale_range
from endvac.charts.render import to_spec, to_svg

__all__ = ["alerts_by", "breakdown", "change_colour", "change_word", "choropleth",
           "scale_range", "to_spec", "to_svg", "trend", "unit_label"]
