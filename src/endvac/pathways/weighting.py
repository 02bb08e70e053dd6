"""The adjusted comparison of two outcome groups: inverse probability weighting.

The propensity (the chance of being in ``group`` rather than the reference, given the
covariates) comes from a logistic model (statsmodels' Logit); each child is weighted by
1/p (group) or 1/(1-p) (reference), so both groups stand for the children of both
(the average effect in the whole pair). The weighted groups' re-contact is estimated
with lifelines' Kaplan–Meier (weights), the interval of the difference by a bootstrap
that refits the model. Balance: the standardised mean difference of each covariate
before and after weighting. This is observational evidence: the weights balance what
the records hold (age, sex, offence, prior contacts, region), not what they do not.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

NUMERIC = ("age", "prior_contacts")
PROPENSITY_BOUNDS = (0.01, 0.99)
RARE_SHARE = 0.01
MAX_STEPS = 15  # Newton steps: near-separated levels need no more (bounded propensities)
CAVEAT = ("Observational evidence: the groups were not assigned at random. Weighting "
          "balances the recorded age, sex, offence, prior contacts and region; children "
          "may still differ in what the records do not hold (family, school, the seriousness "
          "within an offence section), so a difference is an association, not a proven effect.")


def ipw_weights(treated: Sequence[bool], propensity: Sequence[float], *,
                stabilised: bool = False) -> list[float]:
    """1/p for a treated child, 1/(1-p) for the others; stabilised: times the share
    treated (treated) or untreated (others)."""
    share = sum(treated) / len(treated) if treated else 0.0
    out = []
    for is_treated, p in zip(treated, propensity, strict=True):
        weight = 1 / p if is_treated else 1 / (1 - p)
        if stabilised:
            weight *= share if is_treated else 1 - share
        out.append(weight)
    return out


def standardised_difference(values: Sequence[float], treated: Sequence[bool],
                            weights: Sequence[float] | None = None) -> float | None:
    """(weighted) mean difference of treated minus others over the pooled SD
    sqrt((var_t + var_c) / 2); None when both variances are 0."""
    import numpy as np

    v, t = np.asarray(values, dtype=float), np.asarray(treated, dtype=bool)
    w = np.ones(len(v)) if weights is None else np.asarray(weights, dtype=float)

    def moments(mask: Any) -> tuple[float, float]:
        mean = float((v[mask] * w[mask]).sum() / w[mask].sum())
        return mean, float((w[mask] * (v[mask] - mean) ** 2).sum() / w[mask].sum())

    (m_t, v_t), (m_c, v_c) = moments(t), moments(~t)
    pooled = ((v_t + v_c) / 2) ** 0.5
    return None if pooled == 0 else (m_t - m_c) / pooled


def design(rows: Sequence[dict[str, Any]], covariates: Sequence[str]) -> Any:
    """The covariates as a numeric frame: numbers as they are (a missing age: the mean and
    a flag), categories as one column per level (missing: 'unknown'; levels of fewer
    than 1% of the children pooled as 'other', so the model can be fitted)."""
    import pandas as pd

    frame = pd.DataFrame([{c: r.get(c) for c in covariates} for r in rows])
    parts = []
    for name in covariates:
        column = frame[name]
        if name in NUMERIC:
            number = pd.to_numeric(column, errors="coerce").astype(float)
            parts.append(number.fillna(number.mean() if number.notna().any() else 0.0)
                         .rename(name))
            if number.isna().any():
                parts.append(number.isna().astype(float).rename(f"{name}=unknown"))
        else:
            levels = column.fillna("unknown").astype(str)
            counts = levels.value_counts()
            rare = counts[counts < RARE_SHARE * len(levels)].index
            levels = levels.where(~levels.isin(rare), "other")
            parts.append(pd.get_dummies(levels, prefix=name, prefix_sep="=").astype(float))
    return pd.concat(parts, axis=1)


def model_columns(matrix: Any) -> list[int]:
    """The columns of ``matrix`` a model takes: those that vary, less the first varying
    level of each category (its baseline)."""
    import numpy as np

    varies = np.ptp(matrix.to_numpy(dtype=float), axis=0) > 0
    seen: set[str] = set()
    keep = []
    for i, name in enumerate(matrix.columns):
        prefix = name.split("=")[0]
        if not varies[i]:
            continue
        if "=" in name and prefix not in seen:
            seen.add(prefix)
            continue
        keep.append(i)
    return keep


def fit_propensity(matrix: Any, treated: Sequence[bool], columns: list[int],
                   start: Any = None) -> tuple[Any, Any]:
    """(propensities bounded to [0.01, 0.99], coefficients) of a logistic model
    (statsmodels Logit) on ``columns``; ``start``: coefficients to start from (a
    bootstrap resample starts from the whole sample's, so Newton needs few steps)."""
    import numpy as np
    import statsmodels.api as sm

    values = matrix.to_numpy(dtype=float)
    X = np.column_stack([np.ones(len(values)), values[:, columns]])
    y = np.asarray(treated, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fitted = sm.Logit(y, X, check_rank=False).fit(disp=0, maxiter=MAX_STEPS,
                                                          start_params=start)
        except np.linalg.LinAlgError:
            fitted = sm.Logit(y, X, check_rank=False).fit(disp=0, method="bfgs", maxiter=200)
    return np.clip(fitted.predict(X), *PROPENSITY_BOUNDS), fitted.params


def propensity(matrix: Any, treated: Sequence[bool]) -> list[float]:
    """P(treated | covariates) from a logistic model on the model columns of ``matrix``."""
    found, _params = fit_propensity(matrix, treated, model_columns(matrix))
    return [float(p) for p in found]


@dataclass(frozen=True)
class Comparison:
    """One group against the reference: weighted re-contact at each horizon, the
    difference (group minus reference) with its bootstrap 95% interval, and balance."""

    group: str
    reference: str
    children: int
    horizons: list[dict[str, Any]] = field(default_factory=list)
    balance: list[dict[str, Any]] = field(default_factory=list)
    caveat: str = CAVEAT


def weighted_recontact(days: Any, recontacted: Any, weights: Any,
                       horizons_days: Sequence[float]) -> list[float | None]:
    """1 - the weighted Kaplan–Meier survival at each horizon (statsmodels' SurvfuncRight
    with the weights as frequency weights: fast enough to refit in every resample)."""
    import numpy as np
    from statsmodels.duration.survfunc import SurvfuncRight

    if len(days) == 0:
        return [None for _ in horizons_days]
    fitted = SurvfuncRight(np.asarray(days, dtype=float), np.asarray(recontacted, dtype=float),
                           freq_weights=np.asarray(weights, dtype=float))
    steps = np.searchsorted(fitted.surv_times, np.asarray(horizons_days), side="right")
    return [0.0 if i == 0 else float(1 - fitted.surv_prob[i - 1]) for i in steps]


@dataclass(frozen=True)
class _Pair:
    """The two groups' children as arrays: the design, follow-up and group."""

    matrix: Any
    days: Any
    recontacted: Any
    treated: Any

    def take(self, index: Any) -> _Pair:
        return _Pair(self.matrix.iloc[index].reset_index(drop=True), self.days[index],
                     self.recontacted[index], self.treated[index])


def _weighted(pair: _Pair, horizons_days: Sequence[float], columns: list[int],
              start: Any = None) -> tuple[list[float | None], list[float | None], Any, Any]:
    import numpy as np

    found, params = fit_propensity(pair.matrix, list(pair.treated), columns, start)
    weights = np.asarray(ipw_weights(list(pair.treated), list(found)))
    t = pair.treated
    mine = weighted_recontact(pair.days[t], pair.recontacted[t], weights[t], horizons_days)
    theirs = weighted_recontact(pair.days[~t], pair.recontacted[~t], weights[~t], horizons_days)
    return mine, theirs, weights, params


def _balance(pair: _Pair, weights: Any) -> list[dict[str, Any]]:
    treated = list(pair.treated)
    return [{"covariate": name,
             "smd_before": standardised_difference(pair.matrix[name].to_numpy(), treated),
             "smd_after": standardised_difference(pair.matrix[name].to_numpy(), treated,
                                                  weights)}
            for name in pair.matrix.columns]


def _interval(draws: list[list[float | None]], i: int) -> tuple[float | None, float | None]:
    import numpy as np

    values = [v for d in draws if (v := d[i]) is not None]
    if not values:
        return None, None
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def compare(rows: Sequence[dict[str, Any]], group: str, reference: str,
            covariates: Sequence[str], horizons_days: Sequence[float], months: Sequence[int],
            bootstrap: int, seed: int = 0) -> Comparison:
    """``group`` against ``reference`` on their follow-up ``rows`` (both groups)."""
    import numpy as np

    chosen = [r for r in rows if r["grp"] in (group, reference)]
    pair = _Pair(design(chosen, covariates),
                 np.asarray([r["days"] for r in chosen], dtype=float),
                 np.asarray([r["recontacted"] for r in chosen], dtype=bool),
                 np.asarray([r["grp"] == group for r in chosen], dtype=bool))
    columns = model_columns(pair.matrix)
    mine, theirs, weights, params = _weighted(pair, horizons_days, columns)
    rng = np.random.default_rng(seed)
    draws: list[list[float | None]] = []
    for _ in range(bootstrap):
        sample = pair.take(rng.integers(0, len(chosen), len(chosen)))
        if sample.treated.all() or not sample.treated.any():
            continue
        a, b, _w, _p = _weighted(sample, horizons_days, columns, params)
        draws.append([None if x is None or y is None else x - y
                      for x, y in zip(a, b, strict=True)])
    horizons = []
    for i, m in enumerate(months):
        low, high = _interval(draws, i)
        ours, baseline = mine[i], theirs[i]
        diff = None if ours is None or baseline is None else ours - baseline
        horizons.append({"months": m, "recontact": mine[i], "reference_recontact": theirs[i],
                         "difference": diff, "ci_low": low, "ci_high": high})
    return Comparison(group, reference, len(chosen), horizons, _balance(pair, weights))
