"""The check of a trained linkage model before it scores a pair, and its defaults.

EM can collapse: on data where almost no duplicate agrees exactly on a field, or on a
few hundred records, a level's m probability runs to zero (Splink refuses values below
1e-300) or an agreement level ends up counting against a match. Every trained model
passes :func:`check_model` before scoring:

- every m and u probability is clamped to ``[PROBABILITY_FLOOR, 1]``, every m not fixed
  by design to at least ``M_FLOOR``; a level without a trained value takes its default
  (``DEFAULT_M`` / ``DEFAULT_U`` below, docs/linkage.md);
- a level whose weight cannot be right — a comparison's exact agreement weighing less
  than ``MIN_AGREEMENT_WEIGHT``, its final "different" level more than
  ``MAX_DISAGREEMENT_WEIGHT``, any level beyond ``±MAX_WEIGHT`` — gets its default m
  probability (the u probabilities from random pairs are kept);
- a similarity level (same token, Dice ≥ …) weighing less than a looser one of the same
  comparison is raised to the looser one's weight;
- the prior (two random records being the same child) must imply between
  ``MIN_LINKED_SHARE`` and ``MAX_LINKED_SHARE`` matching pairs per record; outside,
  the default ``DEFAULT_LINKED_SHARE`` is used.

Each correction is a warning in plain words (never a value of a record), shown in the
run summary and on the data-quality page.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from endvac.errors import BadInput, EndvacError

PROBABILITY_FLOOR = 1e-9  # far above Splink's 1e-300, far below any real level
M_FLOOR = 1e-4  # EM on a few thousand matches cannot tell a rarer level from zero
MIN_AGREEMENT_WEIGHT = 0.5  # an exact agreement must raise the odds by at least 40%
MAX_DISAGREEMENT_WEIGHT = 0.0  # "different" never counts for a match
MAX_WEIGHT = 25.0  # no single level moves the odds by more than 2^25
# Levels whose weight is set, not trained: different given names under one family name
# (twins, siblings) count this strongly against a match (m = u × 2^weight).
FIXED_WEIGHTS = {"different given name, same family name": -12.0}
DEFAULT_LINKED_SHARE = 0.1  # matching pairs per record when the prior is implausible
MIN_LINKED_SHARE = 0.005
MAX_LINKED_SHARE = 2.0

# Default (m, u) per level label: m the share of true matches at the level, u the share
# of random pairs (docs/linkage.md has the same table). Labels are those of
# endvac.linkage.comparisons; "swapped" stands for "swapped with <the other name>".
DEFAULTS: dict[str, tuple[float, float]] = {
    "same token": (0.80, 0.002), "same folded spelling": (0.05, 0.0005),
    "Dice >= 0.8": (0.10, 0.003),
    "Dice >= 0.6": (0.04, 0.02), "Dice >= 0.5": (0.03, 0.03), "swapped": (0.01, 0.0001),
    "different given name, same family name": (1e-8, 0.0002),
    "same date": (0.75, 0.0005), "day and month swapped": (0.02, 0.00002),
    "one digit differs": (0.05, 0.005), "partial date agrees": (0.05, 0.001),
    "birth years within one": (0.10, 0.3), "same": (0.90, 0.3),
    "a case number shared": (0.30, 0.0001), "no case number shared": (0.70, 0.9999),
    "different": (0.05, 0.7)}
DEFAULT_M = {label: m for label, (m, _) in DEFAULTS.items()}
DEFAULT_U = {label: u for label, (_, u) in DEFAULTS.items()}


class LinkageFailed(BadInput):
    """Linking could not run on these records (exit 1); the message says why."""


RUN_AGAIN = "run endvac link --debug and see docs/linkage.md"
RETRAIN = "train it again with a full endvac link (DuckDB engine)"


@contextmanager
def splink_step(step: str, fix: str = RUN_AGAIN) -> Iterator[None]:
    """Splink's own errors (and DuckDB's or Spark's under it) inside ``step`` become one
    :class:`LinkageFailed` line naming the step and the error's kind: never its text,
    which may quote a record's values. endvac's own errors pass as they are."""
    try:
        yield
    except EndvacError:
        raise
    except Exception as exc:
        raise LinkageFailed(f"{step} failed ({type(exc).__name__})", fix=fix) from exc


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
        level["u_probability"] = _clamp(DEFAULT_U[key] if default_u else level.get(
            "u_probability"), DEFAULT_U[key])
        m = _clamp(level.get("m_probability"), DEFAULT_M[key])
        if key in FIXED_WEIGHTS:  # m follows u: the level weighs what it is set to
            m = _clamp(level["u_probability"] * 2.0 ** FIXED_WEIGHTS[key], m)
        level["m_probability"] = m if level.get("fix_m_probability") else max(M_FLOOR, m)


def implausible(comparison: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """(level, why in plain words) of each level whose weight cannot be right."""
    levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
    name = comparison["output_column_name"]
    out = []
    for index, level in enumerate(levels):
        found = weight(level)
        label = f"{name} ({level['label_for_charts']})"
        if index == 0 and found < MIN_AGREEMENT_WEIGHT:
            out.append((level, f"records agreeing exactly on {label} came out as hardly more "
                               "likely to be the same child than two random records"))
        elif index == len(levels) - 1 and found > MAX_DISAGREEMENT_WEIGHT:
            out.append((level, f"records disagreeing on {label} came out as more likely to "
                               "be the same child"))
        elif abs(found) > MAX_WEIGHT and not level.get("fix_m_probability"):
            out.append((level, f"the level {label} came out with an extreme weight"))
    return out


def similarity_chain(comparison: dict[str, Any]) -> list[dict[str, Any]]:
    """The levels from the same token down the Dice thresholds (strongest first)."""
    return [lv for lv in comparison["comparison_levels"]
            if lv["label_for_charts"] == "same token"
            or lv["label_for_charts"].startswith("Dice >= ")]


def monotone(comparison: dict[str, Any]) -> list[str]:
    """Raise a similarity level weighing less than a looser one of the same comparison
    (a level EM never saw among matches) to the looser one's weight; a warning each."""
    warnings = []
    chain = similarity_chain(comparison)
    for stronger, looser in reversed(list(zip(chain, chain[1:], strict=False))):
        if weight(stronger) < weight(looser):
            stronger["m_probability"] = min(1.0, stronger["u_probability"] * 2.0 ** weight(looser))
            warnings.append(f"{comparison['output_column_name']} "
                            f"({stronger['label_for_charts']}) came out weighing less than "
                            f"the looser {looser['label_for_charts']}: given the same weight")
    return warnings


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
        for level, why in implausible(comparison):
            level["m_probability"] = DEFAULT_M[level_key(level["label_for_charts"])]
            warnings.append(why + ": its default m probability was used instead "
                            "(docs/linkage.md)")
        warnings += monotone(comparison)
    low, default, high = prior_bounds(records)
    prior = model.get("probability_two_random_records_match")
    if not isinstance(prior, (int, float)) or not low <= prior <= high:
        why = ("could not be estimated" if not isinstance(prior, (int, float))
               else f"was outside {low:.3g} to {high:.3g}")
        warnings.append(f"the prior (chance two random records are the same child) {why}: "
                        f"the default {default:.3g} (one matching pair per ten records) was "
                        "used")
        model["probability_two_random_records_match"] = default
    return model, warnings
