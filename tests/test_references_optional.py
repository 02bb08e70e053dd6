"""Reference files are optional: a delivery without facilities, regions or population
loads, and what each missing file costs is said once, as a delivery-level notice."""

from __future__ import annotations

from pathlib import Path

from conftest import write_delivery
from endvac.ingest.load import ingest
from endvac.ingest.result import IngestResult
from endvac.workspace import Workspace

POLICE = {
    "children.csv": ("record_id,agency,date_of_birth,sex,region\n"
                     "K1,police,2010-01-01,m,P1\nK2,police,2010-06-01,f,P2\n"
                     "K3,police,2011-02-02,f,P2\n"),
    "events.csv": ("event_id,agency,record_id,event_type,date,facility_id\n"
                   "A1,police,K1,arrest,2025-03-01,ST-9\nA2,police,K2,arrest,2025-03-02,ST-9\n"
                   "A3,police,K3,arrest,2025-03-03,\n"),
}


def notices(result: IngestResult) -> dict[str, tuple[str | None, int | None, str]]:
    return {f.message.split(" file ")[0]: (f.column, f.row, f.severity)
            for f in result.findings if f.rule == "reference_missing"}


def test_rows_load_without_reference_files(ws: Workspace, tmp_path: Path) -> None:
    result = ingest(ws, write_delivery(tmp_path / "d1", POLICE))
    # 3 children + 3 events, all loaded; the facility id ST-9 is no row error
    assert (result.quarantined, sum(f.loaded for f in result.files)) == (0, 6)
    assert not [f for f in result.findings if f.rule == "unknown_facility"]
    # one notice per missing file, for the whole delivery (no row, no column)
    assert notices(result) == {"no population": (None, None, "notice"),
                               "no facilities": (None, None, "notice"),
                               "no regions": (None, None, "notice")}
    messages = {f.message for f in result.findings if f.rule == "reference_missing"}
    assert any("JJ1-JJ3" in m and "have no value" in m for m in messages)
    assert result.exit_code == 0
    with ws.analytic(read_only=True) as con:
        warnings, = con.execute("SELECT warnings FROM deliveries").fetchone() or (None,)
        stored = con.execute("SELECT count(*) FROM findings WHERE rule = 'reference_missing' "
                             "AND \"row\" IS NULL").fetchone()
    assert warnings == 0 and stored == (3,)


def test_a_loaded_register_checks_facilities_and_stops_the_notices(
        ws: Workspace, tmp_path: Path) -> None:
    registers = {
        "facilities.csv": "facility_id,type,region\nST-1,police_station,P1\n",
        "regions.csv": "region,name,parent\nP1,One,\nP2,Two,\n",
        "population.csv": "year,region,sex,age,age_from,age_to,population\n2025,,,,0,17,1000\n",
    }
    first = ingest(ws, write_delivery(tmp_path / "registers", registers))
    assert notices(first) == {}
    result = ingest(ws, write_delivery(tmp_path / "d1", POLICE))
    # with a register, ST-9 is unknown: A1 and A2 quarantined, A3 (no facility) loads
    assert notices(result) == {}
    assert sorted(f.row for f in result.findings if f.rule == "unknown_facility") == [2, 3]
    assert result.quarantined == 2
