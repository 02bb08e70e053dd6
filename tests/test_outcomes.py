"""Re-contact after a decision on the hand-made cohort (pathway_helpers.py), and the
inverse probability weighting on a tiny example, worked out by hand.

Horizons: 6 months = 182.625 days, 12 = 365.25, 24 = 730.5 (months of 365.25 / 12 days).
Counts at a horizon: events = re-contacts up to it, censored = follow-up ended without
one up to it, at_risk = still followed after it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cli_helpers import endvac
from endvac.facts.derived import materialise
from endvac.indicators.periods import parse_period
from endvac.linkage.registry import HANDOFF_FILE
from endvac.pathways.outcomes import Outcome, cohort_outcomes
from endvac.pathways.weighting import (
    compare,
    design,
    ipw_weights,
    propensity,
    standardised_difference,
    weighted_recontact,
)
from endvac.workspace import Workspace
from indicator_helpers import TODAY
from pathway_helpers import load_cohort, person_map

Rows = dict[tuple[str, int], Outcome]


def outcomes(ws: Workspace, period: str, follow_adults: bool = False) -> Rows:
    with ws.analytic(read_only=True) as con:
        facts = materialise(con, person_map(), today=TODAY)
        result = cohort_outcomes(facts, parse_period(period), follow_adults=follow_adults,
                                 adjust=False)
    return {(r.group, r.months): r for r in result.rows}


@pytest.fixture
def loaded(ws: Workspace, tmp_path: Path) -> Workspace:
    load_cohort(ws, tmp_path)
    return ws


def counts(row: Outcome) -> tuple[int, int, int]:
    return row.events, row.censored, row.at_risk


def test_completed_diversions_censored_at_18(loaded: Workspace) -> None:
    rows = outcomes(loaded, "2024/2025")
    # A: completed 2024-04-01, re-arrested (another case) 2024-10-01: 183 days, event.
    # H: completed 2024-12-01, 18 on 2025-03-01: censored at 90 days (the arrest at 18 on
    #    2025-06-01 is an adult's).
    # J: completed 2025-02-01; the arrest of 2025-02-10 is of the same case PJ (excluded);
    #    re-arrested 2025-08-01 (PJ2): 181 days, event.
    # Product-limit: 90 censored (3 at risk, no change); 181: 2 at risk, 1 event,
    # S = 1/2; 183: 1 at risk, S = 0.
    six = rows[("diversion_completed", 6)]
    assert six.children == 3
    assert six.recontact == pytest.approx(0.5)
    assert counts(six) == (1, 1, 1)  # J by 182.6 days; H censored; A still followed
    # 95% band (exponential Greenwood): sum 1/(2*1) = 0.5, V = 0.5 / ln(0.5)^2 = 1.0407,
    # sd 1.0201; S from 0.5^exp(1.96 * 1.0201) = 0.5^7.3852 = 0.00598 to
    # 0.5^exp(-1.96 * 1.0201) = 0.5^0.13541 = 0.91041; re-contact 1 - S: 0.0896 to 0.9940
    assert six.ci_low == pytest.approx(0.0896, abs=1e-3)
    assert six.ci_high == pytest.approx(0.9940, abs=1e-3)
    twelve = rows[("diversion_completed", 12)]
    assert twelve.recontact == pytest.approx(1.0)
    assert counts(twelve) == (2, 1, 0)


def test_following_adults(loaded: Workspace) -> None:
    rows = outcomes(loaded, "2024/2025", follow_adults=True)
    # H now followed to the arrest at 18 on 2025-06-01: 182 days, event. 181 (J): 3 at
    # risk, S = 2/3; 182 (H): 2 at risk, S = 1/3; 183 (A): S = 0.
    six = rows[("diversion_completed", 6)]
    assert six.recontact == pytest.approx(2 / 3)
    assert counts(six) == (2, 0, 1)


def test_other_groups(loaded: Workspace) -> None:
    rows = outcomes(loaded, "2024/2025")
    # B: failed 2024-05-01, never re-arrested: censored at the data's end 2025-12-31,
    # 609 days (365 to 2025-05-01, then 244).
    assert rows[("diversion_failed", 12)].recontact == 0.0
    assert counts(rows[("diversion_failed", 12)]) == (0, 0, 1)
    assert counts(rows[("diversion_failed", 24)]) == (0, 1, 0)
    # C: probation 2024-05-10, re-arrested 2024-08-08: 90 days, event. L: fine 2024-03-05,
    # 18 on 2025-06-01: censored at 452 days (365 + 87). 90: 2 at risk, S = 1/2.
    assert rows[("non_custodial", 12)].recontact == pytest.approx(0.5)
    assert counts(rows[("non_custodial", 12)]) == (1, 0, 1)
    assert counts(rows[("non_custodial", 24)]) == (1, 1, 0)
    # D: custodial sentence 2024-07-01; the clock starts at the release 2025-01-01; the
    # re-arrest of 2025-03-01 is 59 days later.
    assert rows[("custodial", 6)].recontact == pytest.approx(1.0)
    assert counts(rows[("custodial", 6)]) == (1, 0, 0)


def test_the_cohort_is_whose_clock_starts_in_the_period(loaded: Workspace) -> None:
    rows = outcomes(loaded, "2024")
    # J's diversion completed and D's release fall in 2025
    assert rows[("diversion_completed", 6)].children == 2  # A, H
    assert rows[("custodial", 6)].children == 0
    assert rows[("custodial", 6)].recontact is None


def test_ipw_weights_by_hand() -> None:
    # treated 1/p, others 1/(1-p): 1/0.5, 1/0.8, 1/(1-0.2), 1/(1-0.5)
    assert ipw_weights([True, True, False, False], [0.5, 0.8, 0.2, 0.5]) == pytest.approx(
        [2.0, 1.25, 1.25, 2.0])
    # stabilised: times the share treated (1/2) or untreated (1/2)
    assert ipw_weights([True, True, False, False], [0.5, 0.8, 0.2, 0.5],
                       stabilised=True) == pytest.approx([1.0, 0.625, 0.625, 1.0])


def test_standardised_difference_by_hand() -> None:
    # treated [1, 1]: mean 1, variance 0; others [0, 1]: mean 0.5, variance 0.25;
    # pooled SD sqrt(0.125) = 0.35355: (1 - 0.5) / 0.35355 = 1.41421
    values, treated = [1.0, 1.0, 0.0, 1.0], [True, True, False, False]
    assert standardised_difference(values, treated) == pytest.approx(1.41421, abs=1e-5)
    # weights 2, 1.25 | 1.25, 2: others' mean 2/3.25 = 0.61538, variance
    # (1.25 * 0.61538^2 + 2 * 0.38462^2) / 3.25 = 0.23669; pooled sqrt(0.11834) = 0.34401;
    # (1 - 0.61538) / 0.34401 = 1.11803
    assert standardised_difference(values, treated, [2, 1.25, 1.25, 2]) == pytest.approx(
        1.11803, abs=1e-5)


def test_weighted_recontact_by_hand() -> None:
    # 10 event (w 2): 4 at risk, S = 1 - 2/4 = 0.5; 20 censored; 30 event: S = 0
    assert weighted_recontact([10, 20, 30], [True, False, True], [2, 1, 1],
                              [5, 15, 25, 35]) == pytest.approx([0.0, 0.5, 0.5, 1.0])


# f: 2 treated of 4; m: 1 treated of 4. A logistic model on sex alone is saturated: its
# propensities are the shares treated, 0.5 (f) and 0.25 (m).
TINY = [("a", "f", 10, True), ("a", "f", 100, False), ("a", "m", 50, True),
        ("b", "f", 20, False), ("b", "f", 200, False), ("b", "m", 30, True),
        ("b", "m", 300, False), ("b", "m", 300, False)]


def tiny_rows() -> list[dict[str, object]]:
    return [{"grp": g, "sex": s, "days": d, "recontacted": e} for g, s, d, e in TINY]


def test_propensity_of_a_saturated_model() -> None:
    rows = tiny_rows()
    p = propensity(design(rows, ["sex"]), [r["grp"] == "a" for r in rows])
    assert p == pytest.approx([0.5, 0.5, 0.25, 0.5, 0.5, 0.25, 0.25, 0.25], abs=1e-6)


def test_weighted_comparison_by_hand() -> None:
    # weights: a-f 1/0.5 = 2, a-m 1/0.25 = 4; b-f 1/(1-0.5) = 2, b-m 1/(1-0.25) = 4/3.
    # a: 10 event (w 2) of 8 at risk: S = 0.75; 50 event (w 4) of 6: S = 0.75 * (1 - 4/6)
    #    = 0.25; at 60 days re-contact 0.75.
    # b: 20 censored (w 2); 30 event (w 4/3) of 8 - 2 = 6: S = 1 - (4/3)/6 = 7/9; at 60
    #    days re-contact 2/9. Difference 0.75 - 2/9 = 0.52778.
    result = compare(tiny_rows(), "a", "b", ["sex"], [60.0], [2], bootstrap=0)
    h = result.horizons[0]
    assert h["recontact"] == pytest.approx(0.75, abs=1e-6)
    assert h["reference_recontact"] == pytest.approx(2 / 9, abs=1e-6)
    assert h["difference"] == pytest.approx(0.52778, abs=1e-5)
    assert (h["ci_low"], h["ci_high"]) == (None, None)  # no resamples asked for
    # after weighting, both groups are half f (a: 2*2 of 2*2 + 4 = 0.5; b: 2*2 of
    # 4 + 3 * 4/3 = 0.5): the standardised difference of sex=f falls to 0
    balance = {b["covariate"]: b for b in result.balance}
    assert balance["sex=f"]["smd_after"] == pytest.approx(0.0, abs=1e-9)
    assert balance["sex=f"]["smd_before"] > 0.5  # 2/3 of a, 2/5 of b


def test_cli_outcomes_json(loaded: Workspace) -> None:
    pq.write_table(person_map(), loaded.root / HANDOFF_FILE)
    result = endvac("outcomes", loaded.root, "--cohort", "2024/2025", "--within", "6,12",
                    "--format", "json", "--bootstrap", "0")
    assert result.exit_code == 0, result.stderr
    rows = {(r["group"], r["months"]): r for r in json.loads(result.stdout)}
    assert set(rows) == {(g, m) for g in ("diversion_completed", "diversion_failed",
                                          "non_custodial", "custodial") for m in (6, 12)}
    six = rows[("diversion_completed", 6)]
    assert (six["recontact"], six["events"], six["censored"], six["at_risk"]) == (
        pytest.approx(0.5), 1, 1, 1)
    assert {"ci_low", "ci_high"} <= set(six)


def test_cli_outcomes_bad_within(loaded: Workspace) -> None:
    result = endvac("outcomes", loaded.root, "--cohort", "2024", "--within", "six")
    assert result.exit_code == 2
    assert "--within" in result.stderr
