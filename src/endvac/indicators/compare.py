"""Equity: each group's ratio to a reference group, with its 95% interval.

Rates with a population give a rate ratio (exact conditional interval);
shares give a ratio of proportions (Katz log interval); every decision point
(definitions.yaml) gives a relative rate index that needs no population.
"""

from __future__ import annotations

from endvac.errors import UsageError
from endvac.indicators.definitions import Definitions
from endvac.indicators.results import Note, Result
from endvac.indicators.stats import proportion_ratio, rate_ratio

Key = tuple[str, str, tuple[tuple[str, str], ...]]


def parse_reference(text: str) -> tuple[str, str]:
    dim, sep, value = text.partition("=")
    if not sep or not dim or not value:
        raise UsageError(f"--compare-to {text!r} is not DIMENSION=VALUE",
                         fix="write e.g. --compare-to sex=m (with --by sex)")
    return dim.strip(), value.strip()


def _reference_key(result: Result, dim: str, value: str) -> Key:
    by = {**result.by, dim: value}
    return result.id, result.period, tuple(sorted(by.items()))


def _key(result: Result) -> Key:
    return result.id, result.period, tuple(sorted(result.by.items()))


Ratio = tuple[float | None, float | None, float | None, str]


def _ratio(result: Result, ref: Result) -> Ratio | None:
    if result.numerator is None or ref.numerator is None:
        return None
    if result.unit in ("per_100000", "per_1000", "per_child"):
        if not result.denominator or not ref.denominator:
            return None
        return (*rate_ratio(result.numerator, result.denominator, ref.numerator,
                            ref.denominator), "rate ratio, exact conditional interval")
    if result.unit == "percent" and result.denominator and ref.denominator:
        return (*proportion_ratio(result.numerator, result.denominator,
                                  ref.numerator, ref.denominator),
                "ratio of proportions (relative rate index), Katz log interval")
    return None


def add_ratios(results: list[Result], dim: str, value: str) -> None:
    """Set ratio, ratio_ci_low, ratio_ci_high on each cell broken down by ``dim``."""
    index = {_key(r): r for r in results}
    for result in results:
        if dim not in result.by or result.numerator is None:
            continue
        ref = index.get(_reference_key(result, dim, value))
        found = _ratio(result, ref) if ref else None
        if found is None:
            continue
        result.ratio, result.ratio_ci_low, result.ratio_ci_high, result.ratio_method = found
        result.ratio_reference = f"{dim}={value}"


def _count(result: Result, same: bool) -> int | None:
    return result.denominator if same else result.numerator


def decision_points(results: list[Result], defs: Definitions, dim: str,
                    value: str) -> list[Result]:
    """A relative rate index per decision point and group: no population needed."""
    index = {_key(r): r for r in results}
    out: list[Result] = []
    for point in defs.decision_points:
        for result in results:
            if result.id != point.numerator or dim not in result.by:
                continue
            base = index.get((point.denominator, result.period, _key(result)[2]))
            ref_num = index.get(_reference_key(result, dim, value))
            ref_base = index.get((point.denominator, result.period,
                                  _reference_key(result, dim, value)[2]))
            if not (base and ref_num and ref_base):
                continue
            same = point.numerator == point.denominator
            hits, trials = result.numerator, _count(base, same)
            ref_hits, ref_trials = ref_num.numerator, _count(ref_base, same)
            if not trials or not ref_trials or hits is None or ref_hits is None:
                continue
            ratio, low, high = (proportion_ratio if same else _counts_ratio)(
                hits, trials, ref_hits, ref_trials)
            out.append(Result(point.id, result.period, "ratio", result.by, hits, trials,
                              hits / trials, ratio=ratio, ratio_ci_low=low, ratio_ci_high=high,
                              ratio_reference=f"{dim}={value}",
                              ratio_method="relative rate index",
                              notes=[Note("decision_point", detail=point.name)]))
    return out


def _counts_ratio(hits: int, trials: int, ref_hits: int, ref_trials: int
                  ) -> tuple[float | None, float | None, float | None]:
    # children at a later point per child at an earlier one: counts of different sets, so
    # treated as Poisson counts (the earlier count as exposure)
    return rate_ratio(hits, trials, ref_hits, ref_trials)
