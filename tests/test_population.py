"""The child population of a cell when provincial rows give 0-17 totals and national rows
give age bands (population.csv's documented forms); expected values worked by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import write_delivery
from endvac.indicators.population import Population
from endvac.ingest.load import ingest
from endvac.workspace import Workspace
from indicator_helpers import compute, one

PARENTS: dict[str, str | None] = {"P1": None, "P2": None, "D1": "P1", "D2": "P1", "D3": "P2"}
NATIONAL_BANDS = ((0, 11, 500), (12, 13, 150), (14, 15, 180), (16, 17, 170))  # sum 1,000


def row(region: str | None, low: int, high: int, population: int) -> dict[str, Any]:
    return {"region": region, "sex": None, "age": None, "age_from": low, "age_to": high,
            "group": None, "disability": None, "nationality": None, "population": population}


def provinces_and_national_bands() -> Population:
    rows = [row("P1", 0, 17, 600), row("P2", 0, 17, 400)]
    rows += [row(None, low, high, n) for low, high, n in NATIONAL_BANDS]
    return Population.from_records(rows, PARENTS, (0, 17), 2025)


def test_national_bands_answer_age_groups_that_provinces_cannot() -> None:
    population = provinces_and_national_bands()
    # the national total still comes from the finest rows: 600 + 400
    assert population.of_cell({}, None) == (1000, None)
    # an age group: provincial 0-17 rows cannot be cut; the national band answers
    assert population.of_cell({}, (14, 15)) == (180, None)
    assert population.of_cell({}, (0, 11)) == (500, None)
    # a province is answered by its own rows only: its total, not its age groups
    assert population.of_cell({"region": "P1"}, None) == (600, None)
    assert population.of_cell({"region": "P1"}, (14, 15)) == (
        None, "population age bands do not fit the age group")


def test_a_coarser_level_that_misses_a_region_never_answers() -> None:
    # districts give 0-17 totals; only province P1 gives bands (P2's district D3 is not
    # covered): the country's 14-15 cannot be known from P1 alone
    rows = [row("D1", 0, 17, 300), row("D2", 0, 17, 300), row("D3", 0, 17, 400)]
    rows += [row("P1", low, high, n) for low, high, n in NATIONAL_BANDS]
    population = Population.from_records(rows, PARENTS, (0, 17), 2025)
    assert population.of_cell({}, (14, 15)) == (
        None, "population age bands do not fit the age group")
    # within P1 the province's bands answer: 180
    assert population.of_cell({"region": "P1"}, (14, 15)) == (180, None)


def test_jj1_by_age_group_with_national_bands(ws: Workspace, tmp_path: Path) -> None:
    files = {
        "regions.csv": "region,name,parent\nP1,One,\nP2,Two,\n",
        "population.csv": ("year,region,sex,age,age_from,age_to,population\n"
                           "2025,P1,,,0,17,600\n2025,P2,,,0,17,400\n" + "".join(
                               f"2025,,,,{low},{high},{n}\n" for low, high, n in NATIONAL_BANDS)),
        "children.csv": ("record_id,agency,date_of_birth,sex,region\n"
                         "K1,police,2010-01-01,m,P1\nK2,police,2010-06-01,f,P2\n"),
        "events.csv": ("event_id,agency,record_id,event_type,date\n"
                       "A1,police,K1,arrest,2025-03-01\nA2,police,K2,arrest,2025-03-01\n"),
    }
    result = ingest(ws, write_delivery(tmp_path / "d", files))
    assert result.quarantined == 0, [f.describe() for f in result.findings]
    results = compute(ws, by=((), ("age_group",)))
    # K1 is 15 and K2 14 on 2025-03-01: both in 14-15, 2 per 180 children
    # = 2 / 180 × 100,000 = 1,111.1 per 100,000; the total 2 / 1,000 × 100,000 = 200
    assert one(results, "JJ1").value == 200.0
    band = one(results, "JJ1", age_group="14-15")
    assert (band.numerator, band.denominator) == (2, 180)
    assert round(band.value, 1) == 1111.1
