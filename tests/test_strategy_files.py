"""Strategy files and storage: YAML -> workspace -> Excel -> workspace -> YAML loses
nothing; the application database on SQLite and PostgreSQL; a bad file is reported with
sheet, row and column and loads nothing; the commands."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from endvac.appdb import connect_app_db
from endvac.cli.main import app
from endvac.strategy.files import (
    export_strategy,
    import_strategy,
    read_strategy_file,
    stored_strategy,
)
from endvac.strategy.model import TABLES, Strategy
from endvac.strategy.store import load_strategy, save_strategy
from endvac.workspace import Workspace
from test_strategy_checks import STRATEGY_YAML, hand_made


def assert_same(a: Strategy, b: Strategy) -> None:
    """Field by field, table by table, row by row."""
    for name in TABLES:
        rows_a = [getattr(a, name)] if name == "strategy" else getattr(a, name)
        rows_b = [getattr(b, name)] if name == "strategy" else getattr(b, name)
        assert len(rows_a) == len(rows_b), name
        for n, (x, y) in enumerate(zip(rows_a, rows_b, strict=True)):
            for column in TABLES[name].model_fields:
                assert getattr(x, column) == getattr(y, column), (name, n, column)


def test_round_trip_yaml_workspace_excel_workspace_yaml(ws: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "in.yaml"
    source.write_text(STRATEGY_YAML, encoding="utf-8")
    assert import_strategy(ws, source).loaded["actions"] == 9
    export_strategy(ws, tmp_path / "out.xlsx")
    assert import_strategy(ws, tmp_path / "out.xlsx").findings == []
    export_strategy(ws, tmp_path / "out.yaml")
    original = hand_made(tmp_path)
    back, findings = read_strategy_file(tmp_path / "out.yaml")
    assert findings == [] and back is not None
    assert_same(original, back)
    assert_same(original, stored_strategy(ws))
    # Excel keeps dates as dates and lists joined with '; '
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert book.sheetnames == ["README", *TABLES]
    actions = book["actions"]
    header = [c.value for c in actions[1]]
    assert actions.cell(2, header.index("start") + 1).value == datetime(2025, 1, 1)
    assert actions.cell(2, header.index("regions") + 1).value == "NOR1; NOR2"
    assert actions.cell(7, header.index("budget") + 1).value == 20000.5


def test_storage_on_sqlite_replaces_the_strategy(tmp_path: Path) -> None:
    strategy = hand_made(tmp_path)
    with connect_app_db(tmp_path / "app.sqlite") as db:
        assert load_strategy(db) is None
        save_strategy(db, strategy)
        smaller = strategy.model_copy(update={"actions": strategy.actions[:2]})
        save_strategy(db, smaller)
        loaded = load_strategy(db)
    assert loaded is not None
    assert_same(smaller, loaded)


def test_storage_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    strategy = hand_made(tmp_path)
    with connect_app_db(postgres_url) as db:
        save_strategy(db, strategy)
        loaded = load_strategy(db)
        assert loaded is not None
        assert_same(strategy, loaded)
        renamed = strategy.model_copy(update={"staff": []})
        save_strategy(db, renamed)
        again = load_strategy(db)
    assert again is not None
    assert_same(renamed, again)


def _spoil(path: Path) -> None:
    """Four problems in an exported workbook (rows and columns noted in the test)."""
    book = openpyxl.load_workbook(path)
    for sheet, row, column, value in (("actions", 3, "action_type", "trainng"),
                                      ("participants", 2, "sex", "x"),
                                      ("targets", 4, "indicator_id", "JJ99"),
                                      ("staff", 5, "staff", -3)):
        header = [c.value for c in book[sheet][1]]
        book[sheet].cell(row, header.index(column) + 1).value = value
    book["checklist"].cell(1, 4).value = "owner"
    book["checklist"].cell(2, 4).value = "someone"
    book.save(path)


def test_bad_workbook_is_reported_and_loads_nothing(ws: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "in.yaml"
    source.write_text(STRATEGY_YAML, encoding="utf-8")
    import_strategy(ws, source)
    export_strategy(ws, tmp_path / "bad.xlsx")
    _spoil(tmp_path / "bad.xlsx")
    result = import_strategy(ws, tmp_path / "bad.xlsx")
    where = {(f.sheet, f.row, f.column, f.code) for f in result.findings}
    assert where == {("actions", 3, "action_type", "value_error"),
                     ("participants", 2, "sex", "value_error"),
                     ("targets", 4, "indicator_id", "unknown_indicator"),
                     ("staff", 5, "staff", "greater_than_equal"),
                     ("checklist", 2, "owner", "unknown_column")}
    assert result.exit_code == 1 and result.loaded == {}
    assert all(f.file == "bad.xlsx" and f.fix for f in result.findings)
    assert_same(hand_made(tmp_path), stored_strategy(ws))  # the old strategy stays


def test_bad_yaml_names_section_item_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(STRATEGY_YAML.replace("basis: 2, score: 4", "basis: 8, score: 5")
                    .replace("- {id: A2,", "- {id: A1,"), encoding="utf-8")
    strategy, findings = read_strategy_file(path)
    assert strategy is None
    assert {(f.sheet, f.row, f.column) for f in findings} == {
        ("assessments", 4, "basis"), ("assessments", 4, "score"),
        ("actions", 1, "id"), ("actions", 2, "id")}


def test_commands(ws: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "in.yaml"
    source.write_text(STRATEGY_YAML, encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(app, ["strategy", "import", str(ws.root), str(source)])
    assert done.exit_code == 0, done.output
    shown = runner.invoke(app, ["strategy", "show", str(ws.root), "--part", "trainings",
                                "--format", "csv"])
    assert shown.exit_code == 0
    assert "TR1,Child-sensitive interviewing,2025-03-10,NOR1,police; social_workers,2,1,45.0,75.0" \
        in shown.output
    assert "P1" not in shown.output  # participant codes never shown
    checked = runner.invoke(app, ["strategy", "check", str(ws.root), "--format", "csv"])
    assert checked.exit_code == 0, checked.output
    assert "duplication,A1 + A2,possible duplication" in checked.output
    assert "training coverage,judges SOU1,40.0%" in checked.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(STRATEGY_YAML.replace("status: cancelled", "status: abandoned"),
                   encoding="utf-8")
    failed = runner.invoke(app, ["strategy", "import", str(ws.root), str(bad)])
    assert failed.exit_code == 1
    assert date(2025, 1, 1) == stored_strategy(ws).actions[0].start
