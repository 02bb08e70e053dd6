"""Building a public release: every indicator with the national total and each published
breakdown, the series of national totals, one joint suppression over all of them, and a
numbered folder under ``published/`` that the public report, the viewer's API and every
public export read instead of the live store."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from endvac.config import CountingRules
from endvac.errors import ConfigError
from endvac.facts.derived import Facts, materialise
from endvac.indicators.definitions import Definitions, Indicator, load_definitions
from endvac.indicators.engine import Request, run_indicators
from endvac.indicators.periods import Period, parse_period, series
from endvac.indicators.results import Result
from endvac.linkage.registry import person_map
from endvac.pathways.definitions import load_pathway_definitions
from endvac.pathways.flows import Pathways, cohort_pathways, prepare
from endvac.pathways.outcomes import Outcomes, cohort_outcomes
from endvac.release import relations
from endvac.release.loss import (
    HeadlineStatus,
    TableLoss,
    headline_cells,
    headline_status,
    information_loss,
    public_loss,
)
from endvac.release.pathways import PublicPathways, public_pathways
from endvac.release.protect import CellKey, Constraint, Pattern, protect
from endvac.release.settings import ReleaseRules, release_rules
from endvac.release.store import Release, ReleaseMeta, read_release, write_release
from endvac.release.tables import PublicRow, derived_count, public_row, table_of, to_arrow
from endvac.workspace import Workspace

ZERO_POLICY = ("zeros are published and never suppressed as primary cells (a true zero "
               "discloses no one); a zero is moved by the secondary suppression only when "
               "no non-zero cell or margin will do")
METHOD = ("primary suppression of counts 1..min_cell-1; audit of every suppressed count by "
          "linear programming over all margins, shares, identities and series; repair by "
          "the cheapest deviation, lexicographic over inner cells (by value), zeros, totals "
          "and headline cells (docs/release.md)")
FORMAT = 2  # 2: release.json gains information_loss and headline (format 1 still reads)


@dataclass(frozen=True)
class ReleaseSummary:
    """What a release build published."""

    number: int
    path: Path
    period: str
    tables: dict[str, int]
    cells: int
    suppressed: dict[str, int]
    identities: list[str]
    dropped_identities: list[str]
    unprotected: int
    lps: int
    seconds: float
    loss: dict[str, TableLoss]
    headline: list[HeadlineStatus]
    pathways: PublicPathways | None = None


def build_release(workspace: Workspace, period_text: str,
                  progress: Callable[[str], None] | None = None,
                  today: date | None = None) -> ReleaseSummary:
    """Compute, protect and publish the release of ``period_text`` (e.g. ``2025``),
    reading the records as of ``today`` (default: the day it runs)."""
    today = today or date.today()
    started = time.perf_counter()
    say = progress or (lambda _m: None)
    rules = release_rules(workspace.config)
    defs = load_definitions()
    period = parse_period(period_text)
    parts = series(period, rules.series) if rules.series else []
    results, revision, cohort = _compute(workspace, rules, defs, period, parts, say, today)
    say("protecting the release")
    indicators = {i.id: i for i in defs.indicators}
    cells = relations.cell_counts(results, indicators)
    constraints, declared, dropped = _constraints(cells, indicators, rules, str(period),
                                                  [str(q) for q in parts])
    headline = headline_cells(cells, indicators, _headline_ids(rules, indicators), str(period))
    pattern = protect(cells, constraints, min_cell=rules.min_cell,
                      protection=rules.protection,
                      margins={k for k in cells if k.by == "" and k.period == str(period)},
                      headline=headline, by_value=rules.cost == "value")
    loss, status = information_loss(cells, pattern, str(period)), headline_status(headline,
                                                                                  pattern)
    tables: dict[str, list[PublicRow]] = {}
    for row in results:
        tables.setdefault(table_of(row, str(period)), []).append(
            public_row(row, indicators[row.id], pattern, rules.rounding_base))
    counts = _suppressed_counts(pattern, tables)
    meta = _meta(rules, defs, str(period), revision, tables, len(cells), counts, declared,
                 dropped, pattern)
    meta["information_loss"] = public_loss(loss)
    meta["headline"] = status
    say("protecting the pathways")
    pathways = public_pathways(*cohort, rules)
    say("writing the release")
    release = write_release(workspace.root, meta, {n: to_arrow(r) for n, r in tables.items()},
                            pathways)
    return ReleaseSummary(release.number, release.path, str(period),
                          {n: len(r) for n, r in tables.items()}, len(cells), counts, declared,
                          dropped, len(pattern.unprotected), pattern.lps,
                          time.perf_counter() - started, loss, status, pathways)


def load_release(workspace: Workspace | Path, n: int | None = None) -> Release:
    """Release ``n`` of a workspace (default: the latest), read from its folder."""
    root = workspace.root if isinstance(workspace, Workspace) else workspace
    return read_release(root, n)


def _headline_ids(rules: ReleaseRules, indicators: dict[str, Indicator]) -> list[str]:
    unknown = sorted(set(rules.headline) - set(indicators))
    if unknown:
        raise ConfigError(f"release.headline names unknown indicators: {', '.join(unknown)}",
                          fix="list indicator ids of docs/indicators.md (e.g. JJ2, JJ3)")
    return rules.headline


def _compute(workspace: Workspace, rules: ReleaseRules, defs: Definitions, period: Period,
             parts: list[Period], say: Callable[[str], None], today: date
             ) -> tuple[list[Result], int, tuple[Pathways, Outcomes]]:
    macr = int(workspace.profile().value("macr"))
    counting = workspace.config.counting
    groupings = ((), *((b,) for b in rules.breakdowns))
    with workspace.analytic() as con:
        say("deriving facts")
        facts = materialise(con, person_map(workspace), today=today)
        results = run_indicators(facts, counting, macr, Request(period, groupings=groupings),
                                 defs, say)
        if len(parts) > 1:
            results += _series(facts, counting, macr, defs, parts, say)
        cohort = _pathways(workspace, facts, period, say)
        revision = workspace.config_revision(con)
    return results, revision, cohort


def _pathways(workspace: Workspace, facts: Facts, period: Period,
              say: Callable[[str], None]) -> tuple[Pathways, Outcomes]:
    """The pathways of the period's cohort and the outcomes of its decisions (curves,
    no weighted comparison), on the facts derived once for the release."""
    say("following the cohort's pathways")
    pathway_defs = load_pathway_definitions()
    prepare(facts, pathway_defs)
    pathways = cohort_pathways(facts, period, pathway_defs, prepared=True)
    outcomes = cohort_outcomes(facts, period, defs=pathway_defs, prepared=True,
                               adjust=False, with_curves=True,
                               follow_adults=workspace.config.pathways.follow_adults)
    return pathways, outcomes


def _series(facts: Facts, counting: CountingRules, macr: int, defs: Definitions,
            parts: list[Period], say: Callable[[str], None]) -> list[Result]:
    """National totals of the flow and event indicators for each part of the period, on
    the facts derived once for the release."""
    ids = tuple(i.id for i in defs.indicators if i.flow or i.counts == "event")
    out: list[Result] = []
    for part in parts:
        out += run_indicators(facts, counting, macr, Request(part, ids=ids), defs, say)
    return out


def _constraints(cells: dict[CellKey, int], indicators: dict[str, Indicator],
                 rules: ReleaseRules, period: str, parts: list[str]
                 ) -> tuple[list[Constraint], list[str], list[str]]:
    declared, dropped = relations.identities(cells)
    constraints = (relations.margins(cells, rules.breakdowns)
                   + relations.shares(cells, indicators)
                   + relations.series(cells, indicators, period, parts) + declared)
    names = sorted({c.name.rsplit(" (", 1)[0] for c in declared})
    return constraints, names, dropped


def _suppressed_counts(pattern: Pattern, tables: dict[str, list[PublicRow]]
                       ) -> dict[str, int]:
    kinds = Counter(s.kind for s in pattern.suppressed.values())
    return {"primary": kinds["primary"], "secondary": kinds["secondary"],
            "derived": sum(derived_count(rows) for rows in tables.values())}


def _meta(rules: ReleaseRules, defs: Definitions, period: str, revision: int,
          tables: dict[str, list[PublicRow]], cells: int, counts: dict[str, int],
          declared: list[str], dropped: list[str], pattern: Pattern) -> ReleaseMeta:
    return {
        "format": FORMAT, "period": period, "created": datetime.now().isoformat(timespec="seconds"),
        "definitions_version": defs.version, "config_revision": revision,
        "settings": {**rules.model_dump(), "protection": rules.protection},
        "tables": {name: {"file": f"{name}.parquet", "rows": len(rows)}
                   for name, rows in tables.items()},
        "count_cells": cells, "suppressed": counts, "zero_policy": ZERO_POLICY,
        "method": METHOD, "identities": declared, "identities_dropped": dropped,
        "unprotected": [k.describe() for k in pattern.unprotected],
    }
