"""The victims' pathway indicators (VAC7-VAC12), worked out by hand on nine child
victims of one victim service, one of them an adult.

Cases (report date → later events of the same case_id; days from report to decision):
  V1 f D1 born 2012: C1 reported 2025-01-10, charged 02-10, convicted 2025-06-10 (151 days:
     21 left of Jan + 28 + 31 + 30 + 31 + 10); support medical 01-11 and psychosocial 01-20;
     interviews 01-12 and 03-01
  V2 m D1 born 2011: C2 reported 2025-02-01, charged 03-01, acquitted 2025-05-02 (90: 27 + 31 +
     30 + 2); support legal; one interview
  V3 f D2 born 2013: C3 reported 2025-03-01, charged 04-01, dismissed 2025-12-01 (275: 30 +
     30 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 1); a second report C3b 2025-09-01 with nothing
     after it; psychosocial support 2024-06-01 only (before the offence: not counted);
     three interviews
  V4 m D2 born 2010: C4 reported 2025-04-01 (offence 2025-03-25), investigation opened and
     closed without a suspect; shelter on 04-01; no interview
  V5 f D2 born 2012: C5 reported 2025-05-05, charged 06-01, no decision yet; support whose
     type is not recorded; one interview
  V6 m D1 born 2014: C6 reported 2025-06-01, charged 06-15, withdrawn 2025-09-30 (121: 29 +
     31 + 31 + 30); compensation paid 2026-02-01 (after the period: still counts); two
     interviews
  V7 f D1 born 2011: C7 reported 2025-08-01, charged 08-20, convicted 2025-11-09 (100: 30 + 30
     + 31 + 9); psychosocial support; one interview
  V8 m D2 born 2013: C8 reported 2024-11-01 (the year before), charged 2024-12-01, convicted
     2025-03-01 (120: 29 + 31 + 31 + 28 + 1); medical support and an interview in 2024
  V9 f D1 born 2006-01-01: 19 at her report C9 2025-07-01: an adult, left out everywhere
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from endvac.facts.derived import materialise
from endvac.indicators.engine import Request, run_indicators
from endvac.indicators.periods import parse_period
from endvac.workspace import Workspace
from indicator_helpers import TODAY, compute, load_all, one

CHILDREN = ("record_id,agency,date_of_birth,sex,region\n"
            "V1,victim_services,2012-01-01,f,D1\nV2,victim_services,2011-05-05,m,D1\n"
            "V3,victim_services,2013-01-01,f,D2\nV4,victim_services,2010-02-02,m,D2\n"
            "V5,victim_services,2012-06-06,f,D2\nV6,victim_services,2014-03-03,m,D1\n"
            "V7,victim_services,2011-09-09,f,D1\nV8,victim_services,2013-04-04,m,D2\n"
            "V9,victim_services,2006-01-01,f,D1\n")
EVENT_ROWS = """\
R1,V1,C1,victim_report,2025-01-10,,0201,
Q1,V1,C1,suspect_charged,2025-02-10,,,
J1,V1,C1,suspect_verdict,2025-06-10,,,convicted
S1,V1,,victim_support,2025-01-11,,,medical
S1b,V1,,victim_support,2025-01-20,,,psychosocial
I1,V1,C1,child_interview,2025-01-12,,,specialised
I1b,V1,C1,child_interview,2025-03-01,,,repeated
R2,V2,C2,victim_report,2025-02-01,,0301,
Q2,V2,C2,suspect_charged,2025-03-01,,,
J2,V2,C2,suspect_verdict,2025-05-02,,,acquitted
S2,V2,C2,victim_support,2025-02-03,,,legal
I2,V2,C2,child_interview,2025-02-02,,,specialised
R3,V3,C3,victim_report,2025-03-01,,0201,
R3b,V3,C3b,victim_report,2025-09-01,,0401,
Q3,V3,C3,suspect_charged,2025-04-01,,,
J3,V3,C3,suspect_verdict,2025-12-01,,,dismissed
S3,V3,,victim_support,2024-06-01,,,psychosocial
I3,V3,C3,child_interview,2025-03-02,,,specialised
I3b,V3,C3,child_interview,2025-05-01,,,repeated
I3c,V3,C3,child_interview,2025-11-20,,,in_court
R4,V4,C4,victim_report,2025-04-01,2025-03-25,0401,
O4,V4,C4,investigation_opened,2025-04-02,,,
X4,V4,C4,investigation_closed,2025-07-01,,,no_suspect
S4,V4,C4,victim_support,2025-04-01,,,shelter
R5,V5,C5,victim_report,2025-05-05,,0301,
Q5,V5,C5,suspect_charged,2025-06-01,,,
S5,V5,C5,victim_support,2025-05-06,,,
I5,V5,C5,child_interview,2025-05-07,,,video_link
R6,V6,C6,victim_report,2025-06-01,,0201,
Q6,V6,C6,suspect_charged,2025-06-15,,,
J6,V6,C6,suspect_verdict,2025-09-30,,,withdrawn
S6,V6,C6,victim_support,2026-02-01,,,compensation
I6,V6,C6,child_interview,2025-06-02,,,specialised
I6b,V6,C6,child_interview,2025-06-20,,,repeated
R7,V7,C7,victim_report,2025-08-01,,0302,
Q7,V7,C7,suspect_charged,2025-08-20,,,
J7,V7,C7,suspect_verdict,2025-11-09,,,convicted
S7,V7,C7,victim_support,2025-08-02,,,psychosocial
I7,V7,C7,child_interview,2025-08-03,,,in_court
R8,V8,C8,victim_report,2024-11-01,,0201,
Q8,V8,C8,suspect_charged,2024-12-01,,,
J8,V8,C8,suspect_verdict,2025-03-01,,,convicted
S8,V8,C8,victim_support,2024-11-02,,,medical
I8,V8,C8,child_interview,2024-11-02,,,specialised
R9,V9,C9,victim_report,2025-07-01,,0201,
Q9,V9,C9,suspect_charged,2025-07-10,,,
J9,V9,C9,suspect_verdict,2025-09-01,,,convicted
S9,V9,C9,victim_support,2025-07-02,,,medical
I9,V9,C9,child_interview,2025-07-02,,,specialised
I9b,V9,C9,child_interview,2025-07-09,,,repeated
"""
VICTIMS = {
    "children.csv": CHILDREN,
    "events.csv": ("event_id,record_id,case_id,event_type,date,offence_date,offence_iccs,"
                   "measure,agency\n"
                   + "".join(line + ",victim_services\n"
                             for line in EVENT_ROWS.splitlines())),
}

Results = dict  # type: ignore[type-arg]


@pytest.fixture
def results(ws: Workspace, tmp_path: Path) -> Results:
    load_all(ws, tmp_path, {"victims": VICTIMS})
    return compute(ws)


def test_cases_reaching_a_charge(results: Results) -> None:
    r = one(results, "VAC7")
    # cases reported in 2025 by children: C1 C2 C3 C3b C4 C5 C6 C7 = 8 (C8 was reported in
    # 2024, C9 by an adult); charged: C1 C2 C3 C5 C6 C7 = 6 -> 6/8 = 75%
    assert (r.numerator, r.denominator, r.value) == (6, 8, 75.0)
    assert r.excluded_adults == 1  # C9
    assert r.ci_method == "Wilson score"


def test_cases_reaching_a_verdict(results: Results) -> None:
    r = one(results, "VAC8")
    # decided: C1 C2 C3 C6 C7 = 5 of the same 8 -> 62.5%
    assert (r.numerator, r.denominator, r.value) == (5, 8, 62.5)


def test_median_days_from_report_to_decision(results: Results) -> None:
    r = one(results, "VAC9")
    # decisions in 2025 of children's cases: C1 151, C2 90, C3 275, C6 121, C7 100, C8 120
    # (C8 reported in 2024 but decided in 2025). Ordered: 90 100 120 121 151 275.
    # median = (120 + 121) / 2 = 120.5; mean = 857 / 6 = 142.8333;
    # p90 (linear): h = 5 * 0.9 = 4.5 -> 151 + 0.5 * (275 - 151) = 213
    assert (r.numerator, r.denominator) == (None, 6)
    assert r.value == 120.5
    assert r.mean == pytest.approx(857 / 6)
    assert r.p90 == pytest.approx(213.0)
    # order-statistic interval, n = 6: P(Bin(6, 1/2) <= 0) = 1/64 = 0.0156 <= 0.025 and
    # P(<= 1) = 7/64 = 0.109 > 0.025, so k = 1: [x(1), x(6)] = [90, 275], coverage 1 - 2/64
    assert (r.ci_low, r.ci_high) == (90.0, 275.0)
    assert r.excluded_adults == 1  # C9, decided in 2025


def test_median_days_by_region(ws: Workspace, results: Results) -> None:
    cells = compute(ws, by=(("region",),))
    d1, d2 = one(cells, "VAC9", region="D1"), one(cells, "VAC9", region="D2")
    # D1: C1 151, C2 90, C6 121, C7 100 -> 90 100 121 151 -> median (100 + 121) / 2 = 110.5
    assert (d1.denominator, d1.value) == (4, 110.5)
    # D2: C3 275, C8 120 -> median 197.5; fewer than 6 values: no interval, said in a note
    assert (d2.denominator, d2.value, d2.ci_low) == (2, 197.5, None)
    assert any("no interval" in n for n in d2.note_texts())


def test_charge_share_by_sex_adds_up(ws: Workspace, results: Results) -> None:
    cells = compute(ws, by=(("sex",),))
    f, m = one(cells, "VAC7", sex="f"), one(cells, "VAC7", sex="m")
    # f: C1 C3 C3b C5 C7, charged C1 C3 C5 C7 -> 4/5; m: C2 C4 C6, charged C2 C6 -> 2/3
    assert (f.numerator, f.denominator) == (4, 5)
    assert (m.numerator, m.denominator) == (2, 3)


def test_children_with_any_support(results: Results) -> None:
    r = one(results, "VAC10")
    # children reported in 2025: V1-V7 = 7. Support on or after the offence: V1, V2, V4 (on
    # the report day, after the 03-25 offence), V5 (type unknown: still support), V6 (2026),
    # V7 = 6; V3's only support predates her offence -> 6/7
    assert (r.numerator, r.denominator) == (6, 7)
    assert r.value == pytest.approx(600 / 7)


def test_support_by_type(results: Results) -> None:
    # V5's only support has no type: unknown for every type, out of the denominators (6)
    # medical V1; psychosocial V1 V7 (V3's came before her offence); legal V2; shelter V4;
    # compensation V6
    expected = {"VAC10a": 1, "VAC10b": 2, "VAC10c": 1, "VAC10d": 1, "VAC10e": 1}
    for indicator, numerator in expected.items():
        r = one(results, indicator)
        assert (r.numerator, r.denominator, r.unknown) == (numerator, 6, 1), indicator
        assert r.value == pytest.approx(100 * numerator / 6), indicator


def test_interviews_per_child(results: Results) -> None:
    r = one(results, "VAC11")
    # interviews of V1-V7 from their offence on: 2 + 1 + 3 + 0 + 1 + 2 + 1 = 10; V8's (2024,
    # reported in 2024) and V9's (adult) are not counted -> 10 / 7 = 1.428571 per child
    assert (r.numerator, r.denominator, r.unit) == (10, 7, "per_child")
    assert r.value == pytest.approx(10 / 7)
    # exact Poisson for 10: chi2(0.025; 20) / 2 = 9.59078 / 2 = 4.79539 and
    # chi2(0.975; 22) / 2 = 36.78071 / 2 = 18.39036, each divided by 7
    assert r.ci_low == pytest.approx(4.79539 / 7, abs=1e-4)
    assert r.ci_high == pytest.approx(18.39036 / 7, abs=1e-4)


def test_children_interviewed_more_than_once(results: Results) -> None:
    r = one(results, "VAC12")
    # V1 (2), V3 (3), V6 (2) of the 7 -> 3/7
    assert (r.numerator, r.denominator) == (3, 7)
    assert r.value == pytest.approx(300 / 7)


def test_cross_agency_events_join_only_linked_records(ws: Workspace, tmp_path: Path) -> None:
    """A court's verdict carrying the report's case number as origin_case_ref belongs to the
    case only when its record is the same person: before linkage it does not."""
    court = {"children.csv": "record_id,agency,date_of_birth,sex\nK5,court,2012-06-06,f\n",
             "events.csv": ("event_id,agency,record_id,origin_case_ref,event_type,date,measure\n"
                            "CJ5,court,K5,C5,suspect_verdict,2025-10-01,convicted\n")}
    load_all(ws, tmp_path, {"victims": VICTIMS, "court": court})
    r = one(compute(ws), "VAC8")
    assert (r.numerator, r.denominator) == (5, 8)  # C5 still undecided: K5 is not linked
    # linked (V5 and K5 one person): C5 decided too -> 6/8; its 149 days (2025-05-05 to
    # 10-01: 26 + 30 + 31 + 31 + 30 + 1) join VAC9: 90 100 120 121 149 151 275 -> median 121
    linked = pa.table({"agency": ["victim_services", "court"], "record_id": ["V5", "K5"],
                       "person": ["p5", "p5"]})
    request = Request(parse_period("2025"))
    with ws.analytic() as con:
        found = run_indicators(materialise(con, linked, today=TODAY), ws.config.counting, 14,
                               request)
    by_id = {x.id: x for x in found if not x.by}
    assert (by_id["VAC8"].numerator, by_id["VAC8"].denominator) == (6, 8)
    assert (by_id["VAC9"].denominator, by_id["VAC9"].value) == (7, 121.0)


def test_every_new_count_is_protected_by_the_release() -> None:
    """Disclosure control knows the counts of every indicator that is not a policy, the
    new shape (median_days) and unit (per_child) included, and recomputes a rounded
    per-child figure from its rounded counts."""
    from endvac.indicators.definitions import load_definitions
    from endvac.release.relations import count_fields
    defs = load_definitions()
    assert [i.id for i in defs.indicators if i.shape != "policy" and not count_fields(i)] \
        == []
    assert count_fields(defs.get("VAC9")) == ("denominator",)
    assert count_fields(defs.get("VAC11")) == ("numerator", "denominator")
