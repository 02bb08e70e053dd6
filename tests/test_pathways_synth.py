"""On the synthetic country the planted effects (synth/effects.py) are recovered: lower
re-contact after a completed diversion than after a failed one, slower decisions in one
region. Expected values come from the generator's truth (truth/counts.json), never from
the code under test. The country is generated with ``effects=True``."""

from __future__ import annotations

import csv
import json
from datetime import date
from typing import Any

import pyarrow as pa
import pytest

from endvac.facts.derived import materialise
from endvac.indicators.periods import parse_period
from endvac.ingest.load import ingest
from endvac.pathways.definitions import load_pathway_definitions
from endvac.pathways.flows import Pathways, cohort_pathways, prepare
from endvac.pathways.outcomes import Outcomes, cohort_outcomes
from endvac.synth import generate
from endvac.workspace import init_workspace


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[dict[str, Any], Pathways, Outcomes]:
    root = tmp_path_factory.mktemp("pathways")
    folder = root / "country"
    generate(folder, 3000, 5, effects=True)
    ws = init_workspace(root / "ws")
    for name in (folder / "deliveries.txt").read_text(encoding="utf-8").split():
        ingest(ws, folder / name)
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
    # 6 and 12 months: at 24 months fewer than 20 children of a 3,000-child country are
    # still followed (most turn 18 first), too few for the interval to mean much
    for group in ("diversion_completed", "diversion_failed"):
        for months in (6, 12):
            expected = truth["recontact_by_group"][group]["expected_recontact"][str(months)]
            row = rows[(group, months)]
            assert row.ci_low is not None and row.ci_high is not None
            assert row.ci_low <= expected <= row.ci_high, (group, months, expected, row)
    # planted: 15% re-arrested within 24 months after a completed diversion, 45% after a
    # failed one; the estimate keeps the order
    assert rows[("diversion_completed", 12)].recontact < rows[("diversion_failed", 12)].recontact


def test_planted_difference_lies_in_the_weighted_interval(
        country: tuple[dict[str, Any], Pathways, Outcomes]) -> None:
    truth, _, outcomes = country
    groups = truth["recontact_by_group"]
    failed = next(c for c in outcomes.comparisons if c.group == "diversion_failed")
    assert failed.reference == "diversion_completed"
    for h in failed.horizons[:2]:  # 6 and 12 months (see above)
        assert h["months"] in (6, 12)
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


def test_expected_recontact_by_hand() -> None:
    from endvac.synth.effects import expected_recontact

    # every child may be re-arrested and is followed past 12 months: 0.45 * (365 - 6) /
    # 724 = 0.45 * 0.495856 = 0.223135 (days 7-730 drawn uniformly)
    assert expected_recontact("diversion_failed", [(True, 1000)] * 3, 12) == pytest.approx(
        0.223135, abs=1e-6)
    # half the children may not be re-arrested, nobody censored: the mixture, 0.111568
    assert expected_recontact("diversion_failed", [(True, 1000), (False, 1000)], 12
                              ) == pytest.approx(0.111568, abs=1e-6)
    # one child followed 100 days only: before day 7 nothing happens; it leaves the risk
    # set after day 100, the other stays: days 7-100 the hazard is that of two eligible
    # children, after that one; KM's product telescopes to the same 0.223135
    assert expected_recontact("diversion_failed", [(True, 1000), (True, 100)], 12
                              ) == pytest.approx(0.223135, abs=1e-6)
