"""Turning a cell's counts into the spec's result object: value, interval, notes."""

from __future__ import annotations

from typing import Any

from endvac.config import CountingRules
from endvac.indicators.definitions import Indicator
from endvac.indicators.periods import Period
from endvac.indicators.population import Population
from endvac.indicators.stats import poisson_exact, wilson

SCALE = {"per_100000": 100_000, "per_1000": 1_000, "percent": 100}
POPULATION_DIMS = ("sex", "region", "group", "disability", "nationality")


def _counts(result: dict[str, Any], row: dict[str, Any]) -> None:
    result["notes"] = []
    unknown = int(row.get("unknown") or 0)
    below = int(row.get("below_macr") or 0)
    result["unknown"] = unknown
    result["below_macr"] = below
    if unknown:
        result["notes"].append(f"{unknown} left out because a needed attribute is unknown")
    if below:
        result["notes"].append(f"{below} below the minimum age of criminal responsibility")


def age_band(by: dict[str, str]) -> tuple[int, int] | None:
    group = by.get("age_group")
    if group is None or "-" not in group:
        return None
    low, high = group.split("-")
    return int(low), int(high)


def cell_population(population: Population | None, by: dict[str, str]
                    ) -> tuple[int | None, str | None]:
    """The child population of a breakdown cell, or why there is none."""
    if population is None:
        return None, "no child population for the year of the period's end"
    if "offence_section" in by:
        return None, "populations are not given by offence"
    if by.get("age_group") in ("unknown", "other"):
        return None, f"no population for age group {by['age_group']}"
    cell = {k: v for k, v in by.items() if k in POPULATION_DIMS}
    return population.of_cell(cell, age_band(by))


def finish_rate(result: dict[str, Any], row: dict[str, Any], population: Population | None,
                by: dict[str, str], ind: Indicator, period: Period,
                rules: CountingRules) -> None:
    """A rate: per child population (person_rate) or per child counted (event_rate)."""
    _counts(result, row)
    count = int(row["numerator"])
    result["numerator"] = count
    if ind.shape == "person_rate":
        denominator, reason = cell_population(population, by)
    else:
        denominator = int(row["denominator"])
        reason = None if denominator else "no child in the denominator"
    result["denominator"] = denominator
    scale = SCALE[ind.unit] * (period.annual_factor if ind.flow else 1.0)
    if not denominator:
        result["value"] = None
        result["notes"].append(f"value null: {reason}")
        return
    low, high = poisson_exact(count)
    result.update(value=count / denominator * scale, ci_low=low / denominator * scale,
                  ci_high=high / denominator * scale, ci_method="exact Poisson (Garwood)")
    if ind.flow and result.get("value") is not None and period.annual_factor != 1.0:
        result["notes"].append(f"annualised: x {period.annual_factor:.6f} "
                               f"({period.days} days in the period)")


def finish_share(result: dict[str, Any], row: dict[str, Any]) -> None:
    """A percentage of children or places, with its Wilson interval."""
    _counts(result, row)
    hits, trials = int(row["numerator"]), int(row["denominator"])
    result.update(numerator=hits, denominator=trials)
    if trials == 0:
        result["value"] = None
        result["notes"].append("value null: the denominator is zero")
        return
    low, high = wilson(hits, trials)
    result.update(value=100 * hits / trials, ci_low=100 * low, ci_high=100 * high,
                  ci_method="Wilson score")


def finish_stay(result: dict[str, Any], row: dict[str, Any]) -> None:
    """A median duration of stays, with mean and p90."""
    _counts(result, row)
    stays = int(row["denominator"])
    result.update(numerator=None, denominator=stays)
    if stays == 0:
        result.update(value=None, mean=None, p90=None)
        result["notes"].append("value null: no stay ended in the period")
        return
    result.update(value=float(row["value"]), mean=float(row["mean"]), p90=float(row["p90"]))
