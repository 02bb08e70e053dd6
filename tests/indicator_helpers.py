"""Helpers for indicator tests: load hand-made deliveries, compute, index results."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import write_delivery
from endvac.facts.derived import materialise
from endvac.indicators.engine import Request, run_indicators
from endvac.indicators.periods import parse_period
from endvac.indicators.results import Result
from endvac.ingest.load import ingest
from endvac.workspace import Workspace

# the day the tests read the records as of: fixed, so no result depends on the day the
# suite runs
TODAY = date(2026, 12, 31)

REGISTERS = {
    "regions.csv": "region,name,parent\nR1,Province,\nD1,District one,R1\nD2,District two,R1\n",
    "facilities.csv": (
        "facility_id,type,region,children_wholly_separated,complaints_mechanism\n"
        "F1,remand_home,D1,y,y\n"
        "F2,juvenile_institution,D2,,\n"
        "P1,police_station,D1,n,n\n"),
    "inspections.csv": "facility_id,date,independent\nF1,2025-06-01,y\nF2,2024-12-01,n\n",
    # every child age, by region and sex: a band 0-13 and single ages 14-17, plus a
    # national band row that the finest-level rule must ignore. Totals: 8,000 children;
    # f 3,800, m 4,200; D1 3,000, D2 5,000; ages 14-15: 1,000; ages 16-17: 1,000.
    "population.csv": ("year,region,sex,age,age_from,age_to,population\n" + "".join(
        f"2025,{region},{sex},,0,13,{young}\n" + "".join(
            f"2025,{region},{sex},{age},,,{each}\n" for age in (14, 15, 16, 17))
        for region, sex, young, each in (("D1", "f", 1000, 100), ("D1", "m", 1000, 150),
                                         ("D2", "f", 2000, 100), ("D2", "m", 2000, 150)))
        + "2025,,,,0,17,99999\n"),
    "policy.csv": ("key,value,as_of,evidence\n"
                   "specialised_juvenile_justice_system,y,2020-01-01,Law 1/2020\n"
                   "specialised_juvenile_justice_system,n,2026-01-01,repealed later\n"),
}


def load_all(ws: Workspace, root: Path, deliveries: dict[str, dict[str, str]]) -> None:
    for name, files in {"registers": REGISTERS, **deliveries}.items():
        result = ingest(ws, write_delivery(root / name, dict(files)))
        assert result.quarantined == 0, [f.describe() for f in result.findings]


def compute(ws: Workspace, period: str = "2025", by: tuple[tuple[str, ...], ...] = ((),),
            census: str | None = None, every: str | None = None
            ) -> dict[tuple[str, str, tuple[tuple[str, str], ...]], Result]:
    """Results keyed by (id, period, sorted by-items)."""
    request = Request(parse_period(period), date.fromisoformat(census) if census else None,
                      by, every=every)
    with ws.analytic() as con:
        results = run_indicators(materialise(con, today=TODAY), ws.config.counting, 14, request)
    return {(r.id, r.period, tuple(sorted(r.by.items()))): r for r in results}


def one(results: dict[tuple[str, str, tuple[tuple[str, str], ...]], Result],
        indicator: str, period: str = "2025-01-01/2025-12-31", **by: str) -> Result:
    return results[(indicator, period, tuple(sorted(by.items())))]
