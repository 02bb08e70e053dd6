"""The UN-CTS tables of a year: juvenile counts from the records, adult counts from
``adult_counts``, totals where both exist, every count protected by the release's
disclosure rule (docs/uncts.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from endvac.facts.derived import materialise
from endvac.indicators.periods import Period, parse_period
from endvac.linkage.registry import person_map
from endvac.release import load_release
from endvac.release.protect import CellKey, Constraint, Pattern, Suppression, protect
from endvac.release.settings import release_rules
from endvac.release.store import releases
from endvac.uncts.count import Cell, adult_counts, juvenile_counts
from endvac.uncts.definitions import COLUMNS, GROUPS, MEASURES, OFFENCES, SEXES, TOTAL_ROW, Measure
from endvac.workspace import Workspace

RECORDS = "records (children, events, detentions)"
ADULTS = "adult_counts.csv"
SOURCES = {"juvenile": RECORDS, "adult": ADULTS, "all": f"{RECORDS} + {ADULTS}"}


@dataclass(frozen=True)
class UnctsCell:
    """One cell of a UN-CTS table: its count (None when suppressed or not available),
    where it comes from, and its status (published, primary, secondary, or not
    available) with the reason."""

    measure: str
    row: str
    column: str
    value: int | None
    source: str
    status: str
    reason: str


@dataclass(frozen=True)
class UnctsTables:
    year: int
    cells: list[UnctsCell]
    min_cell: int
    release: int | None  # the public release whose suppression the tables inherit
    adult_rows_left_out: int


def rows_of(measure: Measure) -> list[str]:
    return [TOTAL_ROW, *(o.id for o in OFFENCES)] if measure.by_offence else [TOTAL_ROW]


def build_uncts(workspace: Workspace, year: int, today: date | None = None) -> UnctsTables:
    """The UN-CTS tables of ``year``, protected (docs/uncts.md)."""
    rules = release_rules(workspace.config)
    period = parse_period(str(year))
    with workspace.analytic() as con:
        facts = materialise(con, person_map(workspace), today=today or date.today())
        juveniles = juvenile_counts(facts, period)
        adults, left_out = adult_counts(con, year)
    values = assemble(juveniles, adults)
    release, given = release_suppression(workspace, period)
    cells = {_key(c, year): v for c, v in values.items()}
    pattern = protect(cells, constraints(values, year), min_cell=rules.min_cell,
                      protection=rules.protection,
                      margins=[k for k in cells if k.by.startswith(TOTAL_ROW + " ")
                               or k.by.endswith("_total")],
                      by_value=rules.cost == "value", given=given)
    return UnctsTables(year, _cells(values, pattern, year), rules.min_cell, release, left_out)


def assemble(juveniles: Mapping[Cell, int], adults: Mapping[Cell, int]) -> dict[Cell, int]:
    """Every available count: juvenile cells (zero when no child), adult cells where
    delivered, and the all-persons cell where both are there."""
    out: dict[Cell, int] = {}
    for measure in MEASURES:
        for row in rows_of(measure):
            for sex in SEXES:
                juvenile = juveniles.get((measure.id, row, f"juvenile_{sex}"), 0)
                out[(measure.id, row, f"juvenile_{sex}")] = juvenile
                adult = adults.get((measure.id, row, f"adult_{sex}"))
                if adult is not None:
                    out[(measure.id, row, f"adult_{sex}")] = adult
                    out[(measure.id, row, f"all_{sex}")] = juvenile + adult
    return out


def constraints(values: Mapping[Cell, int], year: int) -> list[Constraint]:
    """What a reader knows: m + f <= total in each group; all = juvenile + adult; the
    offence rows add up to at most the total row. Each is declared only when the
    figures satisfy it (delivered adult counts need not)."""
    out: list[Constraint] = []

    def add(name: str, terms: list[tuple[Cell, int]], sense: str) -> None:
        if all(t in values for t, _ in terms):
            total = sum(values[t] * c for t, c in terms)
            if total == 0 or (sense == "le" and total < 0):
                out.append(Constraint(name, tuple((_key(t, year), c) for t, c in terms),
                                      "eq" if sense == "eq" else "le"))
    for measure in MEASURES:
        m = measure.id
        for row in rows_of(measure):
            for group in GROUPS:
                add(f"{m} {row} {group}: m + f <= total",
                    [((m, row, f"{group}_m"), 1), ((m, row, f"{group}_f"), 1),
                     ((m, row, f"{group}_total"), -1)], "le")
            for sex in SEXES:
                add(f"{m} {row} {sex}: all = juvenile + adult",
                    [((m, row, f"all_{sex}"), 1), ((m, row, f"juvenile_{sex}"), -1),
                     ((m, row, f"adult_{sex}"), -1)], "eq")
        if measure.by_offence:
            for column in COLUMNS:
                add(f"{m} {column}: offences <= total",
                    [*(((m, o.id, column), 1) for o in OFFENCES),
                     ((m, TOTAL_ROW, column), -1)], "le")
    return out


def release_suppression(workspace: Workspace, period: Period
                        ) -> tuple[int | None, dict[CellKey, Suppression]]:
    """The juvenile cells that equal a cell of the latest public release of the year,
    suppressed when the release suppressed it (so neither output undoes the other)."""
    found = [n for n in reversed(releases(workspace.root))
             if load_release(workspace, n).meta["period"] == str(period)]
    if not found:
        return None, {}
    release = load_release(workspace, found[0])
    flags = {(r["id"], r["cell"] if r["breakdown"] == "sex" else ""): r
             for r in release.rows() if r["period"] == str(period)
             and r["breakdown"] in ("", "sex")}
    given: dict[CellKey, Suppression] = {}
    for measure in MEASURES:
        if measure.release_cell is None:
            continue
        indicator, field = measure.release_cell
        for sex in SEXES:
            row = flags.get((indicator, "" if sex == "total" else sex))
            if row is not None and row.get(f"{field}_suppressed"):
                given[_key((measure.id, TOTAL_ROW, f"juvenile_{sex}"), period.start.year)] = \
                    Suppression("secondary", f"suppressed in public release {found[0]} "
                                f"({indicator} {field})", "release")
    return found[0], given


def _key(cell: Cell, year: int) -> CellKey:
    measure, row, column = cell
    return CellKey(measure, str(year), f"{row} {column}", "count")


def _cells(values: Mapping[Cell, int], pattern: Pattern, year: int) -> list[UnctsCell]:
    out = []
    for measure in MEASURES:
        for row in rows_of(measure):
            for column in COLUMNS:
                cell = (measure.id, row, column)
                source = SOURCES[column.split("_")[0]]
                if cell not in values:
                    out.append(UnctsCell(*cell, None, "not available", "not available",
                                         f"no {ADULTS} row for it"))
                    continue
                flag = pattern.suppressed.get(_key(cell, year))
                out.append(UnctsCell(*cell, None if flag else values[cell], source,
                                     flag.kind if flag else "published",
                                     flag.reason if flag else ""))
    return out
