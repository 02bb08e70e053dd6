"""Atomic loads, idempotent re-ingest, replacement with history, withdrawals, full manifests."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CHILDREN, FACILITIES, load, query, write_delivery
from endvac.errors import BadInput
from endvac.ingest import load as load_module
from endvac.ingest.load import ingest
from endvac.workspace import Workspace

EVENTS = ("event_id,agency,record_id,event_type,date\n"
          "E1,police,C1,arrest,2025-01-05\n"
          "E2,police,C2,arrest,2025-02-05\n")
TABLES = ("deliveries", "delivery_files", "findings", "quarantine", "removals", "f_children",
          "f_events", "f_facilities", "config_revisions")


def snapshot(ws: Workspace) -> dict[str, list[tuple[object, ...]]]:
    return {t: sorted(query(ws, f"SELECT * FROM {t}"), key=repr) for t in TABLES}


def test_interrupted_load_leaves_the_workspace_unchanged(ws: Workspace, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    load(ws, tmp_path / "d1", {"facilities.csv": FACILITIES, "children.csv": CHILDREN})
    before = snapshot(ws)
    ids_before = sorted(p.name for p in ws.identifiers_dir.rglob("*") if p.is_file())
    real = load_module._load_file
    calls: list[str] = []

    def fail_on_second_file(*args: object, **kwargs: object) -> object:
        calls.append("call")
        if len(calls) == 2:  # children.csv has been written; events.csv fails mid-way
            raise OSError("disk full (simulated)")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(load_module, "_load_file", fail_on_second_file)
    changed = CHILDREN.replace("Ana", "Anna") + "C3,police,Cy,Do,2012,m,D1\n"
    with pytest.raises(OSError):
        load(ws, tmp_path / "d2", {"children.csv": changed, "events.csv": EVENTS})
    assert len(calls) == 2
    assert snapshot(ws) == before
    assert sorted(p.name for p in ws.identifiers_dir.rglob("*") if p.is_file()) == ids_before


def test_same_delivery_twice_loads_nothing_new(ws: Workspace, tmp_path: Path) -> None:
    folder = write_delivery(tmp_path / "d", {"children.csv": CHILDREN, "events.csv": EVENTS})
    first = ingest(ws, folder)
    before = snapshot(ws)
    second = ingest(ws, folder)
    assert (first.delivery_id, second.delivery_id, second.already_loaded_as) == (1, None, 1)
    assert snapshot(ws) == before


def test_replacement_keeps_history(ws: Workspace, tmp_path: Path) -> None:
    load(ws, tmp_path / "d1", {"children.csv": CHILDREN})
    changed = ("record_id,agency,given_name,family_name,date_of_birth,sex,region\n"
               "C1,police,Ana,Silva,2010-05-01,f,D1\n"     # unchanged
               "C2,police,Bo,Lee,2011-03-04,m,D2\n"        # date of birth now complete
               "C3,police,Cy,Do,2012,m,D1\n")              # new
    result = load(ws, tmp_path / "d2", {"children.csv": changed})
    f = result.files[0]
    assert (f.new, f.replaced, f.unchanged) == (1, 1, 1)
    assert query(ws, "SELECT record_id, date_of_birth, _delivery FROM children ORDER BY 1") == [
        ("C1", "2010-05-01", 1), ("C2", "2011-03-04", 2), ("C3", "2012", 2)]
    assert query(ws, "SELECT date_of_birth, _delivery FROM f_children WHERE record_id = 'C2' "
                     "ORDER BY _delivery") == [("2011", 1), ("2011-03-04", 2)]


def test_withdrawal_removes_a_row_from_counts_and_keeps_history(ws: Workspace,
                                                                tmp_path: Path) -> None:
    load(ws, tmp_path / "d1", {"children.csv": CHILDREN, "events.csv": EVENTS})
    assert query(ws, "SELECT count(*) FROM events WHERE event_type = 'arrest'") == [(2,)]
    withdrawals = ("agency,file,id,reason\n"
                   "police,events,E2,entered in error\n"
                   "police,events,E99,no such event\n")
    result = load(ws, tmp_path / "d2", {"withdrawals.csv": withdrawals})
    assert {(f.row, f.rule) for f in result.findings} == {(3, "unknown_withdrawal")}
    assert query(ws, "SELECT event_id FROM events") == [("E1",)]
    assert query(ws, "SELECT count(*) FROM f_events") == [(2,)]
    assert query(ws, "SELECT file, agency, id, kind, reason FROM removals ORDER BY id") == [
        ("events", "police", "E2", "withdrawal", "entered in error"),
        ("events", "police", "E99", "withdrawal", "no such event")]
    # the agency sends the event again later: it counts again
    load(ws, tmp_path / "d3", {"events.csv": EVENTS.replace("2025-02-05", "2025-02-06")})
    assert query(ws, "SELECT event_id FROM events ORDER BY 1") == [("E1",), ("E2",)]


def test_full_manifest_replaces_the_agency_rows_of_its_period(ws: Workspace,
                                                              tmp_path: Path) -> None:
    events = ("event_id,agency,record_id,event_type,date\n"
              "E1,police,C1,arrest,2025-01-05\n"
              "E2,police,C2,arrest,2025-02-05\n"
              "E3,police,C2,charge,2024-12-30\n")   # before the full period: stays
    load(ws, tmp_path / "d1", {"children.csv": CHILDREN, "events.csv": events})
    manifest = ("agency,period_start,period_end,mode\n"
                "police,2025-01-01,2025-12-31,full\n")
    full = ("event_id,agency,record_id,event_type,date\n"
            "E1,police,C1,arrest,2025-01-05\n"     # unchanged: stays
            "E4,police,C1,charge,2025-03-01\n")    # new; E2 was not re-sent: removed
    result = load(ws, tmp_path / "d2", {"manifest.csv": manifest, "events.csv": full})
    assert result.files[0].removed == 1
    assert query(ws, "SELECT event_id FROM events ORDER BY 1") == [("E1",), ("E3",), ("E4",)]
    assert query(ws, "SELECT id, kind FROM removals") == [("E2", "full_replace")]


def test_bad_manifest_refuses_the_delivery(ws: Workspace, tmp_path: Path) -> None:
    manifest = "agency,period_start,period_end,mode\npolice,2025-01-01,2025-12-31,full\n"
    with pytest.raises(BadInput, match="full delivery needs"):
        load(ws, tmp_path / "d1", {"manifest.csv": manifest.replace("police", ""),
                                   "children.csv": CHILDREN})
    with pytest.raises(BadInput, match=r"manifest.csv, row 2, column mode"):
        load(ws, tmp_path / "d2", {"manifest.csv": manifest.replace("full", "partial"),
                                   "children.csv": CHILDREN})
    assert query(ws, "SELECT count(*) FROM f_children") == [(0,)]


def test_identifiers_never_reach_the_analytic_store(ws: Workspace, tmp_path: Path) -> None:
    children = ("record_id,agency,given_name,family_name,national_id,address,parent_name\n"
                "C1,police,Zorabel,Quintavex,NID-778812,12 Ombra Lane,Pelmira Quintavex\n")
    load(ws, tmp_path / "d", {"children.csv": children})
    raw = ws.analytic_path.read_bytes()
    encodings = ws.identifiers_dir / "delivery-1.parquet"
    for clear in (b"Zorabel", b"Quintavex", b"NID-778812", b"Ombra", b"Pelmira"):
        assert clear not in raw
        assert clear.lower() not in encodings.read_bytes().lower()
    import hashlib
    import hmac

    import pyarrow.parquet as pq
    table = pq.read_table(encodings)
    # the token is HMAC-SHA256 of the normalised value under the person-name sub-key
    secret = (ws.root / "keys" / "identity.key").read_bytes()
    subkey = hmac.new(secret, b"endvac/token/person_name", hashlib.sha256).digest()
    assert table.column("given_name_token").to_pylist() == [
        hmac.new(subkey, b"zorabel", hashlib.sha256).hexdigest()]
    assert len(table.column("national_id_bloom").to_pylist()[0]) == 512
    assert not (ws.root / "identifiers").exists()
