"""JJ9, JJ10 and the violence-against-children indicators, worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from endvac.workspace import Workspace
from indicator_helpers import compute, load_all, one

COURT = {
    "children.csv": ("record_id,agency,date_of_birth,sex\n"
                     "K1,court,2006-03-01,m\n"    # 19 when sentenced, 16 at the offence
                     "K2,court,2009-01-01,f\n"
                     "K3,court,2009-01-01,m\n"
                     "K4,court,2010-01-01,f\n"
                     "K5,court,2010-01-01,m\n"
                     "K6,court,2000-01-01,m\n"),  # adult
    "events.csv": ("event_id,agency,record_id,event_type,date,offence_date,measure,authority\n"
                   "S1,court,K1,sentence,2025-04-01,2022-06-01,custodial,\n"
                   "S2,court,K2,sentence,2025-02-02,,probation,\n"
                   "S3,court,K3,sentence,2025-03-03,,,\n"          # measure unknown
                   "D4,court,K4,diversion,2025-05-05,,warning,prosecutor\n"
                   "D5,court,K5,diversion,2025-06-06,,mediation,court\n"
                   "S5,court,K5,sentence,2025-08-08,,community_service,\n"
                   "S6,court,K6,sentence,2025-01-01,,custodial,\n"),
}
VICTIMS = {
    "children.csv": ("record_id,agency,date_of_birth,sex\n"
                     "V1,victim_services,2012,f\nV2,victim_services,2013,m\n"
                     "V3,victim_services,2011,f\nV4,victim_services,2011,m\n"
                     "V5,victim_services,2011,f\n"),
    "events.csv": ("event_id,agency,record_id,event_type,date,offence_iccs,cyber\n"
                   "R1,victim_services,V1,victim_report,2025-01-05,0101,n\n"
                   "R2,victim_services,V2,victim_report,2025-02-05,03011,y\n"
                   "R3,victim_services,V3,victim_report,2025-03-05,0204,\n"
                   "R4,victim_services,V4,victim_report,2025-04-05,0502,n\n"
                   "R5,victim_services,V5,victim_report,2025-04-06,,y\n"),
}


@pytest.fixture
def results(ws: Workspace, tmp_path: Path) -> dict:  # type: ignore[type-arg]
    load_all(ws, tmp_path, {"court": COURT, "victims": VICTIMS})
    return compute(ws)


def test_jj9_custodial_sentencing(results: dict) -> None:  # type: ignore[type-arg]
    r = one(results, "JJ9")
    # K1 (sentenced at 19 for an offence at 16) custodial; K2, K5 not; K3 measure unknown
    assert (r.numerator, r.denominator, r.unknown) == (1, 3, 1)
    assert r.value == pytest.approx(100 / 3)
    assert r.excluded_adults == 1  # K6


def test_jj10_diversion(results: dict) -> None:  # type: ignore[type-arg]
    r = one(results, "JJ10")
    assert (r.numerator, r.denominator, r.value) == (2, 5, 40.0)  # K4, K5 of K1-K5


def test_wilson_interval_of_a_percentage(results: dict) -> None:  # type: ignore[type-arg]
    r = one(results, "JJ10")
    # Wilson 95% for 2 of 5 by hand: p=0.4, z=1.959964, z2=3.841459
    # centre = (0.4 + 0.384146) / 1.768292 = 0.443448; half = 1.108387 * sqrt(0.048 + 0.038415)
    # = 1.108387 * 0.293964 = 0.325826 -> 0.117622 .. 0.769274
    assert r.ci_low == pytest.approx(11.7622, abs=1e-3)
    assert r.ci_high == pytest.approx(76.9274, abs=1e-3)


def test_victim_indicators(results: dict) -> None:  # type: ignore[type-arg]
    expected = {"VAC1": (3, 1), "VAC2": (1, 1), "VAC3": (1, 1), "VAC4": (1, 1),
                "VAC6": (2, 1)}
    for indicator, (numerator, unknown) in expected.items():
        r = one(results, indicator)
        assert (r.numerator, r.unknown, r.denominator) == (numerator, unknown, 8000), \
            indicator
        assert r.value == pytest.approx(numerator / 8000 * 100_000), indicator


def test_vac_by_offence_section_has_no_population(ws: Workspace, results: dict) -> None:  # type: ignore[type-arg]
    cells = compute(ws, by=(("offence_section",),))
    r = one(cells, "VAC1", offence_section="03")
    assert (r.numerator, r.value) == (1, None)
    assert any("not given by offence" in n for n in r.note_texts())
