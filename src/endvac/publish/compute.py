"""What a snapshot holds, computed on one read-only connection to the analytic store:
the facts are derived once, then every year's indicators (national and each single
breakdown, with equity ratios and relative rate indices), the safeguard rates and the
alerts as of each year's end, and the series of national totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb
import pyarrow as pa

from endvac.config import BREAKDOWN_NAMES, WorkspaceConfig
from endvac.facts import derived
from endvac.indicators.compare import add_ratios, decision_points
from endvac.indicators.definitions import load_definitions
from endvac.indicators.engine import Request, run_indicators
from endvac.indicators.periods import Period, series
from endvac.indicators.results import Result
from endvac.pathways.publish import PathwayRow, snapshot_rows
from endvac.profiles import Profile
from endvac.progress import Progress as Say
from endvac.publish.shapes import IndicatorRow, PublishedAlert
from endvac.publish.tables import alert_row, indicator_row
from endvac.safeguards.alerts import AlertReport, evaluate
from endvac.safeguards.rates import safeguard_rates
from endvac.store import db

GROUPINGS = ((), *((name,) for name in BREAKDOWN_NAMES))


@dataclass
class Content:
    """The rows of a snapshot's computed tables."""

    indicators: list[IndicatorRow] = field(default_factory=list)
    series: list[IndicatorRow] = field(default_factory=list)
    alerts: list[PublishedAlert] = field(default_factory=list)
    alert_dates: list[date] = field(default_factory=list)
    linked: bool = False
    pathways: list[PathwayRow] = field(default_factory=list)


def latest_year(con: duckdb.DuckDBPyConnection) -> int | None:
    """The latest calendar year the deliveries cover (their manifests' period end)."""
    found = db.scalar(con, "find the latest year",
                      "SELECT max(year(period_end)) FROM deliveries")
    return None if found is None else int(found)


def choose_years(con: duckdb.DuckDBPyConnection, config: WorkspaceConfig,
                 years: list[int] | None) -> list[int]:
    """The years to publish: those asked for, else ``publish.years`` years ending with
    ``period.year`` (or the latest year the deliveries cover)."""
    if years:
        return sorted(set(years))
    last = config.period.year or latest_year(con)
    if last is None:
        return []
    return list(range(last - config.publish.years + 1, last + 1))


def compute(con: duckdb.DuckDBPyConnection, config: WorkspaceConfig, profile: Profile,
            years: list[int], say: Say, persons: pa.Table | None, today: date) -> Content:
    """Every table of the snapshot for ``years``: the facts derived once on ``con``
    (``persons``, the linkage's person map, links records into children; ``today`` is
    the day the records are read as of), the alerts evaluated once per year end."""
    content = Content()
    say("deriving facts")
    facts = derived.materialise(con, persons, today=today)
    content.linked = facts.linked
    for year in years:
        period = Period(date(year, 1, 1), date(year, 12, 31))
        say(f"alerts as of {period.end}")
        report = evaluate(facts, profile, config.counting, period.end)
        content.indicators += _year(facts, config, profile, period, report, say)
        content.alert_dates.append(period.end)
        content.alerts += [alert_row(a, period.end) for a in report.alerts]
    if years:
        whole = Period(date(years[0], 1, 1), date(years[-1], 12, 31))
        content.series = _series(facts, config, profile, whole, say)
    say("pathways and outcomes")
    content.pathways = snapshot_rows(facts, years, config.pathways.follow_adults)
    return content


def _year(facts: derived.Facts, config: WorkspaceConfig, profile: Profile, period: Period,
          alerts: AlertReport, say: Say) -> list[IndicatorRow]:
    macr = int(profile.value("macr"))
    request = Request(period, groupings=GROUPINGS)
    defs = load_definitions()
    results = run_indicators(facts, config.counting, macr, request, defs, say)
    say(f"safeguard rates {period}")
    rates = safeguard_rates(facts, profile, config.counting, request, alerts)
    points: list[Result] = []
    for dim, value in config.publish.equity_reference.items():
        add_ratios(results, dim, value)
        add_ratios(rates, dim, value)
        points += decision_points(results, defs, dim, value)
    return ([indicator_row(r, "indicators") for r in results]
            + [indicator_row(r, "safeguards") for r in rates]
            + [indicator_row(r, "equity") for r in points])


def _series(facts: derived.Facts, config: WorkspaceConfig, profile: Profile,
            whole: Period, say: Say) -> list[IndicatorRow]:
    """National totals of every indicator for each quarter (or year) of the years."""
    macr = int(profile.value("macr"))
    defs = load_definitions()
    out: list[IndicatorRow] = []
    for part in series(whole, config.publish.series):
        say(f"series: {part}")
        results = run_indicators(facts, config.counting, macr, Request(part), defs)
        out += [indicator_row(r, "indicators") for r in results]
    return out
