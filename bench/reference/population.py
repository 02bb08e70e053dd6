"""Child population denominators for the reference implementation.

Rule (indicators.md, "Child population"): population.csv rows for the year of
P.end, ages in config ``child_population_ages``, for the cell asked for, using
the finest rows present for that year, rolled up through regions.csv; rows with
an empty region or sex are used only where no finer rows exist.  Sex ``x``/``u``
and unknown cells have no population.

See README.md ("Readings") for the exact choices made here.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

EQUITY_COLUMNS = ("group", "disability", "nationality")


class Population:
    """Answer "how many children (ages a0..a1) live in this cell" for one year."""

    def __init__(self, population: pd.DataFrame, regions: pd.DataFrame, year: int) -> None:
        rows = population[pd.to_numeric(population["year"], errors="coerce") == year].copy()
        rows["population"] = pd.to_numeric(rows["population"], errors="coerce")
        for col in ("age", "age_from", "age_to"):
            rows[col] = pd.to_numeric(rows[col], errors="coerce")
        self.year = year
        self.rows = rows
        self.has_year = len(rows) > 0
        children: dict[str | None, list[str]] = {}
        if len(regions):
            for region, parent in zip(regions["region"], regions["parent"], strict=True):
                if region is None or pd.isna(region):
                    continue
                key = None if parent is None or pd.isna(parent) else str(parent)
                children.setdefault(key, []).append(str(region))
        else:
            # No hierarchy: every region code present is a top-level region.
            codes = sorted({str(r) for r in rows["region"].dropna()})
            if codes:
                children[None] = codes
        self.children = {k: sorted(set(v)) for k, v in children.items()}

    # ------------------------------------------------------------------ rows
    def _subset(self, equity: tuple[str, object] | None) -> pd.DataFrame:
        rows = self.rows
        mask = pd.Series(True, index=rows.index)
        for col in EQUITY_COLUMNS:
            if equity is not None and col == equity[0]:
                mask &= rows[col].astype("object") == equity[1]
            else:
                mask &= rows[col].isna()
        return rows[mask]

    @staticmethod
    def _age_sum(rows: pd.DataFrame, a0: int, a1: int) -> float | None:
        """Sum ages a0..a1 from single-year rows first, then whole bands inside the range.

        Returns None unless the pieces cover every age of the range exactly once.
        """
        if rows.empty:
            return None
        covered: set[int] = set()
        total = 0.0
        singles = rows[rows["age"].notna()]
        for age, pop in zip(singles["age"], singles["population"], strict=True):
            age = int(age)
            if a0 <= age <= a1 and age not in covered and pd.notna(pop):
                covered.add(age)
                total += float(pop)
        bands = rows[rows["age"].isna() & rows["age_from"].notna() & rows["age_to"].notna()]
        pieces = zip(bands["age_from"], bands["age_to"], bands["population"], strict=True)
        for lo, hi, pop in pieces:
            lo, hi = int(lo), int(hi)
            span = set(range(lo, hi + 1))
            if lo >= a0 and hi <= a1 and not (span & covered) and pd.notna(pop):
                covered |= span
                total += float(pop)
        if covered != set(range(a0, a1 + 1)):
            return None
        return total

    def _own(self, node: str | None, sex: str | None, ages: tuple[int, int],
             equity: tuple[str, object] | None) -> float | None:
        rows = self._subset(equity)
        rows = rows[rows["region"].isna()] if node is None else rows[rows["region"] == node]
        if sex is not None:
            return self._age_sum(rows[rows["sex"] == sex], *ages)
        f = self._age_sum(rows[rows["sex"] == "f"], *ages)
        m = self._age_sum(rows[rows["sex"] == "m"], *ages)
        if f is not None and m is not None:
            return f + m
        return self._age_sum(rows[rows["sex"].isna()], *ages)

    @cache  # noqa: B019 - one object per compute() call
    def get(self, node: str | None, sex: str | None, ages: tuple[int, int],
            equity: tuple[str, object] | None = None, depth: int = 0) -> float | None:
        """Population of region ``node`` (None = whole country), sex (None = both)."""
        if not self.has_year or depth > 50:
            return None
        kids = self.children.get(node, [])
        if kids:
            values = [self.get(k, sex, ages, equity, depth + 1) for k in kids]
            if all(v is not None for v in values):
                return float(sum(values))  # type: ignore[arg-type]
        return self._own(node, sex, ages, equity)
