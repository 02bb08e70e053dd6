"""Kaplan–Meier estimates from lifelines: survival at horizons with 95% bands, quantiles
of time with 95% intervals, and whole curves for charts.

lifelines (and pandas, numpy) are imported inside the functions: the CLI starts fast.
Counts at a horizon t (days): ``events`` = ended by the event at or before t,
``censored`` = follow-up ended without it at or before t, ``at_risk`` = still followed
after t; the three add up to n.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

DAYS_PER_MONTH = 365.25 / 12
ALPHA = 0.05
TIE = 1e-9


@dataclass(frozen=True)
class AtHorizon:
    """Kaplan–Meier survival at ``days`` with its 95% band and the counts up to it."""

    days: float
    survival: float | None
    ci_low: float | None
    ci_high: float | None
    at_risk: int
    events: int
    censored: int


@dataclass(frozen=True)
class Quantiles:
    """Median and quartiles of time (days) with 95% intervals; None where not reached."""

    n: int
    events: int
    censored: int
    median: float | None
    median_ci: tuple[float | None, float | None]
    q1: float | None
    q1_ci: tuple[float | None, float | None]
    q3: float | None
    q3_ci: tuple[float | None, float | None]


def _fit(durations: Sequence[float], observed: Sequence[bool],
         weights: Sequence[float] | None = None) -> Any:
    from lifelines import KaplanMeierFitter

    kmf = KaplanMeierFitter(alpha=ALPHA)
    with warnings.catch_warnings():  # non-integer weights: the band is approximate
        warnings.simplefilter("ignore")
        kmf.fit(list(durations), event_observed=list(observed),
                weights=None if weights is None else list(weights))
    return kmf


def _step_at(frame: Any, t: float) -> list[float] | None:
    """The row of a step-function frame in force at time t (None: before its first time)."""
    index = frame.index.to_numpy()
    position = int((index <= t).sum()) - 1
    return None if position < 0 else [float(v) for v in frame.iloc[position].to_numpy()]


def at_horizons(durations: Sequence[float], observed: Sequence[bool],
                horizons_days: Sequence[float],
                weights: Sequence[float] | None = None) -> list[AtHorizon]:
    """Kaplan–Meier survival and 95% band (lifelines, exponential Greenwood) at each
    horizon; empty data give None estimates."""
    if not durations:
        return [AtHorizon(t, None, None, None, 0, 0, 0) for t in horizons_days]
    import numpy as np

    kmf = _fit(durations, observed, weights)
    days, events_at = np.asarray(durations, dtype=float), np.asarray(observed, dtype=bool)
    out = []
    for t in horizons_days:
        survival = _step_at(kmf.survival_function_, t)
        band = _step_at(kmf.confidence_interval_survival_function_, t)
        ended = days <= t
        events = int((ended & events_at).sum())
        out.append(AtHorizon(
            t, 1.0 if survival is None else survival[0],
            1.0 if band is None else _finite(band[0]), 1.0 if band is None else _finite(band[1]),
            int((~ended).sum()), events, int(ended.sum()) - events))
    return out


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else value


def _time(value: Any) -> float | None:
    number = float(value)
    return None if math.isinf(number) or math.isnan(number) else number


def quantiles(durations: Sequence[float], observed: Sequence[bool]) -> Quantiles:
    """Median and quartiles of time to the event, each with the 95% interval read from the
    band (lifelines' qth_survival_times on the survival function and its band)."""
    events = sum(1 for e in observed if e)
    if not durations:
        return Quantiles(0, 0, 0, None, (None, None), None, (None, None), None, (None, None))
    from lifelines.utils import qth_survival_times

    kmf = _fit(durations, observed)
    band = kmf.confidence_interval_survival_function_

    # lifelines computes S through logs (0.75 comes out as 0.7500000000000001): a value
    # within TIE of q counts as reaching it, as the product-limit by hand does
    def at(q: float) -> tuple[float | None, tuple[float | None, float | None]]:
        point = _time(qth_survival_times(q, kmf.survival_function_ - TIE))
        times = qth_survival_times(q, band - TIE).iloc[0]
        return point, (_time(times.iloc[0]), _time(times.iloc[1]))

    median, median_ci = at(0.5)
    q1, q1_ci = at(0.75)
    q3, q3_ci = at(0.25)
    return Quantiles(len(durations), events, len(durations) - events, median, median_ci,
                     q1, q1_ci, q3, q3_ci)


def curve(durations: Sequence[float], observed: Sequence[bool]) -> list[dict[str, float]]:
    """The whole step curve: per time, survival, its band and the number at risk."""
    if not durations:
        return []
    kmf = _fit(durations, observed)
    table = kmf.event_table
    sf = kmf.survival_function_.iloc[:, 0]
    band = kmf.confidence_interval_survival_function_
    return [{"days": float(t), "survival": float(sf.iloc[i]),
             "ci_low": float(band.iloc[i, 0]), "ci_high": float(band.iloc[i, 1]),
             "at_risk": int(table["at_risk"].iloc[i])} for i, t in enumerate(sf.index)]
