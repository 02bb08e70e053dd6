"""Ratios of two published rates or shares with their 95% intervals, from the published
counts only (docs/compare.md).

- Rates (per 100,000 children, per 1,000 detained): the ratio of two Poisson rates
  ``(x1/n1) / (x0/n0)`` with the exact conditional interval: given ``x1 + x0``, ``x1``
  is binomial with ``pi = n1 RR / (n1 RR + n0)``; the Clopper-Pearson interval of
  ``pi`` becomes ``RR = (n0/n1) pi / (1 - pi)`` at each end.
- Shares (percent): the ratio of two proportions with the Katz log interval
  ``exp(log RR ± 1.96 sqrt(1/x1 - 1/n1 + 1/x0 - 1/n0))``; when a numerator is 0 the
  interval is computed with 0.5 added to each numerator and 1 to each denominator
  (Haldane-Anscombe).
No ratio when the reference's count is 0 or a denominator is 0."""

from __future__ import annotations

import math
from dataclasses import dataclass

from endvac.indicators.stats import Z95, clopper_pearson

RATE_UNITS = ("per_100000", "per_1000")
SHARE_UNITS = ("percent",)
POISSON = "ratio of Poisson rates, exact conditional (Clopper-Pearson) 95% interval"
KATZ = "ratio of proportions, Katz log 95% interval"


@dataclass(frozen=True)
class Ratio:
    ratio: float | None
    low: float | None
    high: float | None
    method: str
    note: str = ""


def ratio_of(unit: str, x1: int, n1: int, x0: int, n0: int) -> Ratio:
    """The ratio of figure 1 to the reference figure 0, by the unit's method."""
    method = POISSON if unit in RATE_UNITS else KATZ
    if n1 <= 0 or n0 <= 0:
        return Ratio(None, None, None, method, "a denominator is 0")
    if x0 == 0:
        return Ratio(None, None, None, method, "the reference's count is 0")
    ratio = (x1 / n1) / (x0 / n0)
    if unit in RATE_UNITS:
        return _poisson(ratio, x1, n1, x0, n0)
    return _katz(ratio, x1, n1, x0, n0)


def _poisson(ratio: float, x1: int, n1: int, x0: int, n0: int) -> Ratio:
    low, high = clopper_pearson(x1, x1 + x0)
    scale = n0 / n1
    upper = None if high >= 1.0 else scale * high / (1 - high)
    return Ratio(ratio, scale * low / (1 - low), upper, POISSON)


def _katz(ratio: float, x1: int, n1: int, x0: int, n0: int) -> Ratio:
    note = ""
    a, b, c, d = float(x1), float(n1), float(x0), float(n0)
    if x1 == 0:
        a, b, c, d = a + 0.5, b + 1, c + 0.5, d + 1
        note = "a numerator is 0: interval with 0.5 added (Haldane-Anscombe)"
    centre = math.log((a / b) / (c / d))
    half = Z95 * math.sqrt(1 / a - 1 / b + 1 / c - 1 / d)
    return Ratio(ratio, math.exp(centre - half), math.exp(centre + half), KATZ, note)
