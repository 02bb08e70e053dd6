"""The pathways chapter of the report and the public view of the pathways (release)."""

from __future__ import annotations

from pathlib import Path

import pytest

from endvac.config import ReleaseRules
from endvac.facts.derived import materialise
from endvac.indicators.periods import parse_period
from endvac.pathways.flows import Pathways, cohort_pathways
from endvac.pathways.outcomes import Outcome, Outcomes
from endvac.pathways.report import TEMPLATES, pathways_chapter
from endvac.release.pathways import public_flows, public_outcomes, publishable_curve
from endvac.report import ReportData
from endvac.report.build import environment
from endvac.workspace import Workspace
from indicator_helpers import TODAY
from pathway_helpers import load_cohort, person_map


@pytest.fixture
def pathways(ws: Workspace, tmp_path: Path) -> Pathways:
    load_cohort(ws, tmp_path)
    with ws.analytic(read_only=True) as con:
        return cohort_pathways(materialise(con, person_map(), today=TODAY), parse_period("2024"))


def test_chapter_renders_flow_chart_curves_and_caveat(ws: Workspace, tmp_path: Path) -> None:
    load_cohort(ws, tmp_path)
    data = ReportData(public=False, period="2024", previous=None, country={}, catalogue=[],
                      rows=[], series_rows=[], provenance={}, extra={"workspace": ws})
    section = pathways_chapter(data)
    assert section is not None and section.title == "Pathways and outcomes"
    env = environment(extra=[TEMPLATES])
    html = env.get_template(section.template).render(section=section.data, data=data)
    assert html.count("<svg") == 2  # the flow chart and the re-contact curves
    assert "<script" not in html
    assert "Observational evidence" in html
    # without linkage each police record is a child: A-H, J, L first arrested in 2024
    assert "10 children had their first contact" in html
    # in Arabic: the chapter's words (ar catalogue) and the stages by their names
    arabic = environment("ar", extra=[TEMPLATES]).get_template(section.template).render(
        section=section.data, data=data)
    for text in ("أدلة رصدية.", "المراحل التي بُلغت وأين تتوقف المسارات", "الاتصال (القبض)"):
        assert text in arabic, text


def test_flow_counts_are_suppressed_below_min_cell(pathways: Pathways) -> None:
    shown = public_flows(pathways, ReleaseRules(min_cell=5))
    reached = {r["stage"]: r["children"] for r in shown["reached"]}
    flows = {(f["from"], f["to"]): (f["children"], f["suppressed"]) for f in shown["flows"]}
    assert reached["contact"] == 10  # 10 >= 5: published
    assert flows[("contact", "end")] == (None, "primary")  # F alone
    assert flows[("contact", "police_custody")] == (None, "primary")  # D alone
    # contact's flows: 4 + 4 + 1 + 1 = 10; with the two 1s hidden, one more flow out of
    # contact must go, or 10 - 4 - 4 = 2 would give both away
    assert sum(1 for (a, _b), (n, _s) in flows.items() if a == "contact" and n is None) >= 3


def test_curves_stop_at_the_first_small_risk_set() -> None:
    band = {"survival": 1.0, "ci_low": 1.0, "ci_high": 1.0}
    points = [{"days": 0.0, "at_risk": 9, **band}, {"days": 30.0, "at_risk": 6, **band},
              {"days": 60.0, "at_risk": 4, **band}, {"days": 90.0, "at_risk": 7, **band}]
    assert [p["days"] for p in publishable_curve(points, 5)] == [0.0, 30.0]


def test_outcomes_withheld_past_a_small_risk_set() -> None:
    curve = [{"days": 0.0, "at_risk": 9, "survival": 1.0, "ci_low": 1.0, "ci_high": 1.0},
             {"days": 100.0, "at_risk": 9, "survival": 0.9, "ci_low": 0.5, "ci_high": 0.99},
             {"days": 300.0, "at_risk": 3, "survival": 0.6, "ci_low": 0.2, "ci_high": 0.9}]
    rows = [Outcome("custodial", 6, 9, 0.1, 0.01, 0.5, 6, 1, 2),   # 182.6 days: sets 9, 9, 6
            Outcome("custodial", 12, 9, 0.4, 0.1, 0.8, 2, 2, 5)]   # 365 days: a set of 3
    shown = public_outcomes(Outcomes("2024", None, False, rows, {}, {"custodial": curve}),
                            ReleaseRules(min_cell=5))
    assert shown[0]["recontact"] == 0.1
    assert (shown[0]["events"], shown[0]["censored"]) == (None, None)  # 1 and 2 are small
    assert shown[1]["recontact"] is None and "risk set" in shown[1]["withheld"]
