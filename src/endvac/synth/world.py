"""The fictional country's registers: regions, facilities, inspections, population, policy."""

from __future__ import annotations

import random
from typing import Final

PROVINCES: Final = {"NOR": "Northmark", "SOU": "Southvale"}
DISTRICT_NAMES: Final = {
    "NOR1": "Alder", "NOR2": "Brennholt", "NOR3": "Corvey",
    "SOU1": "Dunmere", "SOU2": "Elsby", "SOU3": "Fallow",
}
DISTRICTS: Final = tuple(DISTRICT_NAMES)

# facility_id, name, type, region, children_wholly_separated, complaints_mechanism, capacity.
# Every facility but the adult prison says children_wholly_separated `y`; only planted
# children (held_with_adults) are ever in the adult prison.
FACILITIES: Final = (
    ("PS-NOR1", "Alder police station", "police_station", "NOR1", "y", "y", "12"),
    ("PS-NOR2", "Brennholt police station", "police_station", "NOR2", "y", "", "8"),
    ("PS-NOR3", "Corvey police station", "police_station", "NOR3", "y", "n", "6"),
    ("PS-SOU1", "Dunmere police station", "police_station", "SOU1", "y", "y", "15"),
    ("PS-SOU2", "Elsby police station", "police_station", "SOU2", "y", "n", "6"),
    ("PS-SOU3", "Fallow police station", "police_station", "SOU3", "y", "", "10"),
    ("RH-NOR", "Northmark remand home", "remand_home", "NOR1", "y", "y", "80"),
    ("RH-SOU", "Southvale remand home", "remand_home", "SOU1", "y", "y", "90"),
    ("RH-CEN", "Midway remand annex", "remand_home", "NOR2", "y", "n", "30"),
    ("JI-NOR", "Corvey juvenile institution", "juvenile_institution", "NOR3", "y", "y", "150"),
    ("JI-SOU", "Elsby juvenile institution", "juvenile_institution", "SOU2", "y", "", "140"),
    ("AP-CEN", "Fallow prison", "adult_prison", "SOU3", "n", "y", "900"),
)
POLICE_STATIONS: Final = {row[3]: row[0] for row in FACILITIES if row[2] == "police_station"}
REMAND_HOMES: Final = {"NOR": ("RH-NOR", "RH-CEN"), "SOU": ("RH-SOU", "RH-CEN")}
INSTITUTIONS: Final = {"NOR": ("JI-NOR", "JI-SOU"), "SOU": ("JI-SOU", "JI-NOR")}
ADULT_PRISON: Final = "AP-CEN"

# facility_id, date, independent. PS-SOU2, RH-CEN and AP-CEN have no independent
# inspection in the 365 days before 2025-12-31.
INSPECTIONS: Final = (
    ("PS-NOR1", "2023-05-10", "y"), ("PS-NOR1", "2025-04-02", "y"),
    ("PS-NOR2", "2024-02-14", "n"), ("PS-NOR2", "2025-09-30", "y"),
    ("PS-NOR3", "2025-06-18", "y"), ("PS-SOU1", "2025-03-03", "y"),
    ("PS-SOU2", "2023-11-20", "y"), ("PS-SOU2", "2025-07-07", "n"),
    ("PS-SOU3", "2024-12-01", "n"), ("PS-SOU3", "2025-11-12", "y"),
    ("RH-NOR", "2024-06-05", "y"), ("RH-NOR", "2025-06-04", "y"),
    ("RH-SOU", "2025-02-20", "y"), ("RH-CEN", "2024-10-15", "y"),
    ("RH-CEN", "2025-10-15", "n"), ("JI-NOR", "2025-01-28", "y"),
    ("JI-SOU", "2023-03-09", "y"), ("JI-SOU", "2025-08-19", "y"),
    ("AP-CEN", "2025-05-05", "n"),
)

POLICY: Final = (
    ("specialised_juvenile_justice_system", "y", "2016-07-01", "Juvenile Justice Act 2016"),
    ("national_prevention_plan", "n", "2019-01-01", "No plan adopted"),
    ("national_prevention_plan", "y", "2024-06-01", "National Prevention Plan 2024-2030"),
    ("independent_inspection_system", "y", "2018-03-15", "Ombudsperson Act 2018, art. 12"),
    ("complaints_system", "y", "2020-01-01", "Detention Rules 2020, part 4"),
)


def region_rows() -> list[list[str]]:
    """regions.csv rows: two provinces, each with three districts."""
    rows = [[code, name, ""] for code, name in PROVINCES.items()]
    rows += [[code, name, code[:3]] for code, name in DISTRICT_NAMES.items()]
    return rows


def regions_geojson() -> dict[str, object]:
    """regions.geojson: each district a rectangle (longitude/latitude), Northmark's three
    in a row north of Southvale's, for the report's maps."""
    features: list[dict[str, object]] = []
    for index, (code, name) in enumerate(DISTRICT_NAMES.items()):
        west, south = 20.0 + (index % 3) * 1.0, 1.0 - (index // 3) * 1.0
        ring = [[west, south], [west + 1.0, south], [west + 1.0, south + 1.0],
                [west, south + 1.0], [west, south]]
        features.append({"type": "Feature",
                         "properties": {"region": code, "name": name, "parent": code[:3]},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": features}


def facility_rows() -> list[list[str]]:
    """facilities.csv rows of the national register."""
    return [list(row) for row in FACILITIES]


def inspection_rows() -> list[list[str]]:
    """inspections.csv rows."""
    return [list(row) for row in INSPECTIONS]


def policy_rows() -> list[list[str]]:
    """policy.csv rows: the four keys, national_prevention_plan changing in 2024."""
    return [list(row) for row in POLICY]


def population_rows(children: int, seed: int) -> list[list[str]]:
    """population.csv rows: 2023-2025 by district, sex and single age, plus 2022 bands."""
    rng = random.Random(f"endvac-synth-population-{seed}")
    per_cell = max(children * 30 // (len(DISTRICTS) * 2 * 18), 50)
    rows: list[list[str]] = []
    for year in (2023, 2024, 2025):
        for region in DISTRICTS:
            for sex in ("f", "m"):
                for age in range(18):
                    size = int(per_cell * rng.uniform(0.9, 1.1) * (1 + (year - 2023) * 0.01))
                    rows.append([str(year), region, sex, str(age), "", "", "", "", "", str(size)])
    national = per_cell * len(DISTRICTS) * 2 * 18
    rows.append(["2022", "", "", "", "0", "17", "", "", "", str(national)])
    rows.append(["2022", "", "f", "", "0", "13", "", "", "", str(national * 14 // 36)])
    rows.append(["2022", "", "f", "", "14", "17", "", "", "", str(national * 4 // 36)])
    return rows
