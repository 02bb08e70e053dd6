"""Findings that show the way (value, nearest codes, mapping line, cascade) and never echo
a name or an identifier."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import load, query, write_delivery
from endvac.ingest.result import IngestResult
from endvac.workspace import Workspace

ENDVAC = str(Path(sys.executable).parent / "endvac")


def _messages(result: IngestResult) -> dict[tuple[int | None, str | None, str], str]:
    return {(f.row, f.column, f.rule): f.message for f in result.findings}


def test_value_nearest_codes_mapping_line_and_cascade(ws: Workspace, tmp_path: Path) -> None:
    children = ("record_id,agency,sex,date_of_birth\n"
                "C1,police,Masc,2010-01-01\n"    # 2 an agency label: mapping line to add
                "C2,police,q,2010-01-01\n"       # 3 a bad code: the child is quarantined
                "C3,police,f,11/03/09\n")        # 4 a two-digit year, no format given
    events = ("event_id,agency,record_id,event_type,date\n"
              "E1,police,C3,arest,2025-01-02\n"     # 2 a typo: nearest code arrest
              "E2,police,C2,arrest,2025-01-02\n")   # 3 its child row 3 was quarantined
    result = load(ws, tmp_path / "d", {"children.csv": children, "events.csv": events})
    found = _messages(result)
    assert found[(2, "sex", "bad_code")] == (
        'a value is not in the column\'s code list: "Masc"; valid codes: f, m, x, u; if this '
        "is the agency's own label, add to the mapping under files.children.codes.sex: "
        '{"Masc": CODE}')
    assert found[(4, "date_of_birth", "optional_date_dropped")].endswith(
        ': "11/03/09"; a two-digit year? add a format with %y (e.g. %d/%m/%y) to date_formats')
    assert "nearest valid codes: arrest;" in found[(2, "event_type", "bad_code")]
    assert found[(3, "record_id", "unknown_record")] == (
        "its child record, row 3 of the children file, was quarantined: bad_code")


NAMES = ("Zacarias", "Quintela", "Belmira", "Vasconcelos", "Floripes", "PT987654321")


def test_findings_never_echo_a_name_or_identifier(ws: Workspace, tmp_path: Path) -> None:
    """Names in every column, identifier or not: neither the stored findings nor the
    printed output of `endvac ingest` shows one."""
    children = (
        "record_id,agency,given_name,family_name,national_id,address,parent_name,"
        "date_of_birth,sex,region,group,disability,dob_estimated,observacoes\n"
        "Zacarias Quintela,police,Zacarias,Quintela,PT987654321,Rua Floripes 12,"
        "Belmira Vasconcelos,Zacarias,Quintela,Belmira,Vasconcelos,Floripes,Belmira,"
        "Zacarias\n"
        "Zacarias Quintela,police,Zacarias,Quintela,PT987654321,Rua Floripes 12,"
        "Belmira Vasconcelos,2010,f,,,,,\n"                             # duplicate key
        "Belmira,police,Belmira,Vasconcelos,,,,Quintela,Zacarias\n")    # ragged
    events = ("event_id,agency,record_id,case_id,event_type,date,age_years,measure\n"
              "Belmira Vasconcelos,police,Quintela Zacarias,Floripes,Zacarias,Quintela,"
              "Belmira,Vasconcelos\n")
    folder = write_delivery(tmp_path / "d", {"children.csv": children, "events.csv": events})
    result = load(ws, folder, {})
    assert len(result.findings) >= 8   # bad values in every checked column, keys, ragged
    stored = " ".join(str(cell) for row in query(ws, "SELECT * FROM findings")
                      for cell in row).lower()
    ws2 = tmp_path / "ws2"
    assert subprocess.run([ENDVAC, "init", ws2], capture_output=True, check=False
                          ).returncode == 0
    done = subprocess.run([ENDVAC, "ingest", str(ws2), str(folder), "--no-publish"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1
    printed = (done.stdout + done.stderr).lower()
    assert "findings by rule" in printed
    for name in NAMES:
        assert name.lower() not in stored, name
        assert name.lower() not in printed, name
