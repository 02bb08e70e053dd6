"""The console script end to end: help, exit codes, one-line errors, JSON to stdout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import CHILDREN, write_delivery

ENDVAC = str(Path(sys.executable).parent / "endvac")


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ENDVAC, *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False)


def test_help_lists_the_commands() -> None:
    done = run("--help")
    assert done.returncode == 0
    for command in ("init", "ingest", "deliveries", "status", "quarantine", "synth"):
        assert command in done.stdout


def test_exit_codes_and_messages(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run("init", ws).returncode == 0
    assert run("init", ws).returncode == 2  # already a workspace: usage error
    good = write_delivery(tmp_path / "good", {"children.csv": CHILDREN})
    assert run("ingest", ws, good).returncode == 0
    again = run("ingest", ws, good)
    assert again.returncode == 0 and "already loaded as delivery 1" in again.stdout
    bad = write_delivery(tmp_path / "bad", {"children.csv": "record_id,agency,sex\nC9,police,q\n"})
    done = run("ingest", ws, bad)
    assert done.returncode == 1
    assert "bad/children.csv, row 2, column sex" in done.stdout
    missing = run("ingest", ws, tmp_path / "nowhere")
    assert missing.returncode == 1 and "is not a folder" in missing.stderr
    assert "Traceback" not in missing.stderr
    no_ws = run("status", tmp_path / "not-a-workspace")
    assert no_ws.returncode == 2 and "endvac init" in no_ws.stderr
    assert run("status", ws, "--format", "xml").returncode == 2


def test_listings_as_json(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run("init", ws)
    bad = write_delivery(tmp_path / "d", {"children.csv": "record_id,agency,sex\nC9,police,q\n"})
    run("ingest", ws, bad)
    rows = json.loads(run("quarantine", ws, "--format", "json").stdout)
    assert rows == [{"delivery_id": 1, "file": "children", "path": str(bad / "children.csv"),
                     "row": 2, "column": "sex", "rule": "bad_code",
                     "message": "a value is not in the column's code list: \"q\"; valid codes: "
                                "f, m, x, u; if this is the agency's own label, add to the "
                                "mapping under files.children.codes.sex: {\"q\": CODE}"}]
    deliveries = json.loads(run("deliveries", ws, "--format", "json").stdout)
    assert [(d["delivery_id"], d["rows_in"], d["loaded"], d["quarantined"])
            for d in deliveries] == [(1, 1, 0, 1)]


def test_indicator_list_and_usage_errors(tmp_path: Path) -> None:
    listed = json.loads(run("indicators", tmp_path, "--list", "--format", "json").stdout)
    assert [d["id"] for d in listed][:3] == ["JJ1", "JJ2", "JJ3"]
    assert {d["id"] for d in listed} >= {"JJ12a", "JJ12b", "VAC6", "JJU"}
    ws = tmp_path / "ws"
    run("init", ws)
    no_period = run("indicators", ws)
    assert no_period.returncode == 2 and "--period" in no_period.stderr
    assert run("indicators", ws, "--period", "2025/2024").returncode == 2
    assert run("indicators", ws, "--period", "2025", "--by", "colour").returncode == 2
    assert run("indicators", ws, "--period", "2025", "--id", "JJ99").returncode == 2
    empty = run("indicators", ws, "--period", "2025", "--id", "JJ2", "--format", "json")
    assert empty.returncode == 0
    [jj2] = json.loads(empty.stdout)
    # no record at all: no data (not a count of 0)
    assert (jj2["id"], jj2["by"], jj2["numerator"], jj2["value"], jj2["coverage"]) == (
        "JJ2", {}, None, None, "no data")


def test_profile_shows_national_and_default_limits(tmp_path: Path) -> None:
    from endvac.profiles import international_text
    national = tmp_path / "examplia.yaml"
    national.write_text(international_text().replace(
        "    value: 14\n", "    value: 12\n", 1).replace(
        "national: false", "national: true", 1), encoding="utf-8")
    ws = tmp_path / "ws"
    assert run("init", ws, "--profile", national).returncode == 0
    rows = {r["key"]: r for r in json.loads(run("profile", ws, "--format", "json").stdout)}
    assert (rows["macr"]["value"], rows["macr"]["status"]) == (12, "national")
    assert rows["macr"]["international_default"] == 14
    assert (rows["max_pretrial_days"]["value"], rows["max_pretrial_days"]["status"]) == (
        180, "international default")
    broken = tmp_path / "broken.yaml"
    broken.write_text("country: x\nlimits: {}\n", encoding="utf-8")
    refused = run("init", tmp_path / "ws2", "--profile", broken)
    assert refused.returncode == 2 and "missing" in refused.stderr
    assert not (tmp_path / "ws2").exists()


def test_alerts_exit_zero_with_findings(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run("init", ws)
    delivery = write_delivery(tmp_path / "d", {
        "facilities.csv": "facility_id,type\nF1,remand_home\n",
        "children.csv": "record_id,agency,date_of_birth\nD1,detention,2010-01-01\n",
        "detentions.csv": ("spell_id,agency,record_id,facility_id,basis,start,held_with_adults\n"
                           "S1,detention,D1,F1,pre_sentence,2025-01-01,y\n")})
    assert run("ingest", ws, delivery).returncode == 0
    done = run("alerts", ws, "--as-of", "2025-12-31", "--rule", "held_with_adults",
               "--format", "json")
    assert done.returncode == 0
    [alert] = json.loads(done.stdout)
    assert (alert["rule"], alert["status"], alert["child_key"], alert["since"]) == (
        "held_with_adults", "breach", "detention/D1", "2025-01-01")
    assert "not linked" in done.stderr
    assert run("alerts", ws, "--rule", "no_such_rule").returncode == 2
    assert run("alerts", ws, "--as-of", "31/12/2025").returncode == 2
    summary = json.loads(run("alerts", ws, "--as-of", "2025-12-31", "--summary", "facility_id",
                             "--format", "json").stdout)
    assert {(s["rule"], s["facility_id"], s["breach"]) for s in summary} >= {
        ("held_with_adults", "F1", 1), ("pretrial_too_long", "F1", 1)}
