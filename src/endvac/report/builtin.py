"""The report's own chapters, as data: :data:`SECTIONS` (sections.py, docs/report.md)."""

from __future__ import annotations

from endvac import charts
from endvac.publish.shapes import UnknownShare
from endvac.report.data import ReportData, Row
from endvac.report.sections import Section, SectionSpec
from endvac.report.views import headline, indicator_view
from endvac.safeguards.alerts import AlertCount


def summary(data: ReportData) -> Section:
    """The core indicators with their change against the previous period, then every
    indicator at a glance."""
    core = [e["id"] for e in data.catalogue if e["core"] and e["kind"] == "indicators"]
    ids = data.ids("indicators") + data.ids("safeguards")
    return Section("summary", "Summary", "summary.html", {
        "core": [headline(data, i) for i in core if data.result(i) is not None],
        "all": [headline(data, i) for i in ids]})


def indicators(data: ReportData) -> Section:
    views = [indicator_view(data, i) for i in data.ids("indicators")]
    return Section("indicators", "The indicators", "indicators.html", {"views": views})


def safeguards(data: ReportData) -> Section | None:
    """Alerts by rule and by facility as of the period's end, and the safeguard rates.
    Restricted: the alerts are findings about individual children."""
    snap = data.snapshot
    if snap is None:
        return None
    as_of = f"{data.period}-12-31"
    by_rule = _by_rule(snap.alert_summary("facility_id", as_of))
    by_facility = snap.alert_summary("facility_id", as_of)
    chart = (charts.to_svg(charts.alerts_by(by_rule, by="rule"))
             if by_rule and data.extra.get("charts", True) else None)
    names = {a["rule"]: a["rule_name"] for a in snap.alerts(as_of)}
    return Section("safeguards", "Safeguards", "safeguards.html", {
        "as_of": as_of, "by_rule": by_rule, "by_facility": by_facility, "chart_svg": chart,
        "names": names, "linked": bool(data.provenance.get("linked")),
        "views": [indicator_view(data, i) for i in data.ids("safeguards")]},
        record_level=True)


def _by_rule(summary_rows: list[AlertCount]) -> list[Row]:
    totals: dict[str, Row] = {}
    for row in summary_rows:
        cell = totals.setdefault(row["rule"], {"rule": row["rule"], "breach": 0,
                                               "possible": 0, "no_evidence": 0, "total": 0})
        for status in ("breach", "possible", "no_evidence", "total"):
            cell[status] += row[status]
    return sorted(totals.values(), key=lambda r: -r["total"])


def equity(data: ReportData) -> Section | None:
    """The relative rate index at each decision point, by group."""
    rows = [r for r in data.rows if r["id"] in data.ids("equity") and r["label"] == data.period]
    if not rows:
        return None
    return Section("equity", "Equity at the decision points", "equity.html", {
        "rows": rows, "names": {e["id"]: e["name"] for e in data.catalogue}})


def quality(data: ReportData) -> Section:
    """Deliveries, quarantine, unknowns and linkage (restricted); what is withheld and why
    (public)."""
    withheld = [r for r in data.rows if r["label"] == data.period and r["breakdown"] == ""
                and r.get("coverage")]
    found = data.quality
    pivot: dict[str, dict[str, UnknownShare]] = {}
    for row in found.unknowns if found else []:
        pivot.setdefault(row["id"], {})[row["breakdown"]] = row
    return Section("quality", "Data coverage and quality", "quality.html", {
        "quality": found, "withheld": withheld, "unknowns": pivot,
        "linkage": linkage_rows(found.linkage if found else None),
        "dimensions": sorted({b for cells in pivot.values() for b in cells}),
        "suppressed": (data.provenance.get("release") or {}).get("suppressed")})


def linkage_rows(figures: dict[str, object] | None) -> list[tuple[str, str]]:
    """The linkage quality figures as (name, value) lines: nested figures (the last
    evaluation) flattened, lists and file paths left out."""
    rows: list[tuple[str, str]] = []
    for name, value in (figures or {}).items():
        if isinstance(value, dict):
            rows += [(f"{name} {k}", v) for k, v in linkage_rows(value)]
        elif not isinstance(value, list | tuple) and not name.endswith("path"):
            shown = f"{value:.4f}" if isinstance(value, float) else str(value)
            rows.append((name.replace("_", " "), shown))
    return rows


def methodology(data: ReportData) -> Section:
    sources = [e for e in data.catalogue if e["kind"] in ("indicators", "safeguards")]
    return Section("methodology", "Methodology", "methodology.html", {
        "provenance": data.provenance, "sources": sources})


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("summary", summary, order=10, public=True),
    SectionSpec("indicators", indicators, order=20, public=True),
    SectionSpec("safeguards", safeguards, order=30),
    SectionSpec("equity", equity, order=40),
    SectionSpec("quality", quality, order=50, public=True),
    SectionSpec("methodology", methodology, order=90, public=True),
)
