"""The events column ``evidence`` (dated / time_unknown / not_done) in the safeguards and
the indicators, on hand-made interchange files; every expected value is worked by hand.

As of (and census) 2025-12-31 with the international defaults: parent notification and
first appearance 24 h, legal aid by the first appearance, reviews every 14 days, charge
within 30 days, pre-sentence detention at most 180 days, family contact every 90 days.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import write_delivery
from endvac.facts.derived import materialise
from endvac.indicators.engine import Request
from endvac.indicators.periods import parse_period
from endvac.ingest.load import ingest
from endvac.safeguards.alerts import AlertReport, evaluate
from endvac.safeguards.rates import safeguard_rates
from endvac.workspace import Workspace
from indicator_helpers import compute, load_all, one

AS_OF = date(2025, 12, 31)
POLICE = {
    "children.csv": ("record_id,agency,date_of_birth,sex\n"
                     "E1,police,2010-01-01,m\nE2,police,2010-01-01,f\n"),
    "events.csv": (
        "event_id,agency,record_id,event_type,date,evidence\n"
        # E1: "parent notified: yes" and "legal aid: yes" without a time (dated by the
        # arrest); before the judge 5 h after the arrest, in time
        "A1,police,E1,arrest,2025-03-01T10:00,\n"
        "N1,police,E1,parent_notified,2025-03-01,time_unknown\n"
        "F1,police,E1,first_appearance,2025-03-01T15:00,dated\n"
        "L1,police,E1,legal_aid,2025-03-01,time_unknown\n"
        # E2: "parent notified: no", "legal aid: no", "before a judge: yes" without a time
        "A2,police,E2,arrest,2025-03-01T10:00,\n"
        "N2,police,E2,parent_notified,2025-03-01,not_done\n"
        "F2,police,E2,first_appearance,2025-03-01,time_unknown\n"
        "L2,police,E2,legal_aid,2025-03-01,not_done\n"),
}
REMAND = {
    "children.csv": ("record_id,agency,date_of_birth,sex\n"
                     + "".join(f"R{i},detention,2009-01-01,m\n" for i in range(1, 8))),
    "detentions.csv": (
        "spell_id,agency,record_id,facility_id,basis,start,end,end_reason\n"
        "S1,detention,R1,F1,pre_sentence,2025-06-01,,\n"
        "S2,detention,R2,F1,sentenced,2025-11-01,,\n"
        "S3,detention,R3,F1,sentenced,2025-11-01,,\n"
        "S4,detention,R4,F1,sentenced,2025-01-01,,\n"
        # R5-R7: released after 61 days (04-01 → 06-01)
        + "".join(f"S{i},detention,R{i},F1,sentenced,2025-04-01,2025-06-01,released\n"
                  for i in range(5, 8))),
    "events.csv": (
        "event_id,agency,record_id,event_type,date,evidence\n"
        # R1: "family visits: yes", "charged: yes" without dates (dated by the admission);
        # "review held: no"
        "V1,detention,R1,family_visit,2025-06-01,time_unknown\n"
        "C1,detention,R1,charge,2025-06-01,time_unknown\n"
        "W1,detention,R1,detention_review,2025-06-01,not_done\n"
        # R2: a dated visit; R3 and R4: "family visits: no", dated by the admission
        "V2,detention,R2,family_visit,2025-12-01,\n"
        "V3,detention,R3,family_visit,2025-11-01,not_done\n"
        "V4,detention,R4,family_visit,2025-01-01,not_done\n"
        # R5: "aftercare: yes" without a date; R6: aftercare dated 06-10; R7: "aftercare: no"
        "T5,detention,R5,aftercare,2025-06-01,time_unknown\n"
        "T6,detention,R6,aftercare,2025-06-10,dated\n"
        "T7,detention,R7,aftercare,2025-06-01,not_done\n"),
}


@pytest.fixture
def country(ws: Workspace, tmp_path: Path) -> Workspace:
    load_all(ws, tmp_path, {"police": POLICE, "remand": REMAND})
    return ws


def alerts(ws: Workspace) -> AlertReport:
    with ws.analytic(read_only=True) as con:
        return evaluate(materialise(con, today=AS_OF), ws.profile(), ws.config.counting, AS_OF)


def seen(report: AlertReport) -> set[tuple[object, ...]]:
    return {(a.rule, a.status, a.child_key, a.since.isoformat(), a.elapsed,
             a.over, a.ongoing, a.evidence) for a in report.alerts}


def test_time_unknown_is_possible_and_not_done_is_a_breach(country: Workspace) -> None:
    assert seen(alerts(country)) == {
        # E1: notified at an unknown time: possible (the limit passed long before the
        # as-of date); no hours are computed from its date
        ("parent_not_notified_in_time", "possible", "police/E1", "2025-03-02", None, None,
         False, "A1 N1"),
        # E1: legal aid at an unknown time, first appearance at 15:00: possible
        ("no_legal_aid_by_first_appearance", "possible", "police/E1", "2025-03-01", None,
         None, False, "A1 F1 L1"),
        # E2: "not notified": missing, a breach; 2025-03-01 → 2025-12-31 is 305 days:
        # elapsed 305 × 24 = 7,320 h, over 7,320 − 24 = 7,296 h, still missing
        ("parent_not_notified_in_time", "breach", "police/E2", "2025-03-02", 7320.0,
         7296.0, True, "A2 N2"),
        # E2: brought before a judge at an unknown time: possible, not missing
        ("first_appearance_late", "possible", "police/E2", "2025-03-02", None, None, False,
         "A2 F2"),
        # E2: "no legal aid": a breach
        ("no_legal_aid_by_first_appearance", "breach", "police/E2", "2025-03-01", None, None,
         False, "A2 F2 L2"),
        # R1: held from 06-01 to the as-of date, 12-31: 30 + 31 + 31 + 30 + 31 + 30 + 30 =
        # 213 days. A visit at an unknown time could fall in the 213 days: possible;
        # since 06-01 + 90 = 08-30, over 213 − 90 = 123
        ("no_family_contact", "possible", "detention/R1", "2025-08-30", 213.0, 123.0, True,
         "S1 V1"),
        # R1: "review held: no": no review in 213 days, a breach since 06-01 + 15 = 06-16,
        # over 213 − 14 = 199
        ("review_missed", "breach", "detention/R1", "2025-06-16", 213.0, 199.0, True, "S1 W1"),
        # R1: charged at an unknown time (dated by the admission, inside ±30 days):
        # possible since 06-01 + 31 = 07-02, over 213 − 30 = 183
        ("not_charged_in_time", "possible", "detention/R1", "2025-07-02", 213.0, 183.0, True,
         "S1 C1"),
        # R1: 213 days > 180: since 06-01 + 181 = 11-29, over 33
        ("pretrial_too_long", "breach", "detention/R1", "2025-11-29", 213.0, 33.0, True, "S1"),
        # R4: "family visits: no" and held 01-01 → 12-31 = 364 days: a breach since
        # 01-01 + 90 = 04-01, over 364 − 90 = 274 (R2 and R3: held 60 days, under 90)
        ("no_family_contact", "breach", "detention/R4", "2025-04-01", 364.0, 274.0, True,
         "S4 V4"),
    }


def test_jj8_counts_only_dated_visits_and_leaves_time_unknown_out(country: Workspace) -> None:
    jj8 = one(compute(country, census="2025-12-31"), "JJ8")
    # detained at C: R1, R2, R3, R4. R1's only visit has no date: unknown, left out.
    # R2 visited 12-01 (inside 10-03 … 12-31); R3's "no" row (dated 11-01, inside the
    # window) is not a visit; R4 not visited. 1 of 3 = 33.3 %
    assert (jj8.numerator, jj8.denominator, jj8.unknown) == (1, 3, 1)
    assert jj8.value == pytest.approx(100 / 3, abs=0.05)


def test_jj11_counts_only_dated_aftercare_in_its_window(country: Workspace) -> None:
    jj11 = one(compute(country), "JJ11")
    # released in 2025: R5, R6, R7. R5's aftercare has no date: unknown, left out; R6's
    # on 06-10 lies in 06-01 … 07-01; R7's "no" row is not aftercare. 1 of 2 = 50 %
    assert (jj11.numerator, jj11.denominator, jj11.unknown, jj11.value) == (
        1, 2, 1, 50.0)


def test_safeguard_rates_count_possible_as_unknown(country: Workspace) -> None:
    with country.analytic() as con:
        results = safeguard_rates(materialise(con, today=AS_OF), country.profile(),
                                  country.config.counting,
                                  Request(parse_period("2025")))
    total = {r.id: r for r in results if not r.by}
    # SG1: E1 before the judge in 5 h; E2's appearance has no time: unknown
    assert (total["SG1"].numerator, total["SG1"].denominator,
            total["SG1"].unknown) == (1, 1, 1)
    # SG2: of E1 (on time), legal aid at an unknown time: unknown; none left to count
    assert (total["SG2"].numerator, total["SG2"].denominator,
            total["SG2"].unknown) == (0, 0, 1)


JAIL = {
    "children.csv": "record_id,agency,date_of_birth,sex\nJ1,detention,2009-01-01,m\n",
    "detentions.csv": ("spell_id,agency,record_id,facility_id,basis,start\n"
                       "S1,detention,J1,F1,sentenced,2025-01-01\n"),
}


def test_family_contact_rule_and_jj8_agree_when_visits_are_not_recorded(
        ws: Workspace, tmp_path: Path) -> None:
    load_all(ws, tmp_path, {"jail": JAIL})
    jj8 = one(compute(ws, census="2025-12-31"), "JJ8")
    assert jj8.value is None and jj8.coverage == "not recorded: family_visit"
    report = alerts(ws)
    family = [(a.status, a.child_key) for a in report.alerts
              if a.rule == "no_family_contact"]
    # held 364 days without a visit, but no agency records visits: not a breach
    assert family == [("no_evidence", "detention/J1")]
    assert report.not_recorded["no_family_contact"] == "not recorded: family_visit"
    assert report.banner is not None and "family_visit (no_family_contact)" in report.banner
    # the jail then says it records visits (a manifest): none happened, both say so
    manifest = ("agency,event_types,format_version\n"
                "detention,arrest family_visit,1\n")
    result = ingest(ws, write_delivery(tmp_path / "manifest", {"manifest.csv": manifest}))
    assert result.quarantined == 0
    jj8 = one(compute(ws, census="2025-12-31"), "JJ8")
    assert (jj8.numerator, jj8.denominator, jj8.value) == (0, 1, 0.0)
    report = alerts(ws)
    assert [(a.status, a.child_key) for a in report.alerts
            if a.rule == "no_family_contact"] == [("breach", "detention/J1")]
    assert "no_family_contact" not in report.not_recorded


def test_a_store_made_before_the_evidence_column_gains_it(ws: Workspace) -> None:
    with ws.analytic() as con:  # as a store made before the extension was
        con.execute("ALTER TABLE f_events DROP COLUMN evidence")
        con.execute("CREATE OR REPLACE VIEW events AS SELECT * FROM f_events")
    with ws.analytic() as con:
        columns = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'events'").fetchall()}
    assert "evidence" in columns


def test_only_dated_visits_are_checked_against_the_stays(ws: Workspace, tmp_path: Path) -> None:
    files = {
        "children.csv": "record_id,agency,date_of_birth,sex\nJ1,detention,2009-01-01,m\n",
        "detentions.csv": ("spell_id,agency,record_id,facility_id,basis,start,end,end_reason\n"
                           "S1,detention,J1,F1,sentenced,2025-03-01,2025-04-01,released\n"),
        # all three dated 02-01, before the stay: only the dated visit (row 2) is odd
        "events.csv": ("event_id,agency,record_id,event_type,date,evidence\n"
                       "V1,detention,J1,family_visit,2025-02-01,dated\n"
                       "V2,detention,J1,family_visit,2025-02-01,time_unknown\n"
                       "V3,detention,J1,family_visit,2025-02-01,not_done\n"),
    }
    result = ingest(ws, write_delivery(tmp_path / "d", files))
    assert [f.row for f in result.findings if f.rule == "visit_outside_detention"] == [2]


def test_time_unknown_waits_for_the_limit_to_pass(country: Workspace) -> None:
    with country.analytic(read_only=True) as con:
        report = evaluate(materialise(con, today=AS_OF), country.profile(),
                          country.config.counting, date(2025, 3, 1))
    # as of the arrest day (0 days: at most 24 h, not over 24) nothing is due yet for E1;
    # E2's first appearance (time unknown) is not due either
    assert {(a.rule, a.child_key) for a in report.alerts
            if a.rule in ("parent_not_notified_in_time", "first_appearance_late")} == set()
