"""Contract test of the victims' pathway extension of format version 1: deliveries made
before it load exactly as before, a delivery with every new event type and measure
loads, and the new checks report (never quarantine) events whose report is missing or
later than them."""

from __future__ import annotations

from pathlib import Path

from conftest import CHILDREN, FACILITIES, errors, load, query, warnings
from endvac.interchange.spec import EVENT_TYPES, MEASURES, VICTIM_PATHWAY_EVENTS
from endvac.workspace import Workspace
from indicator_helpers import compute, load_all, one
from test_indicators_court_victims import COURT, VICTIMS

ALL_NEW = [(t, m) for t in VICTIM_PATHWAY_EVENTS for m in (*MEASURES.get(t, ()), "")]


def _pathway_delivery() -> dict[str, str]:
    """One report and, in its case, every new event type with each of its measures and
    without one (the report is dated first; every event after it)."""
    rows = "".join(f"E{n},victim_services,V1,C1,{t},2025-03-{n + 2:02d},{m}\n"
                   for n, (t, m) in enumerate(ALL_NEW, start=1))
    return {
        "children.csv": "record_id,agency,date_of_birth,sex\nV1,victim_services,2012,f\n",
        "events.csv": ("event_id,agency,record_id,case_id,event_type,date,measure\n"
                       "R1,victim_services,V1,C1,victim_report,2025-03-01,\n" + rows),
    }


def test_the_extension_adds_event_types_and_keeps_version_1() -> None:
    from endvac.interchange.spec import FORMAT_VERSION
    assert FORMAT_VERSION == "1"
    assert EVENT_TYPES[:15][-1] == "victim_report"  # the contract's 15 come first, unchanged
    assert EVENT_TYPES[15:] == VICTIM_PATHWAY_EVENTS
    assert len(ALL_NEW) == 2 + 6 + 5 + 6 + 5  # 4 types with measures (+ empty), 2 without


def test_old_deliveries_load_unchanged(ws: Workspace, tmp_path: Path) -> None:
    """The hand-made deliveries of the other tests: no finding of any new rule, every row
    loaded, the VAC figures as before, and the new indicators not recorded (null), not 0."""
    first = load(ws, tmp_path / "police", {"facilities.csv": FACILITIES,
                                            "children.csv": CHILDREN})
    assert (errors(first), warnings(first)) == (set(), set())
    load_all(ws, tmp_path / "more", {"court": COURT, "victims": VICTIMS})
    rules = {r[0] for r in query(ws, "SELECT DISTINCT rule FROM findings")}
    assert not rules & {"victim_case_not_found", "victim_event_before_report"}
    # 7 court events and 5 victim reports, as delivered
    assert query(ws, "SELECT count(*) FROM events") == [(12,)]
    results = compute(ws)
    assert one(results, "VAC1").numerator == 3  # as in test_indicators_court_victims
    for indicator in ("VAC7", "VAC8", "VAC9", "VAC10", "VAC11", "VAC12"):
        r = one(results, indicator)
        assert r.value is None and (r.coverage or "").startswith("not recorded"), indicator


def test_every_new_event_type_and_measure_loads(ws: Workspace, tmp_path: Path) -> None:
    result = load(ws, tmp_path / "pathway", _pathway_delivery())
    assert result.quarantined == 0, [f.describe() for f in result.findings]
    assert {(f.rule, f.severity) for f in result.findings} <= {("reference_missing", "notice")}
    stored = query(ws, "SELECT event_type, coalesce(measure, ''), role FROM events "
                       "WHERE event_type <> 'victim_report' ORDER BY event_id")
    assert sorted((t, m) for t, m, _ in stored) == sorted(ALL_NEW)
    assert {role for _, _, role in stored} == {None}  # an empty role stays empty in the store
    results = compute(ws)
    # the events' role defaults to victim, so the support and interviews count:
    # V1 had one support of each type + one untyped -> VAC10 1/1; 4 + 1 interviews -> 5
    assert (one(results, "VAC10").numerator, one(results, "VAC11").numerator) == (1, 5)


def test_a_measure_of_another_event_type_is_refused(ws: Workspace, tmp_path: Path) -> None:
    files = _pathway_delivery()
    files["events.csv"] += "Z1,victim_services,V1,C1,suspect_verdict,2025-04-30,custodial\n"
    result = load(ws, tmp_path / "bad", files)
    row = len(ALL_NEW) + 3  # header, report, the new events, then Z1
    assert errors(result) == {(row, "measure", "bad_code")}


def test_missing_and_later_reports_are_reported_not_quarantined(ws: Workspace,
                                                                tmp_path: Path) -> None:
    load(ws, tmp_path / "reports", {
        "children.csv": ("record_id,agency,date_of_birth\nV1,victim_services,2012\n"
                         "V2,victim_services,2012\n"),
        "events.csv": ("event_id,agency,record_id,case_id,event_type,date\n"
                       "R1,victim_services,V1,C1,victim_report,2025-03-01\n")})
    later = load(ws, tmp_path / "later", {
        "children.csv": ("record_id,agency,date_of_birth\nK1,court,2012\n"
                         "P1,police,2012\n"),
        "events.csv": (
            "event_id,agency,record_id,case_id,origin_case_ref,event_type,date,measure\n"
            # row 2: the report's case by origin_case_ref, after it: fine
            "J1,court,K1,K-9,C1,suspect_verdict,2025-09-01,convicted\n"
            # row 3: the same case, but dated before the report: a warning
            "Q1,court,K1,K-9,C1,suspect_charged,2025-02-01,\n"
            # row 4: a case with no report loaded anywhere: a notice
            "O1,police,P1,P-7,,investigation_opened,2025-04-01,\n"
            # row 5: a case event without any case number: a notice
            "O2,police,P1,,,investigation_opened,2025-04-02,\n")})
    same_record = load(ws, tmp_path / "support", {
        "events.csv": ("event_id,agency,record_id,event_type,date,measure\n"
                       # row 2: support without a case number, of a record with a report
                       "S1,victim_services,V1,victim_support,2025-03-02,medical\n"
                       # row 3: of a record without one
                       "S2,victim_services,V2,victim_support,2025-03-02,medical\n")})
    assert later.quarantined == same_record.quarantined == 0
    found = {(f.row, f.column, f.rule, f.severity) for f in later.findings
             if f.rule.startswith("victim_")}
    assert found == {(3, "date", "victim_event_before_report", "warning"),
                     (4, "case_id", "victim_case_not_found", "notice"),
                     (5, "case_id", "victim_case_not_found", "notice")}
    assert later.files[-1].warnings == 1  # the notices are no warnings
    assert {(f.row, f.rule) for f in same_record.findings if f.rule.startswith("victim_")} \
        == {(3, "victim_case_not_found")}
