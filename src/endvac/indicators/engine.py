"""The indicator engine: every indicator of the definitions, for any period, with
its breakdowns, intervals and notes. SQL runs through the store's chokepoint
over the derived facts; the result shape is spec/indicators.md's."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

import duckdb

from endvac.config import CountingRules
from endvac.facts import derived
from endvac.indicators import durations, shapes
from endvac.indicators.definitions import Definitions, Indicator, load_definitions
from endvac.indicators.periods import Period, series
from endvac.indicators.population import Population
from endvac.indicators.results import (
    NO_DATA,
    CellCounts,
    Note,
    Result,
    finish_rate,
    finish_share,
    finish_stay,
)
from endvac.indicators.universes import BUILTIN, Universe, universe
from endvac.progress import counted
from endvac.store import db

Groupings = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Request:
    """What a user asks for: period(s), census date, breakdowns, indicators."""

    period: Period
    census: date | None = None
    groupings: Groupings = ((),)
    ids: tuple[str, ...] | None = None
    every: str | None = None
    compare_to: tuple[str, str] | None = None


@dataclass
class Context:
    """What one run shares: the connection, counting rules, the day the records are read
    as of, population, coverage."""

    con: duckdb.DuckDBPyConnection
    rules: CountingRules
    macr: int
    today: date
    recorded: set[str]
    fields_recorded: dict[str, bool]
    populations: dict[int, Population] = field(default_factory=dict)
    universes: Mapping[str, Universe] = field(default_factory=lambda: BUILTIN)


def run_indicators(facts: derived.Facts, rules: CountingRules, macr: int, request: Request,
                   definitions: Definitions | None = None,
                   progress: Callable[[str], None] | None = None,
                   universes: Mapping[str, Universe] = BUILTIN) -> list[Result]:
    """Compute the requested indicators on the derived ``facts`` (of the analytic store);
    a figure whose records may still be made after ``facts.today`` is provisional."""
    defs = definitions or load_definitions()
    say = progress or (lambda _m: None)
    con = facts.con
    recorded = {r[0] for r in db.rows(con, "find recorded event types",
                                      shapes.recorded_event_types_sql())}
    fields = {str(f): bool(r) for f, r in db.rows(con, "find recorded fields",
                                                  shapes.recorded_fields_sql())}
    ctx = Context(con, rules, macr, facts.today, recorded, fields, universes=universes)
    wanted = [i for i in defs.indicators if request.ids is None or i.id in request.ids]
    out: list[Result] = []
    periods = series(request.period, request.every)
    total, done = len(periods) * len(wanted), 0
    for period in periods:
        census = request.census or period.end
        for ind in wanted:
            done += 1
            say(counted(done, total, f"{ind.id} {period}"))
            if ind.shape == "policy" or covered(facts.span, period, facts.today):
                out += indicator_results(ctx, ind, period, census, request.groupings)
            else:
                out.append(no_data(ind, period, facts.span))
    return out


def covered(span: tuple[date, date] | None, period: Period, today: date) -> bool:
    """Whether records can speak for ``period``: it ends on or after the first record
    (``span``: the facts' first and last date) and does not start after ``today``. A
    period after the last record but not in the future may be a true zero."""
    return span is not None and span[0] <= period.end and period.start <= today


def no_data(ind: Indicator, period: Period, span: tuple[date, date] | None) -> Result:
    """A period before every record or in the future: no figure (not zero), with why."""
    result = Result(ind.id, str(period), ind.unit, coverage=NO_DATA)
    result.notes.append(Note("no_data", detail="no record is loaded" if span is None
                             else f"the records begin on {span[0]}"))
    return result


def _params(ctx: Context, period: Period, census: date, **extra: Any) -> dict[str, Any]:
    return {"period_start": period.start, "period_end": period.end, "census": census,
            "bases": ctx.rules.detention_bases, "aftercare_days": ctx.rules.aftercare_window_days,
            "macr": ctx.macr, **extra}


def _applicable(ind: Indicator, groupings: Groupings) -> Groupings:
    return tuple(g for g in groupings if set(g) <= set(ind.breakdowns))


def _cells(con: duckdb.DuckDBPyConnection, step: str, sql: str, params: dict[str, Any],
           groupings: Groupings) -> list[tuple[dict[str, str], CellCounts]]:
    """(by, row) for each grouping-set row of a shape query."""
    dims = shapes.dims_of(groupings)
    wanted: dict[int, tuple[str, ...]] = {}
    for grouping in groupings:
        gid = sum(1 << (len(dims) - 1 - i) for i, d in enumerate(dims) if d not in grouping)
        wanted[gid] = grouping
    out = []
    for row in db.records(con, step, sql, params):
        found = wanted.get(row["_gid"])
        # a cell with no one in it is not listed (the total always is); a cell holding only
        # children left out as unknown is, so that unknowns add up too
        if found is not None and (not found or row["numerator"] or row["denominator"]
                                  or row.get("unknown")):
            out.append(({d: row[d] for d in found}, cast(CellCounts, row)))
    out.sort(key=lambda item: (len(item[0]), sorted(item[0].items())))
    return out


def indicator_results(ctx: Context, ind: Indicator, period: Period, census: date,
                      groupings: Groupings) -> list[Result]:
    """Every cell of one indicator for one period."""
    groupings = tuple(dict.fromkeys(((), *_applicable(ind, groupings))))
    if ind.shape == "policy":
        return [_policy(ctx, ind, period, census)]
    coverage = _coverage(ctx, ind)
    params = _params(ctx, period, census, basis=ind.basis)
    step = f"compute {ind.id}"
    relation = universe(ind.universe or "", ctx.universes).relation
    if ind.shape == "person_rate":
        sql = shapes.person_rate_sql(ind, ctx.rules, groupings, relation)
    elif ind.shape == "person_share":
        sql = shapes.person_share_sql(ind, ctx.rules, groupings, relation)
    elif ind.shape == "event_rate":
        sql = shapes.event_rate_sql(ind.numerator or "", ind.denominator or "", ctx.rules,
                                    groupings, relation)
    elif ind.shape == "stay_duration":
        sql = shapes.stay_duration_sql(ctx.rules, groupings, relation)
    elif ind.shape == "median_days":
        sql = durations.median_days_sql(ind, ctx.rules, groupings, relation)
    else:
        sql = shapes.place_share_sql(ind, groupings, relation)
    cells = _cells(ctx.con, step, sql, params, groupings)
    if not cells:  # nothing qualified: the national total is still a figure
        cells = [({}, {"numerator": 0, "denominator": 0, "unknown": 0, "below_macr": 0,
                       "value": None, "mean": None, "p90": None})]
    notes = _total_notes(ctx, ind, params, period)
    out = []
    for by, row in cells:
        result = Result(ind.id, str(period), ind.unit, by)
        if ind.shape == "person_rate":
            population = _population(ctx, period)
            finish_rate(result, row, population, by, ind, period, ctx.rules)
        elif ind.shape == "event_rate":
            finish_rate(result, row, None, by, ind, period, ctx.rules)
        elif ind.shape == "stay_duration":
            finish_stay(result, row)
        elif ind.shape == "median_days":
            durations.finish_median(result, row)
        else:
            finish_share(result, row)
        if coverage:
            result.value = result.ci_low = result.ci_high = None
            result.coverage = coverage
            result.notes.append(Note("value_withheld", detail=coverage))
        if not by:
            result.notes += notes
            result.excluded_adults = next(
                (n.count for n in notes if n.kind == "excluded_adults"), None)
        out.append(result)
    return out


def _population(ctx: Context, period: Period) -> Population | None:
    year = period.end.year
    if year not in ctx.populations:
        records = db.records(ctx.con, "read population",
                             "SELECT * FROM population WHERE year = ?", [year])
        if not records:
            return None
        parents = dict(db.rows(ctx.con, "read regions", "SELECT region, parent FROM regions"))
        ages = (ctx.rules.child_population_ages[0], ctx.rules.child_population_ages[1])
        ctx.populations[year] = Population.from_records(records, parents, ages, year)
    return ctx.populations[year]


def _coverage(ctx: Context, ind: Indicator) -> str | None:
    missing = [t for t in ind.needs if t not in ctx.recorded]
    missing += [f for f in ind.needs_fields if not ctx.fields_recorded.get(f, False)]
    if not missing:
        return None
    return "not recorded: " + ", ".join(missing)


def _policy(ctx: Context, ind: Indicator, period: Period, census: date) -> Result:
    row = db.records(ctx.con, f"compute {ind.id}", shapes.policy_sql(),
                     {"key": ind.key, "census": census})
    result = Result(ind.id, str(period), ind.unit)
    if not row:
        result.notes.append(Note("no_policy", detail=f"{ind.key} dated on or before {census}"))
        return result
    fact = row[0]
    result.value = 1 if fact["value"] else 0
    result.as_of, result.evidence = fact["as_of"].isoformat(), fact["evidence"]
    result.notes.append(Note("policy_as_of", detail=str(fact["as_of"])))
    return result


def _total_notes(ctx: Context, ind: Indicator, params: dict[str, Any],
                 period: Period) -> list[Note]:
    """Notes that belong to the national figure: adults left out, police custody, splits."""
    notes: list[Note] = []
    relation = universe(ind.universe, ctx.universes).relation if ind.universe else "facts"
    predicate = ind.denominator if ind.shape in ("person_share", "event_rate",
                                                 "median_days") else ind.numerator
    if ind.shape in ("person_rate", "person_share", "event_rate", "median_days") and predicate:
        adults = int(db.scalar(ctx.con, f"count adults of {ind.id}",
                               shapes.adults_sql(predicate, relation), params))
        notes.append(Note("excluded_adults", adults,
                          detail="persons aged 18 or over on the reference date"))
    if ind.shape == "event_rate" and ind.numerator and ind.denominator:
        outside = int(db.scalar(ctx.con, f"count {ind.id} facts outside",
                                shapes.events_outside_sql(ind.numerator, ind.denominator,
                                                          relation),
                                params))
        if outside:
            notes.append(Note("outside_denominator", outside))
    if ind.police_custody:
        rows = _cells(ctx.con, f"compute {ind.id} police custody", shapes.event_rate_sql(
            ind.police_custody.numerator, ind.police_custody.denominator, ctx.rules, ((),)),
            params, ((),))
        numerator = int(rows[0][1]["numerator"]) if rows else 0
        denominator = int(rows[0][1]["denominator"]) if rows else 0
        notes.append(Note("police_custody", numerator, denominator))
    if ind.shape == "stay_duration":
        split = db.rows(ctx.con, f"split {ind.id} by end reason", shapes.stay_notes_sql(),
                        params)
        notes.append(Note("end_reasons", sum(int(c) for _, c, _ in split),
                          detail=", ".join(f"{r}: {c}" for r, c, _ in split)))
        adults = sum(int(a) for _, _, a in split)
        notes.append(Note("excluded_adults", adults, detail="stays of persons aged 18 or over"))
    if ind.provisional_days == "aftercare":
        final = date.fromordinal(period.end.toordinal() + ctx.rules.aftercare_window_days)
        if final >= ctx.today:
            notes.append(Note("provisional", detail=str(final)))
    notes.append(Note("how", detail=f"{ind.plain} Shape {ind.shape}; counting rules of the "
                                    "workspace config; see docs/indicators.md"))
    return notes

