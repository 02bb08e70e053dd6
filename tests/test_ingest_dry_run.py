"""`endvac ingest --dry-run` changes nothing; `endvac withdraw` takes a delivery back."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import load, query, write_delivery
from endvac.errors import UsageError
from endvac.ingest.listing import deliveries, status
from endvac.ingest.load import ingest
from endvac.ingest.withdraw import withdraw_delivery
from endvac.workspace import Workspace
from test_mapping_flat import POLICE_MAPPING, REGISTER_MAPPING, _register, police_folder

ENDVAC = str(Path(sys.executable).parent / "endvac")


def _fingerprint(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root`` and the list of every folder."""
    found = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        found[name] = (hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file()
                       else "folder")
    return found


def test_dry_run_checks_everything_and_changes_nothing(ws: Workspace, tmp_path: Path) -> None:
    ingest(ws, police_folder(tmp_path / "policia"), POLICE_MAPPING)  # a store with content
    folder = tmp_path / "registo"
    folder.mkdir()
    _register(folder / "registo.xlsx")
    before = _fingerprint(ws.root)
    assert "analytic.duckdb" in before and "linkage/encodings/delivery-1.parquet" in before
    result = ingest(ws, folder, REGISTER_MAPPING, dry_run=True)
    assert _fingerprint(ws.root) == before
    assert result.dry_run and result.delivery_id is None
    by_file = {f.file: (f.rows_in, f.loaded, f.quarantined, f.duplicates) for f in result.files}
    # as worked out in test_mapping_flat: 4 register rows feed three files
    assert by_file == {"facilities": (4, 2, 0, 2), "children": (4, 3, 0, 1),
                       "detentions": (4, 3, 1, 0)}
    # (the delivery-level notices about reference files it does not carry aside)
    assert {(f.row, f.rule) for f in result.findings
            if f.severity != "notice"} == {(5, "end_before_start")}
    done = subprocess.run([ENDVAC, "ingest", str(ws.root), str(folder), "--mapping",
                           str(REGISTER_MAPPING), "--dry-run"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr     # a row would be quarantined
    assert "dry run of" in done.stdout and "nothing was loaded" in done.stdout
    assert "row 5, column end" in done.stdout
    assert _fingerprint(ws.root) == before
    loaded = ingest(ws, folder, REGISTER_MAPPING)   # the real load counts the same
    assert loaded.delivery_id == 2
    assert {f.file: (f.rows_in, f.loaded, f.quarantined, f.duplicates)
            for f in loaded.files} == by_file


def test_withdraw_a_delivery_loaded_by_mistake(ws: Workspace, tmp_path: Path) -> None:
    first = {"children.csv": "record_id,agency,sex\nC1,police,f\nC2,police,m\n",
             "events.csv": "event_id,agency,record_id,event_type,date\n"
                           "E1,police,C1,arrest,2025-01-02\n"}
    mistake = {"children.csv": "record_id,agency,sex\nC1,police,m\nC3,police,f\n"
                               "C4,police,q\n",                  # row 4 quarantined
               "events.csv": "event_id,agency,record_id,event_type,date\n"
                             "E2,police,C3,arrest,2025-02-03\n"}
    load(ws, tmp_path / "one", first)
    wrong = load(ws, tmp_path / "two", mistake)
    assert wrong.delivery_id == 2 and wrong.quarantined == 1
    done = withdraw_delivery(ws, 2, "the wrong month")
    assert (done.withdrawn_by, done.restored, done.removed) == (
        3, {"children": 1}, {"children": 1, "events": 1})   # C1 back as f; C3, E2 gone
    assert query(ws, "SELECT record_id, sex FROM children ORDER BY 1") == [
        ("C1", "f"), ("C2", "m")]
    assert query(ws, "SELECT event_id FROM events") == [("E1",)]
    # the history keeps the withdrawn versions: C1 (m) and C3 of delivery 2
    assert query(ws, "SELECT count(*) FROM f_children WHERE _delivery = 2") == [(2,)]
    # the load status counts delivery 1 only: 2 children and 1 event in, nothing wrong
    assert status(ws) == [
        {"what": "file", "name": "children", "rows_in": 2, "loaded": 2, "quarantined": 0,
         "duplicates": 0, "warnings": 0},
        {"what": "file", "name": "events", "rows_in": 1, "loaded": 1, "quarantined": 0,
         "duplicates": 0, "warnings": 0},
        # delivery 1 carries no population file: its notice is neither an error nor a warning
        {"what": "notice", "name": "reference_missing", "rows_in": None, "loaded": None,
         "quarantined": 0, "duplicates": None, "warnings": 0}]
    listed = {d["delivery_id"]: (d["mode"], d["withdrawn_by"]) for d in deliveries(ws)}
    assert listed == {1: ("incremental", None), 2: ("incremental", 3), 3: ("withdrawal", None)}
    with pytest.raises(UsageError, match="already withdrawn by delivery 3"):
        withdraw_delivery(ws, 2)
    with pytest.raises(UsageError, match="no delivery 9"):
        withdraw_delivery(ws, 9)
    again = ingest(ws, write_delivery(tmp_path / "two", mistake))   # withdrawn: loads anew
    assert again.already_loaded_as is None and again.delivery_id == 4


def test_withdraw_command(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert subprocess.run([ENDVAC, "init", ws], capture_output=True, check=False
                          ).returncode == 0
    folder = write_delivery(tmp_path / "d", {"children.csv": "record_id,agency\nC1,police\n"})
    assert subprocess.run([ENDVAC, "ingest", ws, folder, "--no-publish"], capture_output=True,
                          check=False).returncode == 0
    done = subprocess.run([ENDVAC, "withdraw", ws, "1", "--reason", "test", "--no-publish"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "delivery 1 withdrawn (recorded as delivery 2)" in done.stdout
    again = subprocess.run([ENDVAC, "withdraw", ws, "1", "--no-publish"],
                           capture_output=True, text=True, check=False)
    assert again.returncode == 2 and "already withdrawn" in again.stderr
    assert "Traceback" not in again.stderr
