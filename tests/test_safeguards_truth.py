"""On the synthetic country, with the generator's true persons in place of linkage, the
breaches found are exactly the breaches the generator planted: none missed, none
invented."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from conftest import synthetic_workspace
from endvac.facts.derived import materialise
from endvac.safeguards.alerts import evaluate


@pytest.mark.parametrize(("children", "seed"), [(3000, 5), (2000, 8)])
def test_found_breaches_equal_planted_breaches(tmp_path: Path, children: int,
                                               seed: int) -> None:
    country, ws, _ = synthetic_workspace(tmp_path, children, seed)
    with open(country / "truth" / "persons.csv", encoding="utf-8", newline="") as handle:
        persons = list(csv.DictReader(handle))
    person_map = pa.table({k: [p[k] for p in persons] for k in ("agency", "record_id",
                                                                 "person")})
    with open(country / "truth" / "breaches.csv", encoding="utf-8", newline="") as handle:
        planted = {(b["person"], b["kind"]) for b in csv.DictReader(handle)}
    with ws.analytic(read_only=True) as con:
        facts = materialise(con, person_map, today=date(2025, 12, 31))
        report = evaluate(facts, ws.profile(), ws.config.counting, date(2025, 12, 31))
    found = {(a.child_key, a.rule) for a in report.alerts}
    assert Counter(a.status for a in report.alerts) == Counter(
        {"breach": len(report.alerts)})
    assert sorted(found - planted) == []  # none invented
    assert sorted(planted - found) == []  # none missed
    assert len(planted) > 100
