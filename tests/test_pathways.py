"""Pathways of the hand-made cohort (pathway_helpers.py), worked out by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cli_helpers import endvac
from endvac.facts.derived import materialise
from endvac.indicators.periods import parse_period
from endvac.pathways.flows import Pathways, cohort_pathways
from endvac.workspace import Workspace
from indicator_helpers import TODAY
from pathway_helpers import load_cohort, person_map


@pytest.fixture
def pathways(ws: Workspace, tmp_path: Path) -> Pathways:
    load_cohort(ws, tmp_path)
    with ws.analytic(read_only=True) as con:
        return cohort_pathways(materialise(con, person_map(), today=TODAY), parse_period("2024"))


def flows(result: Pathways) -> dict[tuple[str, str], int]:
    return {(f["from"], f["to"]): f["children"] for f in result.flows}


def test_the_cohort_is_the_children_first_in_contact_in_the_period(pathways: Pathways) -> None:
    # A-H, J, L: first arrest in 2024; I's first was in 2023, K's in 2025
    assert pathways.children == 10
    assert pathways.data_end == date(2025, 12, 31)


def test_flows_follow_each_childs_first_case(pathways: Pathways) -> None:
    assert flows(pathways) == {
        ("contact", "diversion"): 4,            # A, B, H, J
        ("contact", "charge"): 4,               # C, E, G, L
        ("contact", "police_custody"): 1,       # D (the same day, listed after contact)
        ("contact", "end"): 1,                  # F
        ("police_custody", "pre_trial_detention"): 1,
        ("pre_trial_detention", "charge"): 1,   # D, charged 8 days into detention
        ("diversion", "diversion_completed"): 3,  # A, H, J
        ("diversion", "diversion_failed"): 1,   # B
        ("diversion_completed", "end"): 3,      # A's and J's re-arrests are other cases
        ("diversion_failed", "end"): 1,
        ("charge", "verdict"): 4,               # C, D, G, L
        ("charge", "end"): 1,                   # E: no verdict yet
        ("verdict", "sentence_non_custodial"): 2,  # C, L
        ("verdict", "sentence_custodial"): 1,   # D
        ("verdict", "end"): 1,                  # G acquitted
        ("sentence_non_custodial", "end"): 2,
        ("sentence_custodial", "release"): 1,   # D's sentenced custody ends 2025-01-01
        ("release", "aftercare"): 1,            # aftercare 14 days later joins D's case
        ("aftercare", "end"): 1,
    }
    shares = {(f["from"], f["to"]): f["share"] for f in pathways.flows}
    assert shares[("contact", "diversion")] == pytest.approx(4 / 10)
    assert shares[("charge", "end")] == pytest.approx(1 / 5)  # 5 charged: C, D, E, G, L


def test_attrition_counts_where_pathways_stop(pathways: Pathways) -> None:
    by_stage = {a["stage"]: (a["reached"], a["ended"]) for a in pathways.attrition}
    assert by_stage["contact"] == (10, 1)
    assert by_stage["charge"] == (5, 1)
    assert by_stage["verdict"] == (4, 1)
    assert by_stage["diversion"] == (4, 0)
    assert "release_from_custody" not in by_stage  # flow: false in stages.yaml


def test_diversion_detail_by_authority_and_measure(pathways: Pathways) -> None:
    detail = {d["detail"]: d["children"] for d in pathways.details if d["stage"] == "diversion"}
    assert detail == {"authority=prosecutor;measure=mediation": 1,
                      "authority=police;measure=warning": 1,
                      "authority=prosecutor;measure=restorative_justice": 1,
                      "authority=court;measure=warning": 1}


def times(result: Pathways, interval: str, by: str = "total") -> dict[str, Any]:
    return next(t.to_dict() for t in result.times if t.interval == interval and t.by == by)


def test_stage_times_censor_open_cases(pathways: Pathways) -> None:
    # charge to verdict: L 01-20 -> 03-01 = 41 days (2024 is a leap year); C 03-11 -> 05-10
    # = 60; G 07-15 -> 09-15 = 62; D 04-10 -> 07-01 = 82; E charged 2024-05-20 and still
    # open: censored at the data's end 2025-12-31 = 590 days.
    # Product-limit: 41: 5 at risk, S = 4/5 = 0.8; 60: S = 0.8 * 3/4 = 0.6; 62: 0.6 * 2/3
    # = 0.4; 82: 0.4 * 1/2 = 0.2; 590 censored. Median: first S <= 0.5 -> 62; first
    # quartile: first S <= 0.75 -> 60; third: first S <= 0.25 -> 82.
    t = times(pathways, "charge_to_verdict")
    assert (t["n"], t["events"], t["censored"]) == (5, 4, 1)
    assert (t["median"], t["q1"], t["q3"]) == (62, 60, 82)
    # The median's 95% interval is read off the band (exponential Greenwood, log(-log)):
    # at 41, Greenwood sum 1/(5*4) = 0.05, V = 0.05 / ln(0.8)^2 = 1.0042, sd 1.0021, lower
    # S = 0.8^exp(1.96 * 1.0021) = 0.8^7.129 = 0.204 <= 0.5: the interval starts at 41. At
    # 82 the sum is 0.05 + 1/12 + 1/6 + 1/2 = 0.8, V = 0.8 / ln(0.2)^2 = 0.3089, sd 0.5557,
    # upper S = 0.2^exp(-1.96 * 0.5557) = 0.2^0.3365 = 0.582 > 0.5 and no later event:
    # the upper end is not reached (None), as an open case leaves it.
    assert (t["median_ci_low"], t["median_ci_high"]) == (41, None)
    # D2 (G, L): 41 then 62, S = 0.5 at 41 -> median 41
    assert times(pathways, "charge_to_verdict", "region=D2")["median"] == 41


def test_stage_times_without_censoring(pathways: Pathways) -> None:
    # diversion to its outcome: A 02-01 -> 04-01 = 60; B 02-15 -> 05-01 = 76;
    # H 08-10 -> 12-01 = 113; J 10-05 -> 2025-02-01 = 119. S: 0.75, 0.5, 0.25, 0.
    t = times(pathways, "diversion_to_outcome")
    assert (t["n"], t["events"], t["censored"]) == (4, 4, 0)
    assert (t["q1"], t["median"], t["q3"]) == (60, 76, 113)


def test_cli_pathways_json(ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                           ) -> None:
    import json

    load_cohort(ws, tmp_path)
    result = endvac("pathways", ws.root, "--cohort", "2024", "--format", "json")
    assert result.exit_code == 0, result.stderr
    # without a linkage every agency record is a child of its own: the police records
    # make the cohort (first arrests in 2024) and the court's records have no arrest
    assert json.loads(result.stdout)["children"] == 10


def test_cli_pathways_bad_cohort_is_a_usage_error(ws: Workspace) -> None:
    result = endvac("pathways", ws.root, "--cohort", "last year")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
