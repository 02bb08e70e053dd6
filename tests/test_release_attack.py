"""An attack on the synthetic country's complete release: one linear system from every
published (unrounded) count, every margin, share and cross-indicator identity and the
quarters against the year, counts non-negative; every suppressed count must keep an LP
range of at least p either way. The system is built here from the release files alone
(not from endvac.release), and the true values come from the indicator engine."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest
from scipy.optimize import linprog

from conftest import synthetic_workspace
from endvac.facts.derived import materialise
from endvac.indicators.engine import Request, run_indicators
from endvac.indicators.periods import parse_period
from endvac.release import build_release
from endvac.workspace import Workspace

YEAR = "2025-01-01/2025-12-31"
P = 5  # protection_level defaults to min_cell = 5
Key = tuple[str, str, str, str]  # id, period, "dim=value" or "", numerator/denominator

# What a reader knows from docs/release.md, written out here by hand.
SAME_IN_EVERY_CELL = [(("JJ2", "numerator"), ("JJ8", "denominator")),
                      (("JJ2", "numerator"), ("JJU", "denominator")),
                      (("JJ6", "denominator"), ("VAC5", "denominator"))]
SAME_NATIONALLY = [(("JJ3", "numerator"), ("JJU", "numerator"))]
AT_MOST_NATIONALLY = [(("JJ7", "denominator"), ("JJ2", "numerator")),
                      (("JJ2", "numerator"), ("JJ6", "denominator")),
                      (("VAC2", "numerator"), ("VAC1", "numerator")),
                      (("VAC3", "numerator"), ("VAC1", "numerator")),
                      (("VAC4", "numerator"), ("VAC1", "numerator"))]
SERIES = ("JJ1", "JJ6", "VAC1", "VAC2", "VAC3", "VAC4", "VAC5", "VAC6")  # flows and events
EVENTS = {("VAC5", "numerator"), ("JJ6", "numerator")}  # quarters add up to the year
CHILDREN_IN_QUARTERS = {("JJ1", "numerator"), ("VAC1", "numerator"), ("VAC2", "numerator"),
                        ("VAC3", "numerator"), ("VAC4", "numerator"), ("VAC6", "numerator"),
                        ("JJ6", "denominator"), ("VAC5", "denominator")}


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Path]:
    ws = synthetic_workspace(tmp_path_factory.mktemp("release"), 3000, 5)[1]
    summary = build_release(ws, "2025")
    return ws, summary.path


def published_rows(folder: Path) -> list[dict[str, Any]]:
    meta = json.loads((folder / "release.json").read_text("utf-8"))
    return [row for name in meta["tables"]
            for row in pq.read_table(folder / f"{name}.parquet").to_pylist()]


def counts(rows: list[dict[str, Any]]) -> dict[Key, dict[str, Any]]:
    """Every count of the release: its published value (None when suppressed) and flag."""
    out = {}
    for row in rows:
        by = f"{row['breakdown']}={row['cell']}" if row["breakdown"] else ""
        for field in ("numerator", "denominator"):
            is_count = field == "numerator" or not row["denominator_is_population"]
            if is_count and (row[field] is not None or row[f"{field}_suppressed"]):
                out[(row["id"], row["period"], by, field)] = {
                    "value": row[field], "flag": row[f"{field}_suppressed"]}
    return out


def engine_truth(ws: Workspace) -> dict[Key, int]:
    period = parse_period("2025")
    with ws.analytic() as con:
        facts = materialise(con, today=date(2026, 12, 31))
        results = run_indicators(facts, ws.config.counting, 14, Request(
            period, groupings=((), ("sex",), ("age_group",), ("region",)))) + run_indicators(
            facts, ws.config.counting, 14, Request(period, every="quarter", ids=SERIES))
    out = {}
    for r in results:
        by = ";".join(f"{k}={v}" for k, v in r.by.items())
        for field in ("numerator", "denominator"):
            count = getattr(r, field)
            if count is not None:
                out[(r.id, r.period, by, field)] = int(count)
    return out


def attack_system(cells: dict[Key, dict[str, Any]]) -> tuple[list[dict[Key, int]],
                                                              list[dict[Key, int]]]:
    """(equalities, inequalities): each {cell: coefficient}, sum = 0 or <= 0; a cell not
    in the release is a zero and drops out."""
    eq: list[dict[Key, int]] = []
    le: list[dict[Key, int]] = []
    groups: dict[tuple[str, str, str], list[Key]] = defaultdict(list)
    for key in cells:
        ind, period, by, field = key
        if by:
            groups[(ind, field, by.split("=")[0])].append(key)
        if field == "numerator" and (ind, period, by, "denominator") in cells and \
                ind in ("JJ7", "JJ8", "JJ9", "JJ10", "JJ11", "JJ12b", "JJ13b", "JJU"):
            le.append({key: 1, (ind, period, by, "denominator"): -1})
    for (ind, field, _), keys in groups.items():
        eq.append({(ind, YEAR, "", field): 1, **{k: -1 for k in keys}})
    bys = {(k[1], k[2]) for k in cells}
    for (a, fa), (b, fb) in SAME_IN_EVERY_CELL:
        for period, by in bys:
            pair = {k: c for k, c in (((a, period, by, fa), 1), ((b, period, by, fb), -1))
                    if k in cells}
            if pair:
                eq.append(pair)
    eq += [{(a, YEAR, "", fa): 1, (b, YEAR, "", fb): -1} for (a, fa), (b, fb) in
           SAME_NATIONALLY]
    le += [{(a, YEAR, "", fa): 1, (b, YEAR, "", fb): -1} for (a, fa), (b, fb) in
           AT_MOST_NATIONALLY]
    for ind, field in EVENTS | CHILDREN_IN_QUARTERS:
        quarters = [k for k in cells if k[0] == ind and k[3] == field and k[1] != YEAR]
        year = (ind, YEAR, "", field)
        if (ind, field) in EVENTS:
            eq.append({year: 1, **{q: -1 for q in quarters}})
        else:
            le.append({year: 1, **{q: -1 for q in quarters}})
            le += [{q: 1, year: -1} for q in quarters]
    return eq, le


def lp_range(cells: dict[Key, dict[str, Any]], eq: list[dict[Key, int]],
             le: list[dict[Key, int]], target: Key) -> tuple[float, float]:
    keys = list(cells)
    index = {k: i for i, k in enumerate(keys)}

    def matrix(rows: list[dict[Key, int]]) -> np.ndarray:
        out = np.zeros((len(rows), len(keys)))
        for r, row in enumerate(rows):
            for key, coef in row.items():
                out[r, index[key]] += coef
        return out
    bounds = [(c["value"], c["value"]) if c["value"] is not None else (0, None)
              for c in cells.values()]
    objective = np.zeros(len(keys))
    objective[index[target]] = 1
    low = linprog(objective, A_ub=matrix(le), b_ub=np.zeros(len(le)), A_eq=matrix(eq),
                  b_eq=np.zeros(len(eq)), bounds=bounds, method="highs")
    high = linprog(-objective, A_ub=matrix(le), b_ub=np.zeros(len(le)), A_eq=matrix(eq),
                   b_eq=np.zeros(len(eq)), bounds=bounds, method="highs")
    assert low.status == 0, low.message  # the published figures are consistent
    return low.fun, (float("inf") if high.status == 3 else -high.fun)


def assert_no_count_narrowed_below_p(ws: Workspace, folder: Path) -> list[Key]:
    """Attack every suppressed count of the release in ``folder``: each must keep an
    interval of P either way around its true value. The suppressed counts."""
    cells = counts(published_rows(folder))
    truth = engine_truth(ws)
    eq, le = attack_system(cells)
    suppressed = [k for k, c in cells.items() if c["value"] is None]
    for key in suppressed:
        value = truth[key]
        low, high = lp_range(cells, eq, le, key)
        assert low <= max(0, value - P) + 1e-6, (key, value, low)
        assert high >= value + P - 1e-6, (key, value, high)
    return suppressed


def test_no_suppressed_count_can_be_narrowed_below_p(country: tuple[Workspace, Path]
                                                      ) -> None:
    suppressed = assert_no_count_narrowed_below_p(*country)
    assert len(suppressed) > 50  # a small country: many cells to protect


def test_small_counts_are_primary_and_published_counts_are_true(
        country: tuple[Workspace, Path]) -> None:
    ws, folder = country
    cells = counts(published_rows(folder))
    truth = engine_truth(ws)
    assert set(cells) == set(truth) - {k for k in truth if k[3] == "denominator" and
                                       k[0] in ("JJ1", "JJ2", "JJ3", "VAC1", "VAC2", "VAC3",
                                                "VAC4", "VAC6")}
    for key, cell in cells.items():
        if 0 < truth[key] < 5:
            assert cell["flag"] == "primary", key
        elif cell["value"] is not None:
            assert cell["value"] == truth[key], key
        else:
            assert cell["flag"] == "secondary", key


def test_values_of_suppressed_counts_are_withheld(country: tuple[Workspace, Path]) -> None:
    rows = published_rows(country[1])
    for row in rows:
        hidden = row["numerator_suppressed"] or row["denominator_suppressed"]
        if hidden:
            assert (row["value"], row["ci_low"], row["ci_high"], row["mean"], row["p90"],
                    row["value_suppressed"]) == (None, None, None, None, None, "derived")
        assert not any(n.startswith(("excluded_adults", "police custody", "stays by"))
                       for n in row["notes"])


def test_the_headline_is_published_unless_it_truly_must_go(country: tuple[Workspace, Path]
                                                           ) -> None:
    """JJ2's national total is published. JJ3's (a handful of children held before
    sentence at the census date, its cells all small) goes, and the release says why;
    publishing it at its true value would let the attack narrow a suppressed count
    below p, so it truly had to go."""
    ws, folder = country
    meta = json.loads((folder / "release.json").read_text("utf-8"))
    status = {h["id"]: h for h in meta["headline"]}
    assert status["JJ2"]["published"] is True
    assert (status["JJ3"]["published"], status["JJ3"]["code"]) == (False, "total_needed")
    assert "needs the total" in status["JJ3"]["reason"]
    cells = counts(published_rows(folder))
    truth = engine_truth(ws)
    assert cells[("JJ2", YEAR, "", "numerator")]["value"] == truth[("JJ2", YEAR, "", "numerator")]
    # publish JJ3's total (and JJU's, equal to it nationally) at the true value
    for ind in ("JJ3", "JJU"):
        key = (ind, YEAR, "", "numerator")
        cells[key] = {"value": truth[key], "flag": None}
    eq, le = attack_system(cells)
    exposed = []
    for key in [k for k, c in cells.items() if c["value"] is None]:
        low, high = lp_range(cells, eq, le, key)
        if low > max(0, truth[key] - P) + 1e-6 or high < truth[key] + P - 1e-6:
            exposed.append(key)
    assert exposed  # some suppressed count would be narrowed below p


def test_release_command_prints_the_loss_and_the_headline(country: tuple[Workspace, Path]
                                                          ) -> None:
    from cli_helpers import endvac

    ws, _ = country
    result = endvac("release", ws.root, "--period", "2025", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    tables = {r["table"]: r for r in rows if r["headline"] is None}
    assert set(tables) == {"total", "sex", "age_group", "region", "quarter"}
    cells = counts(published_rows(country[1]))
    # the sex table's counts and how many are suppressed, counted here from the files
    sex = [c for k, c in cells.items() if k[2].startswith("sex=")]
    assert tables["sex"]["cells"] == len(sex)
    assert tables["sex"]["suppressed"] == sum(1 for c in sex if c["value"] is None)
    headline = {r["table"]: r["headline"] for r in rows if r["headline"] is not None}
    assert headline["headline JJ2 numerator"] == "published"
    assert headline["headline JJ3 numerator"].startswith("secondary (total_needed): protects")
