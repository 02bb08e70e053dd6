"""On the synthetic country the planted effects (synth/effects.py) are recovered: lower
re-contact after a completed diversion than after a failed one, slower decisions in one
region. Expected values come from the generator's truth (truth/counts.json), never from
the code under test."""

from __future__ import annotations

import csv
import json
from datetime import date
from typing import Any

import pyarrow as pa
import pytest

from conftest import synthetic_workspace
from endvac.facts.derived import materialise
from endvac.indicators.periods import parse_period
from endvac.pathways.definitions import load_pathway_definitions
from endvac.pathways.flows import Pathways, cohort_pathways, prepare
from endvac.pathways.outcomes import Outcomes, cohort_outcomes


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[dict[str, Any], Pathways, Outcomes]:
    root = tmp_path_factory.mktemp("pathways")
    folder, ws, _ = synthetic_workspace(root, 3000, 5)
    truth = json.loads((folder / "truth" / "counts.json").read_text(encoding="utf-8"))
    with open(folder / "truth" / "persons.csv", encoding="utf-8", newline="") as handle:
        persons = list(csv.DictReader(handle))
    person_map = pa.table({k: [p[k] for p in persons] for k in ("agency", "record_id",
                                                                 "person")})
    period = parse_period("2023/2025")
    with ws.analytic(read_only=True) as con:
        facts = materialise(con, person_map, today=date(2025, 12, 31))
        defs = load_pathway_definitions()
        prepare(facts, defs)
        return (truth["pathways"], cohort_pathways(facts, period, defs, prepared=True),
                cohort_outcomes(facts, period, defs=defs, prepared=True, bootstrap=200))


def test_recontact_after_diversion_is_recovered(
        country: tuple[dict[str, Any], Pathways, Outcomes]) -> None:
    truth, _, outcomes = country
    rows = {(r.group, r.months): r for r in outcomes.rows}
    for group in ("diversion_completed", "diversion_failed"):
        for months in (12, 24):
            expected = truth["recontact_by_group"][group]["expected_recontact"][str(months)]
            row = rows[(group, months)]
            assert row.ci_low is not None and row.ci_high is not None
            assert row.ci_low <= expected <= row.ci_high, (group, months, expected, row)
    # planted: 15% re-arrested within 24 months after a completed diversion, 45% after a
    # failed one; the estimate keeps the order
    assert rows[("diversion_completed", 24)].recontact < rows[("diversion_failed", 24)].recontact


def test_planted_difference_lies_in_the_weighted_interval(
        country: tuple[dict[str, Any], Pathways, Outcomes]) -> None:
    truth, _, outcomes = country
    groups = truth["recontact_by_group"]
    failed = next(c for c in outcomes.comparisons if c.group == "diversion_failed")
    assert failed.reference == "diversion_completed"
    for h in failed.horizons:
        planted = (groups["diversion_failed"]["expected_recontact"][str(h["months"])]
                   - groups["diversion_completed"]["expected_recontact"][str(h["months"])])
        assert h["ci_low"] <= planted <= h["ci_high"], (h, planted)
    # weighting balances what it weights on: the mean |SMD| falls
    known = [b for b in failed.balance if b["smd_before"] is not None]
    assert (sum(abs(b["smd_after"]) for b in known)
            < sum(abs(b["smd_before"]) for b in known))


def test_planted_regional_delay_shows(
        country: tuple[dict[str, Any], Pathways, Outcomes]) -> None:
    truth, pathways, _ = country
    slow = truth["slow_region"]
    cells = {t.by: t.times for t in pathways.times if t.interval == slow["interval"]}
    slow_median = cells[f"region={slow['region']}"].median
    assert slow_median is not None
    # the planted region's median lies above every other region's 95% interval
    for by, times in cells.items():
        if by.startswith("region=") and by != f"region={slow['region']}":
            assert times.median_ci[1] is not None and times.median_ci[1] < slow_median, by
