"""JJ1 and the shared rules on persons, ages and population, worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from endvac.workspace import Workspace
from indicator_helpers import compute, load_all, one

POLICE = {
    "children.csv": ("record_id,agency,date_of_birth,sex,region\n"
                     "A1,police,2010-06-15,f,D1\n"   # 14 on 2025-03-01
                     "A2,police,2007-03,m,D2\n"      # 18 on the arrest, 17 on the offence date
                     "A3,police,,m,D1\n"             # age_years 19 in 2025, case begun 2023
                     "A4,police,,u,D2\n"             # age unknown, sex u (unknown)
                     "A5,police,2005-01-01,f,D1\n"   # adult
                     "A6,police,2012-01-01,f,D2\n"),  # arrested before the period
    "events.csv": ("event_id,agency,record_id,case_id,event_type,date,offence_date,age_years\n"
                   "E1,police,A1,,arrest,2025-03-01T10:00,,\n"
                   "E2,police,A1,,arrest,2025-09-01,,\n"
                   "E3,police,A2,,arrest,2025-05-01,2025-01-10,\n"
                   "E4,police,A3,K3,charge,2023-06-01,,\n"
                   "E5,police,A3,K3,arrest,2025-07-01,,19\n"
                   "E6,police,A4,,arrest,2025-08-01,,\n"
                   "E7,police,A5,,arrest,2025-02-01,,\n"
                   "E8,police,A6,,arrest,2024-12-31,,\n"),
}


@pytest.fixture
def arrests(ws: Workspace, tmp_path: Path) -> Workspace:
    load_all(ws, tmp_path, {"police": POLICE})
    return ws


def test_jj1_national(arrests: Workspace) -> None:
    r = one(compute(arrests), "JJ1")
    # A1 (twice: one person), A2 (offence at 17), A3 (17 on the case start), A4 (unknown age)
    assert (r.numerator, r.denominator) == (4, 8000)  # the national band row is ignored
    assert r.value == pytest.approx(50.0)
    assert r.excluded_adults == 1  # A5
    assert r.below_macr == 0


def test_jj1_by_sex_age_group_and_region(arrests: Workspace) -> None:
    results = compute(arrests, by=(("sex",), ("age_group",), ("region",)))
    f, m, u = (one(results, "JJ1", sex=s) for s in ("f", "m", "u"))
    assert (f.numerator, f.denominator, f.value) == (1, 3800,
                                                              pytest.approx(1e5 / 3800))
    assert (m.numerator, m.denominator, m.value) == (2, 4200,
                                                              pytest.approx(2e5 / 4200))
    assert (u.numerator, u.denominator, u.value) == (1, None, None)  # no population
    ages = {r.by["age_group"]: r for k, r in results.items()
            if k[0] == "JJ1" and "age_group" in r.by}
    assert {g: r.numerator for g, r in ages.items()} == {"14-15": 1, "16-17": 2, "unknown": 1}
    assert ages["14-15"].denominator == 1000 and ages["16-17"].denominator == 1000
    assert ages["unknown"].denominator is None
    d1, d2 = one(results, "JJ1", region="D1"), one(results, "JJ1", region="D2")
    assert (d1.numerator, d1.denominator, d2.numerator, d2.denominator) == (
        2, 3000, 2, 5000)


def test_jj1_quarter_is_annualised(arrests: Workspace) -> None:
    r = one(compute(arrests, period="2025-01-01/2025-03-31"), "JJ1",
            period="2025-01-01/2025-03-31")
    assert r.numerator == 1  # A1 on 2025-03-01; A5 is an adult
    assert r.value == pytest.approx(1 / 8000 * 100_000 * 365 / 90)


def test_series_by_quarter(arrests: Workspace) -> None:
    results = compute(arrests, period="2025", every="quarter")
    counts = [one(results, "JJ1", period=p).numerator for p in (
        "2025-01-01/2025-03-31", "2025-04-01/2025-06-30", "2025-07-01/2025-09-30",
        "2025-10-01/2025-12-31")]
    assert counts == [1, 1, 3, 0]  # A1 | A2 | A1 again, A3, A4 | none


def test_exact_poisson_interval_of_a_rate(arrests: Workspace) -> None:
    r = one(compute(arrests), "JJ1")
    # Garwood 95% limits for 4 events: 1.0899 and 10.2416 (published tables, e.g.
    # Ulm 1990, Am J Epidemiol 131:373); per 8,000 children x 100,000
    assert r.ci_low == pytest.approx(1.0899 / 8000 * 1e5, rel=1e-4)
    assert r.ci_high == pytest.approx(10.2416 / 8000 * 1e5, rel=1e-4)
