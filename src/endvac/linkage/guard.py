"""The check of a trained linkage model before it scores a pair, and its defaults.

EM can collapse: on data where almost no duplicate agrees exactly on a field, or on a
few hundred records, a level's m probability runs to zero (Splink refuses values below
1e-300) or an agreement level ends up counting against a match. Every trained model
passes :func:`check_model` before scoring:

- every m and u probability is clamped to ``[PROBABILITY_FLOOR, 1]``; a level without a
  trained value takes its default (``DEFAULT_M`` / ``DEFAULT_U`` below, docs/linkage.md);
- a comparison whose exact agreement weighs less than ``MIN_AGREEMENT_WEIGHT``, whose
  final "different" level weighs more than ``MAX_DISAGREEMENT_WEIGHT`` or with any level
  beyond ``±MAX_WEIGHT`` gets its default m probabilities (the u probabilities from
  random pairs are kept);
- the prior (two random records being the same child) must imply between
  ``MIN_LINKED_SHARE`` and ``MAX_LINKED_SHARE`` matching pairs per record; outside,
  the default ``DEFAULT_LINKED_SHARE`` is used.

Each correction is a warning in plain words (never a value of a record), shown in the
run summary and on the data-quality page.
"""

from __future__ import annotations

import math
from typing import Any

from endvac.errors import BadInput

PROBABILITY_FLOOR = 1e-9  # far above Splink's 1e-300, far below any real level
MIN_AGREEMENT_WEIGHT = 0.5  # an exact agreement must raise the odds by at least 40%
MAX_DISAGREEMENT_WEIGHT = 0.0  # "different" never counts for a match
MAX_WEIGHT = 25.0  # no single level moves the odds by more than 2^25
DEFAULT_LINKED_SHARE = 0.1  # matching pairs per record when the prior is implausible
MIN_LINKED_SHARE = 0.001
MAX_LINKED_SHARE = 2.0

# Default m (share of true matches) and u (share of random pairs) per level label.
# A name or identifier field, then the date of birth, then exact columns (sex, region),
# then case numbers. Labels are those of endvac.linkage.comparisons.
DEFAULT_M: dict[str, float] = {
    "same token": 0.80, "Dice >= 0.8": 0.10, "Dice >= 0.6": 0.04, "swapped": 0.01,
    "same date": 0.75, "day and month swapped": 0.02, "partial date agrees": 0.05,
    "birth years within one": 0.10, "same": 0.90, "a case number shared": 0.30,
    "no case number shared": 0.70, "different": 0.05}
DEFAULT_U: dict[str, float] = {
    "same token": 0.002, "Dice >= 0.8": 0.003, "Dice >= 0.6": 0.02, "swapped": 0.0001,
    "same date": 0.0005, "day and month swapped": 0.00002, "partial date agrees": 0.001,
    "birth years within one": 0.3, "same": 0.3, "a case number shared": 0.0001,
    "no case number shared": 0.9999, "different": 0.7}


class LinkageFailed(BadInput):
    """Linking could not run on these records (exit 1); the message says why."""


def level_key(label: str) -> str:
    """The defaults' key of a level label ("swapped with family_name" → "swapped")."""
    return "swapped" if label.startswith("swapped") else label


def weight(level: dict[str, Any]) -> float:
    """A level's match weight, log2(m / u)."""
    return math.log2(float(level["m_probability"]) / float(level["u_probability"]))


def _clamp(value: Any, default: float) -> float:
    if not isinstance(value, (int, float)) or math.isnan(value):
        return default
    return min(1.0, max(PROBABILITY_FLOOR, float(value)))


def _fill(comparison: dict[str, Any], *, default_u: bool) -> None:
    """Clamp each level's m and u; missing ones (or every u, with ``default_u``) take
    their defaults."""
    for level in comparison["comparison_levels"]:
        if level.get("is_null_level"):
            continue
        key = level_key(level["label_for_charts"])
        level["m_probability"] = _clamp(level.get("m_probability"), DEFAULT_M[key])
        u = DEFAULT_U[key] if default_u else level.get("u_probability")
        level["u_probability"] = _clamp(u, DEFAULT_U[key])


def implausible(comparison: dict[str, Any]) -> str | None:
    """Why a comparison's weights cannot be right, in plain words; None when plausible."""
    levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
    name = comparison["output_column_name"]
    if weight(levels[0]) < MIN_AGREEMENT_WEIGHT:
        return (f"records agreeing exactly on {name} came out as hardly more likely to be "
                "the same child than two random records")
    if weight(levels[-1]) > MAX_DISAGREEMENT_WEIGHT:
        return f"records disagreeing on {name} came out as more likely to be the same child"
    if any(abs(weight(lv)) > MAX_WEIGHT for lv in levels):
        return f"a level of {name} came out with an extreme weight"
    return None


def default_m(comparison: dict[str, Any]) -> None:
    for level in comparison["comparison_levels"]:
        if not level.get("is_null_level"):
            level["m_probability"] = DEFAULT_M[level_key(level["label_for_charts"])]


def prior_bounds(records: int) -> tuple[float, float, float]:
    """(lowest, default, highest) plausible prior for a dedupe of ``records``."""
    pairs = max(1, records * (records - 1) // 2)

    def share(s: float) -> float:
        return min(0.5, s * max(records, 2) / pairs)
    return share(MIN_LINKED_SHARE), share(DEFAULT_LINKED_SHARE), share(MAX_LINKED_SHARE)


def check_model(model: dict[str, Any], records: int, *,
                default_u: bool = False) -> tuple[dict[str, Any], list[str]]:
    """The model made safe to score with, and a warning per correction."""
    warnings: list[str] = []
    for comparison in model["comparisons"]:
        _fill(comparison, default_u=default_u)
        why = implausible(comparison)
        if why:
            default_m(comparison)
            _fill(comparison, default_u=default_u)
            warnings.append(why + ": its default m probabilities were used instead "
                            "(docs/linkage.md)")
    low, default, high = prior_bounds(records)
    prior = model.get("probability_two_random_records_match")
    if not isinstance(prior, (int, float)) or not low <= prior <= high:
        warnings.append(f"the estimated prior (chance two random records are the same child) "
                        f"was outside {low:.3g} to {high:.3g}: the default {default:.3g} "
                        "(one matching pair per ten records) was used")
        model["probability_two_random_records_match"] = default
    return model, warnings
