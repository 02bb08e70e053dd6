"""Every validation rule of the interchange spec, each on a tiny hand-made file.

Expected findings are written out by hand: (row, column, rule), rows numbered
as a spreadsheet shows them (header = row 1).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import CHILDREN, FACILITIES, errors, load, query, warnings
from endvac.interchange.spec import ERROR_RULES, RULES
from endvac.workspace import Workspace

EVENTS_HEAD = "event_id,agency,record_id,event_type,date,offence_iccs,measure,length_days\n"


def test_required_value_bad_code_bad_date_and_bad_number(ws: Workspace, tmp_path: Path) -> None:
    events = (EVENTS_HEAD
              + "E1,police,C1,arrest,2025-01-02T10:30,0101,,\n"      # 2 fine
              + ",police,C1,arrest,2025-01-03,,,\n"                  # 3 event_id empty
              + "E3,police,C1,arest,2025-01-03,,,\n"                 # 4 event_type
              + "E4,police,C1,arrest,31/12/2025,,,\n"                # 5 date form
              + "E5,police,C1,arrest,2025-02-30,,,\n"                # 6 impossible date
              + "E6,court,C1,sentence,2025-03-01,,custodial,ten\n"  # 7 number (+C1 not court)
              + "E7,police,C1,sentence,2025-03-01,,custodial,-3\n"  # 8 negative number
              + "E8,police,C1,verdict,2025-03-01,,custodial,\n"     # 9 measure of another type
              + "E9,POLICE,C2,Arrest,2025-01-09,,,\n")               # 10 fine: codes any case
    result = load(ws, tmp_path / "d", {"children.csv": CHILDREN, "events.csv": events})
    assert errors(result, "events") == {
        (3, "event_id", "required_value"),
        (4, "event_type", "bad_code"),
        (5, "date", "bad_date"),
        (6, "date", "bad_date"),
        (7, "length_days", "bad_number"),
        (7, "record_id", "unknown_record"),
        (8, "length_days", "bad_number"),
        (9, "measure", "bad_code"),
    }
    events_result = result.files[1]
    assert (events_result.rows_in, events_result.new, events_result.quarantined) == (9, 2, 7)
    assert query(ws, "SELECT event_id, agency, event_type, date, date_time FROM events "
                     "ORDER BY 1") == [
        ("E1", "police", "arrest", __import__("datetime").date(2025, 1, 2),
         __import__("datetime").datetime(2025, 1, 2, 10, 30)),
        ("E9", "police", "arrest", __import__("datetime").date(2025, 1, 9), None)]
    assert result.exit_code == 1


def test_missing_column_quarantines_every_row(ws: Workspace, tmp_path: Path) -> None:
    events = "event_id,agency,record_id,date\nE1,police,C1,2025-01-01\nE2,police,C1,2025-01-02\n"
    result = load(ws, tmp_path / "d", {"children.csv": CHILDREN, "events.csv": events})
    assert errors(result, "events") == {(2, "event_type", "missing_column"),
                                        (3, "event_type", "missing_column")}
    assert result.files[1].quarantined == 2


def test_ragged_rows_and_unknown_columns(ws: Workspace, tmp_path: Path) -> None:
    children = ("record_id,agency,sex,favourite_colour\n"
                "C1,police,f,blue\n"
                "C2,police,m\n"            # 3: one cell short
                "C3,police,m,red,extra\n")  # 4: one cell too many
    result = load(ws, tmp_path / "d", {"children.csv": children})
    assert errors(result) == {(3, None, "ragged_row"), (4, None, "ragged_row")}
    assert warnings(result) == {(None, "favourite_colour", "unknown_column")}
    assert result.files[0].new == 1


def test_end_before_start_with_dates_and_with_times(ws: Workspace, tmp_path: Path) -> None:
    spells = ("spell_id,agency,record_id,facility_id,basis,start,end,end_reason\n"
              "S1,police,C1,F1,pre_sentence,2025-01-10,2025-01-09,released\n"           # 2
              "S2,police,C1,F1,police_custody,2025-01-10T10:00,2025-01-10T09:00,bail\n"  # 3
              "S3,police,C1,F1,police_custody,2025-01-10T10:00,2025-01-10,released\n"    # 4 ok
              "S4,police,C1,F1,pre_sentence,2025-01-10,,\n")                             # 5 ok
    result = load(ws, tmp_path / "d", {"facilities.csv": FACILITIES, "children.csv": CHILDREN,
                                       "detentions.csv": spells})
    assert errors(result) == {(2, "end", "end_before_start"), (3, "end", "end_before_start")}


def test_iccs_form_and_restored_leading_zero(ws: Workspace, tmp_path: Path) -> None:
    events = ("event_id,agency,record_id,event_type,date,offence_iccs\n"
              "E1,police,C1,arrest,2025-01-01,0101\n"   # 2 ok
              "E2,police,C1,arrest,2025-01-01,03011\n"  # 3 ok, level 3
              "E3,police,C1,arrest,2025-01-01,101\n"    # 4 restored to 0101
              "E4,police,C1,arrest,2025-01-01,1201\n"   # 5 section 12 does not exist
              "E5,police,C1,arrest,2025-01-01,0A01\n"   # 6 not digits
              "E6,police,C1,arrest,2025-01-01,010\n"    # 7 restored to 0010? no: 00 is no section
              "E7,police,C1,arrest,2025-01-01,11\n")    # 8 ok, section 11
    result = load(ws, tmp_path / "d", {"children.csv": CHILDREN, "events.csv": events})
    assert errors(result) == {(5, "offence_iccs", "bad_iccs"), (6, "offence_iccs", "bad_iccs"),
                              (7, "offence_iccs", "bad_iccs")}
    assert warnings(result) == {(4, "offence_iccs", "iccs_restored")}
    assert query(ws, "SELECT event_id, offence_iccs FROM events ORDER BY 1") == [
        ("E1", "0101"), ("E2", "03011"), ("E3", "0101"), ("E7", "11")]


def test_unknown_record_and_facility_look_at_loaded_rows_too(ws: Workspace,
                                                             tmp_path: Path) -> None:
    load(ws, tmp_path / "d1", {"facilities.csv": FACILITIES, "children.csv": CHILDREN})
    spells = ("spell_id,agency,record_id,facility_id,basis,start\n"
              "S1,police,C1,F1,pre_sentence,2025-01-10\n"   # 2 ok: both loaded earlier
              "S2,police,C7,F1,pre_sentence,2025-01-10\n"   # 3 no such child
              "S3,detention,C1,F1,pre_sentence,2025-01-10\n"  # 4 C1 is police's, not detention's
              "S4,police,C2,F9,sentenced,2025-01-10\n")     # 5 no such facility
    result = load(ws, tmp_path / "d2", {"detentions.csv": spells})
    assert errors(result) == {(3, "record_id", "unknown_record"),
                              (4, "record_id", "unknown_record"),
                              (5, "facility_id", "unknown_facility")}


def test_duplicate_key_and_identical_duplicates(ws: Workspace, tmp_path: Path) -> None:
    children = ("record_id,agency,sex\n"
                "C1,police,f\n"   # 2 identical to 3: loads once
                "C1,police,f\n"   # 3 duplicate copy
                "C2,police,m\n"   # 4 same key as 5, differs: both quarantined
                "C2,police,f\n"   # 5
                "C2,court,f\n")   # 6 other agency: another key
    result = load(ws, tmp_path / "d", {"children.csv": children})
    assert errors(result) == {(4, None, "duplicate_key"), (5, None, "duplicate_key")}
    f = result.files[0]
    assert (f.rows_in, f.new, f.quarantined, f.duplicates) == (5, 2, 2, 1)
    assert f.reconciles


def test_bad_encoding_and_value_too_long(ws: Workspace, tmp_path: Path) -> None:
    body = (b"record_id,agency,given_name,region\n"
            b"C1,police,Ana,D1\n"
            b"C2,police,Jos\xe9,D1\n"                        # 3: cp1252 byte in UTF-8
            b"C3,police,Al,R" + b"x" * 4001 + b"\n")          # 4: region too long
    result = load(ws, tmp_path / "d", {"children.csv": body})
    assert errors(result) == {(3, "given_name", "bad_encoding"),
                              (4, "region", "value_too_long")}


def test_population_age_or_band(ws: Workspace, tmp_path: Path) -> None:
    population = ("year,region,sex,age,age_from,age_to,population\n"
                  "2025,D1,f,14,,,1000\n"      # 2 single age
                  "2025,D1,m,,0,17,9000\n"     # 3 band
                  "2025,D2,f,14,0,17,10\n"     # 4 both forms
                  "2025,D2,m,,,,10\n"          # 5 neither
                  "2025,D2,m,,12,,10\n"        # 6 half a band
                  "2025,D2,f,x,,,10\n")        # 7 bad number (not also age_or_band)
    result = load(ws, tmp_path / "d", {"population.csv": population})
    assert errors(result) == {(4, "age", "age_or_band"), (5, "age", "age_or_band"),
                              (6, "age", "age_or_band"), (7, "age", "bad_number")}


def test_flags_nationality_partial_dates(ws: Workspace, tmp_path: Path) -> None:
    children = ("record_id,agency,date_of_birth,dob_estimated,disability,nationality\n"
                "C1,police,2010,y,N,xfc\n"        # 2 ok: year only, flags any case
                "C2,police,2010-07,,,\n"          # 3 ok: year and month
                "C3,police,2010-13,maybe,,XF\n"   # 4 month 13, flag, nationality
                "C4,other:ngo_help,2010-02-29,,,\n")  # 5 2010 is no leap year; agency ok
    result = load(ws, tmp_path / "d", {"children.csv": children})
    assert errors(result) == {(4, "dob_estimated", "bad_code"), (4, "nationality", "bad_code")}
    # an impossible date of birth is optional: C4 loads without it, with a warning
    assert warnings(result) == {(4, "date_of_birth", "optional_date_dropped"),
                                (5, "date_of_birth", "optional_date_dropped")}
    assert query(ws, "SELECT record_id, date_of_birth, dob_estimated, disability, nationality "
                     "FROM children ORDER BY 1") == [
        ("C1", "2010", True, False, "XFC"), ("C2", "2010-07", None, None, None),
        ("C4", None, None, None, None)]


def test_two_digit_years_year_before_1900_and_future_dates(ws: Workspace,
                                                          tmp_path: Path) -> None:
    mapping = tmp_path / "dates.yaml"
    mapping.write_text('date_formats: ["%d/%m/%Y", "%d/%m/%y"]\n', encoding="utf-8")
    manifest = "agency,extracted\npolice,2025-06-30\n"   # the reference date
    children = ("record_id,agency,date_of_birth\n"
                "C1,police,11/03/09\n"      # 2 2009 (2109 would be after 2025-06-30)
                "C2,police,11/03/30\n"      # 3 2030 is after the extraction: 1930
                "C3,police,0009-03-11\n"    # 4 year 9 < 1900: dropped with a warning
                "C4,police,01/07/2025\n")   # 5 born after the extraction: dropped, warning
    events = ("event_id,agency,record_id,event_type,date\n"
              "E1,police,C1,arrest,30/06/25\n"     # 2 on the extraction date: loads
              "E2,police,C1,arrest,01/07/2025\n"   # 3 a day after it: future_date
              "E3,police,C1,arrest,11/03/0009\n"   # 4 year 9 under %d/%m/%Y: bad_date
              "E4,police,C1,arrest,11/03/26\n"     # 5 2026 is after it: 1926 (pivot)
              "E5,police,C1,arrest,2025-07-01\n")  # 6 ISO, after it: future_date
    result = load(ws, tmp_path / "d", {"manifest.csv": manifest, "children.csv": children,
                                       "events.csv": events}, mapping)
    assert errors(result) == {(3, "date", "future_date"), (4, "date", "bad_date"),
                              (6, "date", "future_date")}
    assert warnings(result) == {(4, "date_of_birth", "optional_date_dropped"),
                                (5, "date_of_birth", "optional_date_dropped")}
    assert query(ws, "SELECT record_id, date_of_birth FROM children ORDER BY 1") == [
        ("C1", "2009-03-11"), ("C2", "1930-03-11"), ("C3", None), ("C4", None)]
    assert query(ws, "SELECT event_id, date FROM events ORDER BY 1") == [
        ("E1", date(2025, 6, 30)), ("E4", date(1926, 3, 11))]


def test_outside_period_and_visit_outside_detention_are_warnings(ws: Workspace,
                                                                 tmp_path: Path) -> None:
    manifest = ("agency,period_start,period_end,mode,event_types,format_version\n"
                "police,2025-01-01,2025-12-31,incremental,arrest family_visit,1\n")
    spells = ("spell_id,agency,record_id,facility_id,basis,start,end\n"
              "S1,police,C1,F1,pre_sentence,2025-03-01,2025-03-31\n")
    events = ("event_id,agency,record_id,event_type,date\n"
              "E1,police,C1,arrest,2024-12-31\n"         # 2 before the period
              "E2,police,C1,family_visit,2025-03-15\n"   # 3 inside the spell
              "E3,police,C1,family_visit,2025-04-15\n")  # 4 after the spell ended
    result = load(ws, tmp_path / "d", {"manifest.csv": manifest, "facilities.csv": FACILITIES,
                                       "children.csv": CHILDREN, "events.csv": events,
                                       "detentions.csv": spells})
    assert errors(result) == set()
    assert warnings(result) == {(2, "date", "outside_period"),
                                (4, "date", "visit_outside_detention")}
    assert result.exit_code == 0
    assert result.files[2].new == 3  # warnings never quarantine


def test_bad_encoded_values(ws: Workspace, tmp_path: Path) -> None:
    import base64
    good_bloom = base64.b64encode(b"\xf0" * 256 + b"\x0f" * 256).decode()  # 2,048 bits set
    children = ("record_id,agency,given_name_token,given_name_bloom,normalisation_version\n"
                f"C1,police,{'a' * 64},{good_bloom},1\n"                  # 2 fine
                f"C2,police,XYZ,{good_bloom},1\n"                         # 3 not a token
                f"C3,police,{'b' * 64},{base64.b64encode(b'x').decode()},1\n")  # 4 too short
    result = load(ws, tmp_path / "d", {"children.csv": children})
    assert errors(result) == {(3, "given_name_token", "bad_encoded_value"),
                              (4, "given_name_bloom", "bad_encoded_value")}
    assert result.files[0].new == 1


def test_every_error_rule_is_found_in_two_hand_made_deliveries(ws: Workspace,
                                                                tmp_path: Path) -> None:
    """One bad row (or file) per error rule; the findings are what ingest reports, so a
    rule that no longer fires, or a new rule without a row here, fails this test."""
    import base64
    (ws.root / "iccs.csv").write_text("code,label\n0101,intentional homicide\n",
                                      encoding="utf-8")
    config = ws.config_path.read_text(encoding="utf-8")
    ws.config_path.write_text(config.replace("iccs_code_list: null",
                                             "iccs_code_list: iccs.csv"), encoding="utf-8")
    from endvac.workspace import open_workspace
    reopened = open_workspace(ws.root)
    children = (b"record_id,agency,given_name,sex,region\n"
                b"C1,police,Ana,f,D1\n"                      # 2 fine
                b"C2,police,Jos\xe9,m,D1\n"                  # 3 cp1252 byte in UTF-8
                b"C3,police,Al,m,R" + b"x" * 4001 + b"\n"    # 4 region too long
                b"C4,police\n"                               # 5 one cell short
                b"C5,police,Bo,q,D1\n"                       # 6 sex q
                b",police,Cy,m,D1\n"                         # 7 record_id empty
                b"C8,police,Di,f,D1\nC8,police,Di,m,D1\n")   # 8, 9 one key, two rows
    events = ("event_id,agency,record_id,event_type,date,offence_iccs,measure,length_days\n"
              "E1,police,C1,arrest,2025-01-01,0101,,\n"           # 2 fine
              "E2,police,C1,arrest,2025-02-30,,,\n"               # 3 impossible date
              "E3,police,C9,arrest,2025-01-01,,,\n"               # 4 no child C9
              "E4,police,C1,arrest,2025-01-01,0A01,,\n"           # 5 not ICCS
              "E5,police,C1,arrest,2025-01-01,0502,,\n"           # 6 not in the code list
              "E6,police,C1,sentence,2025-03-01,,custodial,-3\n"  # 7 negative number
              "E8,police,C1,arrest,2999-01-01,,,\n")              # 8 after today (no manifest)
    spells = ("spell_id,agency,record_id,facility_id,basis,start,end,end_reason\n"
              "S1,police,C1,F1,pre_sentence,2025-01-10,2025-01-09,released\n"  # 2 ends early
              "S2,police,C1,F9,sentenced,2025-01-10,,\n")                      # 3 no F9
    first = load(reopened, tmp_path / "d1", {
        "facilities.csv": "facility_id,type,region\nF1,remand_home,D1\n\"=x\",remand_home,D1\n",
        "children.csv": children, "events.csv": events, "detentions.csv": spells,
        "population.csv": "year,region,sex,age,age_from,age_to,population\n2025,D2,m,,,,10\n"})
    good_bloom = base64.b64encode(b"\xf0" * 256 + b"\x0f" * 256).decode()
    second = load(reopened, tmp_path / "d2", {
        "children.csv": ("record_id,agency,given_name_token,given_name_bloom,"
                         f"normalisation_version\nC20,police,XYZ,{good_bloom},1\n"),
        "events.csv": "event_id,agency,record_id,date\nE7,police,C1,2025-01-01\n"})
    found = {(f.file, f.row, f.column, f.rule) for result in (first, second)
             for f in result.findings if f.severity == "error"}
    expected = {
        ("facilities", 3, "facility_id", "unsafe_id"),
        ("children", 3, "given_name", "bad_encoding"),
        ("children", 4, "region", "value_too_long"),
        ("children", 5, None, "ragged_row"),
        ("children", 6, "sex", "bad_code"),
        ("children", 7, "record_id", "required_value"),
        ("children", 8, None, "duplicate_key"), ("children", 9, None, "duplicate_key"),
        ("events", 3, "date", "bad_date"),
        ("events", 4, "record_id", "unknown_record"),
        ("events", 5, "offence_iccs", "bad_iccs"),
        ("events", 6, "offence_iccs", "unknown_iccs"),
        ("events", 7, "length_days", "bad_number"),
        ("events", 8, "date", "future_date"),
        ("detentions", 2, "end", "end_before_start"),
        ("detentions", 3, "facility_id", "unknown_facility"),
        ("population", 2, "age", "age_or_band"),
        ("children", 2, "given_name_token", "bad_encoded_value"),  # the second delivery
        ("events", 2, "event_type", "missing_column"),             # the second delivery
    }
    assert found == expected
    assert {rule for *_, rule in expected} == set(ERROR_RULES)
    assert {r.severity for r in RULES} == {"error", "warning", "notice"}


def test_iccs_checked_exactly_against_a_configured_code_list(ws: Workspace,
                                                             tmp_path: Path) -> None:
    (ws.root / "iccs.csv").write_text("code,label\n0101,intentional homicide\n0401,robbery\n",
                                      encoding="utf-8")
    config = ws.config_path.read_text(encoding="utf-8")
    ws.config_path.write_text(config.replace("iccs_code_list: null",
                                             "iccs_code_list: iccs.csv"), encoding="utf-8")
    from endvac.workspace import open_workspace
    reopened = open_workspace(ws.root)
    events = ("event_id,agency,record_id,event_type,date,offence_iccs\n"
              "E1,police,C1,arrest,2025-01-01,0101\n"   # 2 in the list
              "E2,police,C1,arrest,2025-01-01,0502\n"   # 3 well formed, not in the list
              "E3,police,C1,arrest,2025-01-01,401\n")   # 4 restored to 0401: in the list
    result = load(reopened, tmp_path / "d", {"children.csv": CHILDREN, "events.csv": events})
    assert errors(result) == {(3, "offence_iccs", "unknown_iccs")}
    assert query(reopened, "SELECT DISTINCT config_revision FROM deliveries") == [(2,)]


def test_formula_like_ids_are_unsafe(ws: Workspace, tmp_path: Path) -> None:
    facilities = ("facility_id,type,region\n"
                  "F1,remand_home,D1\n"                      # 2 ok
                  "\"=cmd|'/C calc'!A0\",remand_home,D1\n"   # 3 a DDE formula
                  "F3,remand_home,@D1\n")                    # 4 region starts with @
    result = load(ws, tmp_path / "d", {"facilities.csv": facilities})
    assert errors(result) == {(3, "facility_id", "unsafe_id"), (4, "region", "unsafe_id")}
