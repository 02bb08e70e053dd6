"""The victims' pathway of the synthetic country: VAC7-VAC12 against the generator's own
truth (counted from the simulated cases, truth/counts.json), with the true persons as
the person map, and the planted slower decisions in one district."""

from __future__ import annotations

import csv
import json
import statistics
from datetime import date
from typing import Any

import pyarrow as pa
import pytest

from conftest import synthetic_workspace
from endvac.facts.derived import materialise
from endvac.indicators.engine import Request, run_indicators
from endvac.indicators.periods import parse_period
from endvac.indicators.results import Result

IDS = ("VAC7", "VAC8", "VAC9", "VAC10", "VAC11", "VAC12")


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any],
                                                                dict[tuple[str, str, str],
                                                                     Result]]:
    root, ws, _ = synthetic_workspace(tmp_path_factory.mktemp("victims"), 2500, 7)
    truth = json.loads((root / "truth" / "counts.json").read_text(encoding="utf-8"))
    with open(root / "truth" / "persons.csv", encoding="utf-8", newline="") as handle:
        persons = list(csv.DictReader(handle))
    person_map = pa.table({k: [p[k] for p in persons] for k in ("agency", "record_id",
                                                                 "person")})
    found: dict[tuple[str, str, str], Result] = {}
    with ws.analytic() as con:
        facts = materialise(con, person_map, today=date(2026, 12, 31))
        for year in ("2024", "2025"):
            request = Request(parse_period(year), groupings=((), ("region",)), ids=IDS)
            for r in run_indicators(facts, ws.config.counting, 14, request):
                found[r.id, year, r.by.get("region", "")] = r
    return truth, found


@pytest.mark.parametrize("year", ["2024", "2025"])
def test_case_shares_equal_the_truth(country: tuple[dict[str, Any], dict[Any, Result]],
                                     year: str) -> None:
    truth, found = country
    cases = truth["victim_cases_by_year"][year]
    assert (found["VAC7", year, ""].numerator, found["VAC7", year, ""].denominator) == (
        cases["charged"], cases["cases"])
    assert (found["VAC8", year, ""].numerator, found["VAC8", year, ""].denominator) == (
        cases["decided"], cases["cases"])


@pytest.mark.parametrize("year", ["2024", "2025"])
def test_decision_times_equal_the_truth(country: tuple[dict[str, Any], dict[Any, Result]],
                                        year: str) -> None:
    truth, found = country
    decided = truth["victim_decisions_by_year"][year]
    r = found["VAC9", year, ""]
    assert (r.denominator, r.value) == (decided["cases"], decided["median_days"])
    assert r.ci_low is not None and r.ci_high is not None
    assert r.ci_low <= r.value <= r.ci_high


@pytest.mark.parametrize("year", ["2024", "2025"])
def test_child_victim_figures_equal_the_truth(
        country: tuple[dict[str, Any], dict[Any, Result]], year: str) -> None:
    truth, found = country
    children = truth["victim_children_by_year"][year]
    assert (found["VAC10", year, ""].numerator, found["VAC10", year, ""].denominator) == (
        children["supported"], children["children"])
    assert (found["VAC11", year, ""].numerator, found["VAC11", year, ""].denominator) == (
        children["interviews"], children["children"])
    assert (found["VAC12", year, ""].numerator, found["VAC12", year, ""].denominator) == (
        children["interviewed_twice"], children["children"])


def test_the_planted_slow_district_shows(country: tuple[dict[str, Any],
                                                        dict[Any, Result]]) -> None:
    """Decisions in SOU2 take 150 days more: its median is the highest of every district,
    by at least half the planted delay, in each year (records' regions are noisy: 8% of
    records carry another or no region)."""
    truth, found = country
    slow = truth["slow_decision_region"]["region"]
    for year in ("2024", "2025"):
        medians = {region: r.value for (ind, y, region), r in found.items()
                   if ind == "VAC9" and y == year and region not in ("", "unknown")
                   and r.value is not None}
        others = [value for region, value in medians.items() if region != slow]
        assert medians[slow] - statistics.median(others) >= 75, (year, medians)
        assert medians[slow] == max(medians.values()), (year, medians)
