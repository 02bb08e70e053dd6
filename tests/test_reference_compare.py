"""The engine against the independent pandas reference (bench/reference/), which was
written from the spec alone: identical numerators and denominators for every
indicator, nationally and in every single breakdown, on the synthetic country."""

from __future__ import annotations

import ast
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import synthetic_workspace
from endvac.facts.derived import materialise
from endvac.indicators.definitions import BREAKDOWNS
from endvac.indicators.engine import Request, run_indicators
from endvac.indicators.periods import Period
from endvac.indicators.results import Result
from endvac.workspace import Workspace

REFERENCE = Path(__file__).parent.parent / "bench" / "reference"


def test_reference_imports_nothing_from_endvac() -> None:
    for path in REFERENCE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "endvac" for n in names), path


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return synthetic_workspace(tmp_path_factory.mktemp("reference"), 3000, 5)[1]


def _key(result: dict[str, Any]) -> tuple[str, tuple[tuple[str, str], ...]]:
    return result["id"], tuple(sorted(result["by"].items()))


def _engine_key(result: Result) -> tuple[str, tuple[tuple[str, str], ...]]:
    return result.id, tuple(sorted(result.by.items()))


@pytest.mark.parametrize("year", [2024, 2025])
def test_engine_equals_reference(country: Workspace, year: int) -> None:
    sys.path.insert(0, str(REFERENCE.parent))
    try:
        from reference import compute as reference_compute
    finally:
        sys.path.remove(str(REFERENCE.parent))
    period = Period(date(year, 1, 1), date(year, 12, 31))
    request = Request(period, groupings=((), *((d,) for d in BREAKDOWNS)))
    with country.analytic() as con:
        facts = materialise(con, today=date(2026, 12, 31))
        engine = {_engine_key(r): r
                  for r in run_indicators(facts, country.config.counting, 14, request)}
    reference = {_key(r): r for r in reference_compute(country.analytic_path, period.start,
                                                       period.end)}
    assert set(reference) <= set(engine)
    # the engine also lists cells that hold only children left out as unknown (so that
    # unknowns add up); nobody is counted in them (a rate's denominator is a population)
    for extra in set(engine) - set(reference):
        assert engine[extra].numerator == 0, extra
        if engine[extra].unit != "per_100000":
            assert not engine[extra].denominator, extra
        assert engine[extra].unknown > 0, extra
    differ = [(k, (engine[k].numerator, engine[k].denominator),
               (reference[k]["numerator"], reference[k]["denominator"]))
              for k in sorted(reference) if (engine[k].numerator, engine[k].denominator)
              != (reference[k]["numerator"], reference[k]["denominator"])]
    assert differ == []
    assert len(engine) > 300  # every indicator, with its breakdowns
