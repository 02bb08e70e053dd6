"""The child population of a breakdown cell (spec/indicators.md, "Child population").

Rows of population.csv for the year of P.end, over the configured child ages,
at the finest level present: rows with an empty region or sex are used only
where no finer rows exist; regions roll up through regions.csv. A cell the
rows cannot answer (sex x/u, an unknown region, a band that cuts a row's ages)
has no population, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

EXTRA_DIMS = ("group", "disability", "nationality")


@dataclass(frozen=True)
class PopulationRow:
    region: str | None
    sex: str | None
    age_from: int
    age_to: int
    group: str | None
    disability: str | None
    nationality: str | None
    population: int


class Population:
    """Population rows of one year, with the region hierarchy, answering cells."""

    def __init__(self, rows: list[PopulationRow], parents: dict[str, str | None],
                 ages: tuple[int, int], year: int) -> None:
        self.year = year
        self.ages = ages
        self.parents = parents
        self.rows = [r for r in rows if r.age_from >= ages[0] and r.age_to <= ages[1]]
        self.straddling = any(r.age_from < ages[0] <= r.age_to or r.age_from <= ages[1] < r.age_to
                              for r in rows)

    @classmethod
    def from_records(cls, records: list[dict[str, Any]], parents: dict[str, str | None],
                     ages: tuple[int, int], year: int) -> Population:
        rows = []
        for r in records:
            low = r["age"] if r["age"] is not None else r["age_from"]
            high = r["age"] if r["age"] is not None else r["age_to"]
            flag = None if r["disability"] is None else ("y" if r["disability"] else "n")
            rows.append(PopulationRow(r["region"], r["sex"], int(low), int(high), r["group"],
                                      flag, r["nationality"], int(r["population"])))
        return cls(rows, parents, ages, year)

    def ancestors(self, region: str) -> list[str]:
        out: list[str] = []
        seen: set[str] = set()
        parent = self.parents.get(region)
        while parent and parent not in seen:
            out.append(parent)
            seen.add(parent)
            parent = self.parents.get(parent)
        return out

    def within(self, region: str | None, cell_region: str) -> bool:
        return region is not None and (region == cell_region or
                                       cell_region in self.ancestors(region))

    def of_cell(self, cell: dict[str, str], age_band: tuple[int, int] | None
                ) -> tuple[int | None, str | None]:
        """(population, None) or (None, reason) for a breakdown cell."""
        if not self.rows:
            return None, f"no child population for {self.year}"
        if self.straddling:
            return None, "a population age band crosses the child ages"
        rows = self.rows
        for dim in EXTRA_DIMS:
            if dim in cell:
                rows = [r for r in rows if getattr(r, dim) == cell[dim]]
            elif any(getattr(r, dim) is None for r in rows):
                rows = [r for r in rows if getattr(r, dim) is None]
        if "sex" in cell:
            if cell["sex"] not in ("f", "m"):
                return None, f"no population for sex {cell['sex']}"
            rows = [r for r in rows if r.sex == cell["sex"]]
        first_reason: str | None = None
        for level in self._levels(rows, cell.get("region")):
            total, reason = _answer(_finest(level, "sex"), age_band or self.ages,
                                    age_band is not None)
            if total is not None:
                return total, None
            first_reason = first_reason or reason
        return None, first_reason or "no population rows for this cell"

    def _levels(self, rows: list[PopulationRow], cell_region: str | None
                ) -> list[list[PopulationRow]]:
        """The rows that may answer a cell, finest region level first: the finest rows
        present, then each coarser level of the region tree (national rows last), so that
        national rows by age band answer an age group that provincial 0-17 rows cannot."""
        finest = self._finest_regions(rows, cell_region)
        levels = [finest]
        regional = [r for r in rows if r.region is not None
                    and (cell_region is None or self.within(r.region, cell_region))]
        depth = {r.region: len(self.ancestors(r.region)) for r in regional if r.region}
        for level_depth in sorted(set(depth.values()), reverse=True):
            level = [r for r in regional if depth[r.region or ""] == level_depth]
            places = {r.region for r in level}
            # a coarser level answers only when it covers every finest region
            if level not in levels and all(
                    any(self.within(r.region, p) for p in places if p) for r in finest):
                levels.append(level)
        national = [r for r in rows if r.region is None]
        if cell_region is None and national and national not in levels:
            levels.append(national)
        return levels

    def _finest_regions(self, rows: list[PopulationRow], cell_region: str | None
                        ) -> list[PopulationRow]:
        regional = [r for r in rows if r.region is not None]
        if cell_region is not None:
            regional = [r for r in regional if self.within(r.region, cell_region)]
        elif not regional:
            return rows
        present = {r.region for r in regional}
        covered = {a for region in present if region for a in self.ancestors(region)}
        return [r for r in regional if r.region not in covered]


def _answer(rows: list[PopulationRow], wanted: tuple[int, int], band: bool
            ) -> tuple[int | None, str | None]:
    """The population of ``rows`` over the ages ``wanted`` (an age group when ``band``)."""
    if band:
        if any(r.age_from < wanted[0] <= r.age_to or r.age_from <= wanted[1] < r.age_to
               for r in rows):
            return None, "population age bands do not fit the age group"
        rows = [r for r in rows if wanted[0] <= r.age_from and r.age_to <= wanted[1]]
    rows = _finest_ages(rows)
    if not rows:
        return None, "no population rows for this cell"
    if not _covers(rows, wanted):
        return None, f"population rows do not cover ages {wanted[0]}-{wanted[1]} exactly"
    return sum(r.population for r in rows), None


def _finest(rows: list[PopulationRow], dim: str) -> list[PopulationRow]:
    """Drop rows with an empty ``dim`` where rows with it given exist."""
    specific = [r for r in rows if getattr(r, dim) is not None]
    return specific if specific else rows


def _finest_ages(rows: list[PopulationRow]) -> list[PopulationRow]:
    """Single-age rows where present; bands only where no single ages cover them."""
    singles = [r for r in rows if r.age_from == r.age_to]
    if not singles:
        return rows
    covered = {(r.region, r.sex, r.age_from) for r in singles}
    bands = [r for r in rows if r.age_from != r.age_to and not any(
        (r.region, r.sex, age) in covered for age in range(r.age_from, r.age_to + 1))]
    return singles + bands


def _covers(rows: list[PopulationRow], ages: tuple[int, int]) -> bool:
    """Every stratum (region, sex, group…) covers each age of ``ages`` exactly once."""
    strata: dict[tuple[object, ...], list[int]] = {}
    for r in rows:
        key = (r.region, r.sex, r.group, r.disability, r.nationality)
        strata.setdefault(key, []).extend(range(r.age_from, r.age_to + 1))
    wanted = list(range(ages[0], ages[1] + 1))
    return all(sorted(covered) == wanted for covered in strata.values())
