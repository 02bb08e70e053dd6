"""The command line's listings: a table names its codes, CSV and JSON keep them and add
``<column>_name`` columns on request (--labels), in the command's language."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from cli_helpers import endvac
from conftest import write_delivery
from endvac.cli.labels import ALERT_KINDS, RESULT_KINDS, with_names
from endvac.names import Names
from endvac.workspace import Workspace


def _workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    assert endvac("init", ws).exit_code == 0
    delivery = write_delivery(tmp_path / "d", {
        "regions.csv": "region,name,parent\nNOR1,Northern Hills,\n",
        "facilities.csv": "facility_id,name,type,region\nRH-NOR,Northern remand home,"
                          "remand_home,NOR1\n",
        "children.csv": "record_id,agency,date_of_birth,region\nD1,detention,2010-01-01,NOR1\n",
        "detentions.csv": ("spell_id,agency,record_id,facility_id,basis,start,held_with_adults\n"
                           "S1,detention,D1,RH-NOR,pre_sentence,2025-01-01,y\n")})
    assert endvac("ingest", ws, delivery).exit_code == 0
    bad = write_delivery(tmp_path / "bad", {"children.csv": "record_id,agency,sex\nC9,police,q\n"})
    assert endvac("ingest", ws, bad).exit_code == 1
    return ws


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_listings_name_their_codes(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    # CSV keeps the codes, and only the codes
    plain = endvac("quarantine", ws, "--format", "csv")
    assert plain.stdout.splitlines()[0] == "delivery_id,file,path,row,column,rule,message"
    # --labels: a name column after each coded column, in the language asked for
    [row] = _csv(endvac("--lang", "pt", "quarantine", ws, "--format", "csv", "--labels").stdout)
    assert list(row)[:8] == ["delivery_id", "file", "file_name", "path", "row", "column",
                             "rule", "rule_name"]
    assert (row["file"], row["file_name"], row["rule"], row["rule_name"]) == (
        "children", "crianças", "bad_code", "valor fora da lista de códigos")
    # a table shows the names
    table = endvac("--lang", "fr", "quarantine", ws).stdout
    assert "valeur hors de la liste de codes" in table and "bad_code" not in table


def test_alerts_name_rules_statuses_and_places(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    args = ("alerts", ws, "--as-of", "2025-12-31", "--rule", "held_with_adults")
    [alert] = json.loads(endvac(*args, "--format", "json", "--labels").stdout)
    assert (alert["rule"], alert["rule_name"]) == (
        "held_with_adults", "Detained child not wholly separated from adults")
    assert (alert["status"], alert["status_name"]) == ("breach", "breach")
    assert (alert["facility_id"], alert["facility_id_name"]) == (
        "RH-NOR", "Northern remand home")
    assert (alert["region"], alert["region_name"]) == ("NOR1", "Northern Hills")
    [plain] = json.loads(endvac(*args, "--format", "json").stdout)
    assert "rule_name" not in plain
    assert endvac("--lang", "es", *args).exit_code == 0  # a table (its cells wrap)


def test_a_table_names_codes_and_keeps_a_place_code() -> None:
    names = Names("es", {"region": {"NOR1": "Northern Hills"},
                         "facility": {"RH-NOR": "Northern remand home"}})
    rows = [{"rule": "held_with_adults", "status": "breach", "facility_id": "RH-NOR",
             "region": "NOR9", "elapsed": 3}]
    columns = ["rule", "status", "facility_id", "region", "elapsed"]
    [shown], same = with_names(rows, columns, names, ALERT_KINDS, replace=True)
    assert same == columns
    assert shown == {"rule": "Niño detenido no separado totalmente de los adultos",
                     "status": "incumplimiento",
                     "facility_id": "Northern remand home (RH-NOR)",
                     "region": "NOR9",  # no name delivered: the code
                     "elapsed": 3}


def test_an_indicator_cell_is_named_by_its_breakdowns() -> None:
    rows = [{"id": "JJ1", "by": "sex=f;offence_section=05"}, {"id": "JJ1", "by": "total"}]
    named, columns = with_names(rows, ["id", "by"], Names("en"), RESULT_KINDS, replace=False)
    assert columns == ["id", "id_name", "by", "by_name"]
    assert [(r["id_name"], r["by_name"]) for r in named] == [
        ("Children in conflict with the law",
         "Sex: female; Offence: Acts against property only"),
        ("Children in conflict with the law", "All children")]


def test_strategy_parts_name_their_code_lists(ws: Workspace, tmp_path: Path) -> None:
    from test_strategy_checks import STRATEGY_YAML

    source = tmp_path / "in.yaml"
    source.write_text(STRATEGY_YAML, encoding="utf-8")
    assert endvac("strategy", "import", ws.root, source).exit_code == 0
    done = endvac("--lang", "fr", "strategy", "show", ws.root, "--part", "actions",
                  "--format", "csv", "--labels")
    first = _csv(done.stdout)[0]
    # action A1: training, ongoing, any sex, offender
    assert (first["id"], first["action_type_name"], first["status_name"], first["sex_name"],
            first["role_name"]) == ("A1", "formation", "en cours", "tous les enfants",
                                    "auteur présumé")
    [government] = [r for r in _csv(endvac("strategy", "show", ws.root, "--part",
                                           "assessments", "--format", "csv", "--labels").stdout)
                    if r["basis"] == "2"]
    assert government["basis_name"] == "Participation, children included"
