"""Intervals and ratios: Wilson for proportions, exact Poisson for rates,
exact conditional intervals for rate ratios, Katz log intervals for ratios of
proportions (the relative rate index)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from scipy import stats

Z95 = 1.959963984540054


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion (0-1)."""
    if trials <= 0:
        raise ValueError("trials must be positive")
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


def poisson_exact(count: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval of a Poisson count."""
    alpha = 1 - level
    low = 0.0 if count == 0 else float(stats.chi2.ppf(alpha / 2, 2 * count)) / 2
    high = float(stats.chi2.ppf(1 - alpha / 2, 2 * count + 2)) / 2
    return low, high


def clopper_pearson(successes: int, trials: int, level: float = 0.95) -> tuple[float, float]:
    alpha = 1 - level
    low = 0.0 if successes == 0 else float(stats.beta.ppf(alpha / 2, successes,
                                                          trials - successes + 1))
    high = 1.0 if successes == trials else float(stats.beta.ppf(1 - alpha / 2, successes + 1,
                                                               trials - successes))
    return low, high


def rate_ratio(count: int, exposure: float, ref_count: int, ref_exposure: float
               ) -> tuple[float | None, float | None, float | None]:
    """Ratio of two Poisson rates with its exact conditional 95% interval."""
    if exposure <= 0 or ref_exposure <= 0 or ref_count == 0:
        return None, None, None
    ratio = (count / exposure) / (ref_count / ref_exposure)
    low_p, high_p = clopper_pearson(count, count + ref_count)
    scale = ref_exposure / exposure
    low = low_p / (1 - low_p) * scale
    high = math.inf if high_p >= 1 else high_p / (1 - high_p) * scale
    return ratio, low, high


def proportion_ratio(hits: int, trials: int, ref_hits: int, ref_trials: int
                     ) -> tuple[float | None, float | None, float | None]:
    """Ratio of two proportions (relative rate index) with the Katz log 95% interval."""
    if trials <= 0 or ref_trials <= 0 or ref_hits == 0:
        return None, None, None
    ratio = (hits / trials) / (ref_hits / ref_trials)
    if hits == 0:
        return ratio, None, None
    se = math.sqrt(1 / hits - 1 / trials + 1 / ref_hits - 1 / ref_trials)
    return ratio, ratio * math.exp(-Z95 * se), ratio * math.exp(Z95 * se)


def median_interval(ordered: Sequence[float], level: float = 0.95
                    ) -> tuple[float, float] | None:
    """Distribution-free interval of a median from the ``ordered`` values: the order
    statistics x(k) and x(n+1-k) for the largest k with P(Bin(n, 1/2) <= k-1) <= (1-level)/2,
    covering the median with probability >= ``level``; None when even the whole range
    falls short (n <= 5 at 95%)."""
    n = len(ordered)
    tail = (1 - level) / 2
    if n == 0:
        return None
    k = int(stats.binom.ppf(tail, n, 0.5))  # smallest k with P(X <= k) >= tail
    if float(stats.binom.cdf(k, n, 0.5)) <= tail:
        k += 1
    if k < 1:
        return None
    return float(ordered[k - 1]), float(ordered[n - k])
