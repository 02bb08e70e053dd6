"""Detention indicators (JJ2-JJ8, JJ11-JJ13, JJU, VAC5) on a hand-made country.

Census date C = 2025-12-31, period P = 2025. Each child's story and what it
should count for is written beside it; the expected values follow by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from endvac.workspace import Workspace
from indicator_helpers import compute, load_all, one

DETENTION = {
    "children.csv": ("record_id,agency,date_of_birth,sex,region\n"
                     "D1,detention,2007-06-01,m,D1\n"   # 17 at case start, 18 at C
                     "D2,detention,2010-05-05,f,D2\n"
                     "D3,detention,2009-01-01,m,D1\n"
                     "D4,detention,2009-03-03,f,D2\n"
                     "D5,detention,2008-08-08,m,D1\n"
                     "D6,detention,2008-09-09,m,D2\n"
                     "D7,detention,2011-01-01,f,D1\n"
                     "D8,detention,1990-01-01,m,D1\n"),  # adult
    "detentions.csv": (
        "spell_id,agency,record_id,case_id,facility_id,basis,start,end,end_reason,"
        "held_with_adults\n"
        # D1: pre-sentence on case C1 across a transfer, then sentenced, still held at C
        "S1,detention,D1,C1,F1,pre_sentence,2024-11-01,2025-01-10,transferred,\n"
        "S2,detention,D1,C1,F2,pre_sentence,2025-01-10,2025-03-01,sentenced,\n"
        "S3,detention,D1,C1,F2,sentenced,2025-03-01,,,\n"
        # D2: transfer without case id, next day: one stay of 19 + 39 days; released
        "S4,detention,D2,,F1,pre_sentence,2025-02-01,2025-02-20,transferred,\n"
        "S5,detention,D2,,F2,pre_sentence,2025-02-21,2025-04-01,released,\n"
        # D3: released with a timestamp on C itself: not detained at C
        "S6,detention,D3,,F1,pre_sentence,2025-06-01,2025-12-31T15:00,released,y\n"
        # D4: held at C, separated from adults
        "S7,detention,D4,,F1,pre_sentence,2025-10-01,,,n\n"
        # D5: died in sentenced detention: not a release
        "S8,detention,D5,,F2,sentenced,2025-01-01,2025-05-01,death,\n"
        # D6: escaped: not a release
        "S9,detention,D6,,F1,pre_sentence,2025-07-01,2025-07-15,escape,\n"
        # D7: police custody only
        "S10,detention,D7,,P1,police_custody,2025-04-04T10:00,2025-04-05T09:00,released,\n"
        # D8: an adult
        "S11,detention,D8,,F1,pre_sentence,2025-05-01,,,\n"),
    "events.csv": ("event_id,agency,record_id,event_type,date,facility_id,measure\n"
                   "V1,detention,D1,family_visit,2025-11-15,F2,\n"
                   "V2,detention,D4,family_visit,2025-08-01,F1,\n"   # before D4's stay began
                   "A1,detention,D2,aftercare,2025-05-15,,\n"        # 44 days after release
                   "A2,detention,D3,aftercare,2026-01-20,,\n"        # 20 days after, past P.end
                   "X1,detention,D4,violence_in_custody,2025-11-01,F1,by_peer\n"),
}


@pytest.fixture
def held(ws: Workspace, tmp_path: Path) -> dict:  # type: ignore[type-arg]
    load_all(ws, tmp_path, {"detention": DETENTION})
    return compute(ws)


def test_jj2_jj3_and_jju(held: dict) -> None:  # type: ignore[type-arg]
    jj2, jj3, jju = one(held, "JJ2"), one(held, "JJ3"), one(held, "JJU")
    assert (jj2.numerator, jj2.denominator, jj2.value) == (2, 8000, 25.0)  # D1, D4
    assert jj2.excluded_adults == 1  # D8
    assert (jj3.numerator, jj3.value) == (1, 12.5)  # D4
    assert (jju.numerator, jju.denominator, jju.value) == (1, 2, 50.0)


def test_jj4_durations_of_pre_sentence_stays(held: dict) -> None:  # type: ignore[type-arg]
    r = one(held, "JJ4")
    # stays ending in 2025: D6 14, D2 19+39=58, D1 70+50=120, D3 213 days
    assert r.denominator == 4
    assert r.value == pytest.approx((58 + 120) / 2)
    assert r.mean == pytest.approx((14 + 58 + 120 + 213) / 4)
    assert r.p90 == pytest.approx(120 + 0.7 * (213 - 120))  # type 7: h = 3 x 0.9 = 2.7
    assert "stays by end_reason: escape: 1, released: 2, sentenced: 1" in r.note_texts()


def test_jj5_sentenced_stay(held: dict) -> None:  # type: ignore[type-arg]
    r = one(held, "JJ5")
    assert (r.denominator, r.value, r.mean, r.p90) == (1, 120.0, 120.0, 120.0)


def test_jj6_deaths_and_vac5_violence(held: dict) -> None:  # type: ignore[type-arg]
    jj6, vac5 = one(held, "JJ6"), one(held, "VAC5")
    # detained at any time in 2025 under the default bases: D1-D6 (D7 police custody, D8 adult)
    assert (jj6.numerator, jj6.denominator) == (1, 6)
    assert jj6.value == pytest.approx(1000 / 6)
    assert "police custody: 0 among 1 children held" in jj6.note_texts()
    assert (vac5.numerator, vac5.denominator) == (1, 6)


def test_jj7_separation_with_unknown(held: dict) -> None:  # type: ignore[type-arg]
    r = one(held, "JJ7")
    # D4 known separated; D1's spell and facility F2 say nothing: unknown
    assert (r.numerator, r.denominator, r.unknown, r.value) == (0, 1, 1, 0.0)


def test_jj8_family_contact_window(held: dict) -> None:  # type: ignore[type-arg]
    r = one(held, "JJ8")
    assert (r.numerator, r.denominator, r.value) == (1, 2, 50.0)  # D1 yes, D4 no


def test_jj11_aftercare_window_past_the_period(held: dict) -> None:  # type: ignore[type-arg]
    r = one(held, "JJ11")
    # releases: D2 (aftercare 44 days later: too late), D3 (20 days later, in 2026: counts);
    # D5 died, D6 escaped, D7 was in police custody
    assert (r.numerator, r.denominator, r.value) == (1, 2, 50.0)


def test_jj12b_and_jj13b_places(held: dict) -> None:  # type: ignore[type-arg]
    jj12b, jj13b = one(held, "JJ12b"), one(held, "JJ13b")
    # places that held a child in 2025: F1, F2 and P1 (police custody only)
    assert (jj12b.numerator, jj12b.denominator) == (1, 3)  # only F1 independently
    assert jj12b.value == pytest.approx(100 / 3)
    assert (jj13b.numerator, jj13b.denominator, jj13b.unknown) == (1, 2, 1)


def test_policy_in_force_at_census_and_missing_policy(held: dict) -> None:  # type: ignore[type-arg]
    jj14, jj15 = one(held, "JJ14"), one(held, "JJ15")
    assert (jj14.value, jj14.as_of, jj14.evidence) == (1, "2020-01-01", "Law 1/2020")
    assert jj15.value is None


def test_coverage_not_recorded_is_null_not_zero(held: dict) -> None:  # type: ignore[type-arg]
    for indicator in ("JJ1", "JJ9", "JJ10", "VAC1"):
        r = one(held, indicator)
        assert r.value is None and r.coverage.startswith("not recorded"), indicator


def test_breakdown_by_sex_adds_up(held: dict, ws: Workspace) -> None:  # type: ignore[type-arg]
    results = compute(ws, by=(("sex",),))
    for indicator in ("JJ2", "JJ6", "JJ8", "JJ11"):
        total = one(results, indicator)
        cells = [r for k, r in results.items() if k[0] == indicator and r.by]
        assert sum(c.numerator for c in cells) == total.numerator, indicator
    assert one(results, "JJ2", sex="m").numerator == 1
    assert one(results, "JJ2", sex="f").numerator == 1
