"""The synthetic country through ingest: what is quarantined is exactly what was planted."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import synthetic_workspace
from endvac.ingest.result import IngestResult
from endvac.store import db
from endvac.workspace import Workspace


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Workspace,
                                                              dict[str, IngestResult]]:
    return synthetic_workspace(tmp_path_factory.mktemp("synth"), 600, 11)


def _truth(country: Path, name: str) -> list[dict[str, str]]:
    with open(country / "truth" / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_file_reconciles(loaded: tuple[Path, Workspace, dict[str, IngestResult]]) -> None:
    _, _, results = loaded
    for result in results.values():
        for f in result.files:
            assert f.rows_in == f.new + f.replaced + f.unchanged + f.quarantined + f.duplicates


def test_quarantined_rows_are_the_planted_invalid_rows(
        loaded: tuple[Path, Workspace, dict[str, IngestResult]]) -> None:
    country, _, results = loaded
    planted = {(r["delivery"], r["file"], int(r["row"])): r["rule"]
               for r in _truth(country, "invalid_rows.csv")}
    found: dict[tuple[str, str, int], set[str]] = {}
    for name, result in results.items():
        for item in result.findings:
            if item.severity == "error" and item.row is not None:
                found.setdefault((name, Path(item.path).name, item.row), set()).add(item.rule)
    assert set(found) == set(planted)
    for where, rule in planted.items():
        assert rule in found[where], where
    assert sum(r.quarantined for r in results.values()) == len(planted)


def test_identical_repeats_are_the_planted_duplicates(
        loaded: tuple[Path, Workspace, dict[str, IngestResult]]) -> None:
    country, _, results = loaded
    planted = Counter(r["delivery"] for r in _truth(country, "duplicates.csv"))
    skipped = Counter({name: r.total("duplicates") for name, r in results.items()
                       if r.total("duplicates")})
    assert skipped == planted


def test_loaded_child_records_per_agency_match_the_simulation(
        loaded: tuple[Path, Workspace, dict[str, IngestResult]]) -> None:
    country, ws, _ = loaded
    counts = json.loads((country / "truth" / "counts.json").read_text(encoding="utf-8"))
    with ws.analytic(read_only=True) as con:
        per_agency = dict(db.rows(con, "t", "SELECT agency, count(*) FROM children GROUP BY 1"))
    assert per_agency == counts["records_by_agency"]
    persons = _truth(country, "persons.csv")
    assert sum(per_agency.values()) == len(persons)
