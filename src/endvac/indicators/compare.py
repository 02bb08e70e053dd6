"""Equity: each group's ratio to a reference group, with its 95% interval.

Rates with a population give a rate ratio (exact conditional interval);
shares give a ratio of proportions (Katz log interval); every decision point
(definitions.yaml) gives a relative rate index that needs no population.
"""

from __future__ import annotations

from typing import Any

from endvac.errors import UsageError
from endvac.indicators.definitions import Definitions
from endvac.indicators.stats import proportion_ratio, rate_ratio

Key = tuple[str, str, tuple[tuple[str, str], ...]]


def parse_reference(text: str) -> tuple[str, str]:
    dim, sep, value = text.partition("=")
    if not sep or not dim or not value:
        raise UsageError(f"--compare-to {text!r} is not DIMENSION=VALUE",
                         fix="write e.g. --compare-to sex=m (with --by sex)")
    return dim.strip(), value.strip()


def _reference_key(result: dict[str, Any], dim: str, value: str) -> Key:
    by = {**result["by"], dim: value}
    return result["id"], result["period"], tuple(sorted(by.items()))


def _key(result: dict[str, Any]) -> Key:
    return result["id"], result["period"], tuple(sorted(result["by"].items()))


def _ratio(result: dict[str, Any], ref: dict[str, Any]) -> tuple[Any, Any, Any, str] | None:
    if result["unit"] in ("per_100000", "per_1000"):
        if not result.get("denominator") or not ref.get("denominator"):
            return None
        return (*rate_ratio(result["numerator"], result["denominator"], ref["numerator"],
                            ref["denominator"]), "rate ratio, exact conditional interval")
    if result["unit"] == "percent" and result.get("denominator") and ref.get("denominator"):
        return (*proportion_ratio(result["numerator"], result["denominator"],
                                  ref["numerator"], ref["denominator"]),
                "ratio of proportions (relative rate index), Katz log interval")
    return None


def add_ratios(results: list[dict[str, Any]], dim: str, value: str) -> None:
    """Add ratio, ratio_ci_low, ratio_ci_high to each cell broken down by ``dim``."""
    index = {_key(r): r for r in results}
    for result in results:
        if dim not in result["by"] or result.get("numerator") is None:
            continue
        ref = index.get(_reference_key(result, dim, value))
        found = _ratio(result, ref) if ref and ref.get("numerator") is not None else None
        if found is None:
            continue
        ratio, low, high, method = found
        result.update(ratio=ratio, ratio_ci_low=low, ratio_ci_high=high, ratio_method=method,
                      ratio_reference=f"{dim}={value}")


def decision_points(results: list[dict[str, Any]], defs: Definitions, dim: str,
                    value: str) -> list[dict[str, Any]]:
    """A relative rate index per decision point and group: no population needed."""
    index = {_key(r): r for r in results}
    out: list[dict[str, Any]] = []
    for point in defs.decision_points:
        for result in results:
            if result["id"] != point.numerator or dim not in result["by"]:
                continue
            base = index.get((point.denominator, result["period"], _key(result)[2]))
            ref_num = index.get(_reference_key(result, dim, value))
            ref_base = index.get((point.denominator, result["period"],
                                  _reference_key(result, dim, value)[2]))
            if not (base and ref_num and ref_base):
                continue
            same = point.numerator == point.denominator
            hits, trials = result["numerator"], base["denominator" if same else "numerator"]
            ref_hits = ref_num["numerator"]
            ref_trials = ref_base["denominator" if same else "numerator"]
            if not trials or not ref_trials:
                continue
            ratio, low, high = (proportion_ratio if same else _counts_ratio)(
                hits, trials, ref_hits, ref_trials)
            out.append({"id": point.id, "period": result["period"], "by": result["by"],
                        "numerator": hits, "denominator": trials, "unit": "ratio",
                        "value": hits / trials, "ratio": ratio, "ratio_ci_low": low,
                        "ratio_ci_high": high, "ratio_reference": f"{dim}={value}",
                        "ratio_method": "relative rate index", "notes": [point.name]})
    return out


def _counts_ratio(hits: int, trials: int, ref_hits: int, ref_trials: int
                  ) -> tuple[float | None, float | None, float | None]:
    # children at a later point per child at an earlier one: counts of different sets, so
    # treated as Poisson counts (the earlier count as exposure)
    return rate_ratio(hits, trials, ref_hits, ref_trials)
