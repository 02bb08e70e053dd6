"""Splink's (and DuckDB's under it) errors never reach a user as a traceback: a saved
model that names a column the records do not have, or a model file that is not a model,
stops a linkage command with one line naming the step or the file and the fix, exit 1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_helpers import endvac

TWO = ("record_id,agency,given_name,family_name,date_of_birth,sex\n"
       "A1,police,Ana,Cossa,2010-01-02,f\nA2,police,Anna,Cossa,2010-01-02,f\n")
RETRAIN = "train it again with a full endvac link (DuckDB engine)"


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace of two records linked once (its model saved)."""
    root = tmp_path_factory.mktemp("linked")
    (root / "d").mkdir()
    (root / "d" / "children.csv").write_text(TWO, encoding="utf-8")
    assert endvac("init", root / "ws").exit_code == 0
    assert endvac("ingest", root / "ws", root / "d", "--no-publish").exit_code == 0
    done = endvac("link", root / "ws", "--no-publish")
    assert done.exit_code == 0, done.stderr
    return root / "ws"


@pytest.fixture
def model(linked: Path) -> Iterator[Path]:
    """The saved model's file, put back as it was after the test."""
    path = linked / "linkage" / "model.json"
    saved = path.read_text(encoding="utf-8")
    yield path
    path.write_text(saved, encoding="utf-8")


def error_lines(stderr: str) -> list[str]:
    assert "Traceback" not in stderr and "WARNING" not in stderr
    return [line for line in stderr.splitlines() if line.startswith("endvac: ")]


def test_a_comparison_on_a_missing_column_fails_in_one_line(linked: Path, model: Path
                                                             ) -> None:
    text = model.read_text(encoding="utf-8")
    assert "given_name_token_l = given_name_token_r" in text
    model.write_text(text.replace("given_name_token_l = given_name_token_r",
                                  "nickname_token_l = nickname_token_r"), encoding="utf-8")
    done = endvac("link", linked, "--incremental", "--no-publish")
    assert done.exit_code == 1
    # Splink raises its SplinkException: only its kind is shown, never its text
    assert error_lines(done.stderr) == [
        "endvac: scoring the new records with the saved linkage model failed "
        f"(SplinkException) — {RETRAIN}"]


def test_a_model_file_that_is_not_a_model_fails_in_one_line(linked: Path, model: Path
                                                            ) -> None:
    model.write_text(json.dumps({"comparisons": 3}), encoding="utf-8")
    expected = [f"endvac: the linkage model {model} is not a Splink model of comparisons "
                f"with their levels — {RETRAIN}"]
    review = endvac("link-review", linked, "--out", linked.parent / "pairs.csv")
    assert (review.exit_code, error_lines(review.stderr)) == (1, expected)
    again = endvac("link", linked, "--incremental", "--no-publish")
    assert (again.exit_code, error_lines(again.stderr)) == (1, expected)


def test_a_model_file_that_is_not_json_fails_in_one_line(linked: Path, model: Path) -> None:
    model.write_text('{"comparisons": [', encoding="utf-8")  # cut short
    done = endvac("link-review", linked, "--out", linked.parent / "pairs.csv")
    assert done.exit_code == 1
    assert error_lines(done.stderr) == [f"endvac: cannot read the linkage model {model} — "
                                        f"{RETRAIN}"]
