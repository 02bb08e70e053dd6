"""What one indicator's part of the report shows: headline with interval and change,
notes, trend, and every breakdown with its chart (a map for regions when boundaries are
given), each cell's counts, value, interval and equity ratio."""

from __future__ import annotations

from endvac import charts
from endvac.charts.palette import BAD, GOOD, NEUTRAL
from endvac.i18n import DEFAULT_LANG, translations
from endvac.indicators.change import Verdict, compare_periods
from endvac.names import load_names
from endvac.report.data import ReportData, Row

BREAKDOWN_TITLES = {"sex": "Sex", "age_group": "Age group", "region": "Region",
                    "offence_section": "Offence", "disability": "Disability",
                    "group": "Group", "nationality": "Nationality"}
CHARTED = ("sex", "age_group", "region", "offence_section")
# notes of a kind that only repeats the plain definition
_SKIP_KINDS = frozenset({"how"})
# a change is coloured only when its intervals say it is real
_VERDICT_COLOURS = {Verdict.BETTER: GOOD, Verdict.WORSE: BAD}


def headline(data: ReportData, indicator_id: str) -> Row:
    """The indicator's national value now and in the previous period, the change and its
    verdict (significant only when the intervals say so: endvac.indicators.change)."""
    definition = data.definition(indicator_id)
    now = data.result(indicator_id)
    before = data.result(indicator_id, data.previous) if data.previous else None
    found = compare_periods(now, before, definition["unit"], definition["better"])
    change = None
    if now and before and now.get("value") is not None and before.get("value") is not None \
            and definition["unit"] != "yes_no":
        change = float(now["value"]) - float(before["value"])
    verdict = "no_data" if found.reason == "no data" else found.verdict.value
    return {"id": indicator_id, "definition": definition, "row": now, "previous": before,
            "change": change, "verdict": verdict, "change_reason": found.reason,
            "change_word": load_names("en").label("verdict", verdict),
            "change_colour": _VERDICT_COLOURS.get(found.verdict, NEUTRAL)}


def indicator_view(data: ReportData, indicator_id: str) -> Row:
    """Everything the indicator template shows."""
    view = headline(data, indicator_id)
    definition = view["definition"]
    row = view["row"] or {}
    view["notes"] = shown_notes(row)
    view["series"] = [r for r in data.series(indicator_id) if r.get("breakdown", "") == ""]
    view["trend_svg"] = None
    drawable = definition["unit"] not in ("yes_no",) and _charts(data)
    if drawable and sum(1 for r in view["series"] if r.get("value") is not None) >= 2:
        view["trend_svg"] = charts.to_svg(charts.trend(
            view["series"], unit=definition["unit"], better=definition["better"]))
    view["breakdowns"] = [b for b in (_breakdown(data, definition, dim, drawable)
                                      for dim in BREAKDOWN_TITLES) if b is not None]
    return view


def shown_notes(row: Row) -> list[str]:
    """The notes of a snapshot or release row, less those of a skipped kind. A row stored
    before notes had kinds (no ``note_kinds``) shows every note."""
    notes = list(row.get("notes") or [])
    kinds = row.get("note_kinds")
    if kinds is None or len(kinds) != len(notes):
        return notes
    return [n for n, kind in zip(notes, kinds, strict=True) if kind not in _SKIP_KINDS]


def _charts(data: ReportData) -> bool:
    return bool(data.extra.get("charts", True))


def _breakdown(data: ReportData, definition: Row, dimension: str, drawable: bool
               ) -> Row | None:
    rows = data.cells(definition["id"], dimension)
    if not rows:
        return None
    shown = [r for r in rows if r.get("value") is not None]
    chart = mapped = None
    if drawable and dimension in CHARTED and len(shown) >= 2:
        chart = charts.to_svg(charts.breakdown(
            rows, unit=definition["unit"], better=definition["better"],
            dimension=translations(data.extra.get("lang", DEFAULT_LANG)).gettext(
                BREAKDOWN_TITLES[dimension])))
    geojson = data.extra.get("geojson")
    if drawable and dimension == "region" and geojson and shown:
        mapped = charts.to_svg(charts.choropleth(
            rows, geojson, unit=definition["unit"], better=definition["better"],
            region_property=data.extra.get("region_property", "region")))
    return {"dimension": dimension, "title": BREAKDOWN_TITLES[dimension], "rows": rows,
            "chart_svg": chart, "map_svg": mapped,
            "reference": next((r["ratio_reference"] for r in rows
                               if r.get("ratio_reference")), None)}
