"""Ratios and their intervals against hand-worked values; --compare-to end to end;
stored runs; cells of every breakdown add up to the total (property test)."""

from __future__ import annotations

import json
import math
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli_helpers import endvac
from conftest import synthetic_workspace
from endvac.facts.derived import materialise
from endvac.indicators.definitions import BREAKDOWNS
from endvac.indicators.engine import Request, run_indicators
from endvac.indicators.periods import Period
from endvac.indicators.stats import clopper_pearson, proportion_ratio, rate_ratio
from endvac.workspace import Workspace
from indicator_helpers import TODAY


def test_katz_interval_of_a_ratio_of_proportions() -> None:
    # 20/100 against 10/100: RR = 2; se = sqrt(1/20 - 1/100 + 1/10 - 1/100) = sqrt(0.13)
    # = 0.360555; exp(1.959964 x 0.360555) = exp(0.706675) = 2.027234
    ratio, low, high = proportion_ratio(20, 100, 10, 100)
    assert ratio == pytest.approx(2.0)
    assert low == pytest.approx(2 / 2.027234, rel=1e-5)
    assert high == pytest.approx(2 * 2.027234, rel=1e-5)


def test_exact_conditional_interval_of_a_rate_ratio() -> None:
    # 10 events against 5 with equal exposure: Clopper-Pearson for 10/15 is 0.3838-0.8818
    # (standard binomial tables); RR limits are p/(1-p): 0.6228 and 7.4602
    low_p, high_p = clopper_pearson(10, 15)
    assert (low_p, high_p) == (pytest.approx(0.3838, abs=1e-4), pytest.approx(0.8818, abs=1e-4))
    ratio, low, high = rate_ratio(10, 1000.0, 5, 1000.0)
    assert ratio == pytest.approx(2.0)
    assert low == pytest.approx(0.3838 / 0.6162, rel=1e-3)
    assert high == pytest.approx(0.8818 / 0.1182, rel=1e-3)
    # exposures scale the ratio and its limits alike
    ratio2, low2, high2 = rate_ratio(10, 2000.0, 5, 1000.0)
    assert (ratio2, low2, high2) == (pytest.approx(1.0), pytest.approx(low / 2),
                                     pytest.approx(high / 2))
    assert rate_ratio(3, 100.0, 0, 100.0) == (None, None, None)
    assert math.isinf(rate_ratio(3, 100.0, 0 + 1, 100.0)[2]) is False


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return synthetic_workspace(tmp_path_factory.mktemp("equity"), 1500, 3)[1]


def test_compare_to_through_the_cli(country: Workspace) -> None:
    done = endvac("indicators", str(country.root), "--period", "2025",
                  "--id", "JJ1,JJ9,JJ2", "--compare-to", "sex=m", "--format", "json")
    assert done.exit_code == 0, done.stderr
    results = json.loads(done.stdout)
    by = {(r["id"], json.dumps(r["by"], sort_keys=True)): r for r in results}
    f, m = by[("JJ9", '{"sex": "f"}')], by[("JJ9", '{"sex": "m"}')]
    expected = (f["numerator"] / f["denominator"]) / (m["numerator"] / m["denominator"])
    assert f["ratio"] == pytest.approx(expected)
    assert f["ratio_reference"] == "sex=m" and m["ratio"] == pytest.approx(1.0)
    assert f["ratio_ci_low"] < f["ratio"] < f["ratio_ci_high"]
    rri = by[("RRI_detained", '{"sex": "f"}')]
    jj2f, jj1f = by[("JJ2", '{"sex": "f"}')], by[("JJ1", '{"sex": "f"}')]
    assert (rri["numerator"], rri["denominator"]) == (jj2f["numerator"], jj1f["numerator"])
    with country.analytic(read_only=True) as con:
        runs = con.execute("SELECT definitions_version, config_revision FROM indicator_runs"
                           ).fetchall()
        stored = con.execute("SELECT count(*) FROM indicator_results").fetchone()
    assert runs[-1] == (1, 1)
    assert stored is not None and stored[0] >= len(results)


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(start=st.dates(date(2023, 1, 1), date(2025, 12, 1)), days=st.integers(1, 500),
       dims=st.lists(st.sampled_from(BREAKDOWNS), min_size=1, max_size=2, unique=True))
def test_cells_add_up_to_the_total(country: Workspace, start: date, days: int,
                                   dims: list[str]) -> None:
    end = date.fromordinal(min(start.toordinal() + days, date(2025, 12, 31).toordinal()))
    request = Request(Period(start, end), groupings=((), tuple(dims), (dims[0],)))
    with country.analytic() as con:
        results = run_indicators(materialise(con, today=TODAY), country.config.counting, 14,
                                 request)
    totals = {r.id: r for r in results if not r.by}
    for grouping in (tuple(dims), (dims[0],)):
        for indicator, total in totals.items():
            cells = [r for r in results if r.id == indicator and tuple(r.by) == grouping]
            if not cells:
                continue
            for field in ("numerator", "denominator", "unknown"):
                if getattr(total, field) is None or total.unit == "per_100000" and \
                        field == "denominator":
                    continue
                assert sum(getattr(c, field) or 0 for c in cells) == getattr(total, field), \
                    (indicator, field)
