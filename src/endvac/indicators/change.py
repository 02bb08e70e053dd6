"""The change of an indicator between two periods, and whether its intervals say it is
real: a typed verdict, never a bare difference read as "better" or "worse".

The difference of two values gets its 95% interval by the MOVER method (Zou & Donner
2008; Newcombe 1998 for proportions): from each value's own 95% interval (exact Poisson
for rates, Wilson for shares),

    low  = d - sqrt((now - now_low)^2 + (before_high - before)^2)
    high = d + sqrt((now_high - now)^2 + (before - before_low)^2),   d = now - before.

The change is significant when that interval excludes 0. A value without an interval
(a median duration, a yes/no policy fact, a withheld value) is not comparable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

METHOD = "MOVER interval of the difference from the two 95% intervals"


class Verdict(StrEnum):
    """What a change between two periods says (names: docs/names.md, kind ``verdict``)."""

    BETTER = "significantly_better"
    WORSE = "significantly_worse"
    HIGHER = "significantly_higher"  # an indicator with no better direction
    LOWER = "significantly_lower"
    NO_CHANGE = "no_significant_change"
    NOT_COMPARABLE = "not_comparable"


@dataclass(frozen=True)
class Change:
    """The difference now - before, its interval, and the verdict (with why when not
    comparable)."""

    verdict: Verdict
    difference: float | None = None
    low: float | None = None
    high: float | None = None
    reason: str = ""

    @property
    def significant(self) -> bool:
        return self.verdict in (Verdict.BETTER, Verdict.WORSE, Verdict.HIGHER, Verdict.LOWER)


def _figure(row: Mapping[str, Any] | None) -> tuple[float, float, float] | str:
    """(value, low, high) of a row, or why it has none."""
    if row is None or row.get("value") is None:
        return "no data"
    if row.get("ci_low") is None or row.get("ci_high") is None:
        return "no interval"
    return float(row["value"]), float(row["ci_low"]), float(row["ci_high"])


def _direction(difference: float, better: str) -> Verdict:
    if better == "higher":
        return Verdict.BETTER if difference > 0 else Verdict.WORSE
    if better == "lower":
        return Verdict.BETTER if difference < 0 else Verdict.WORSE
    return Verdict.HIGHER if difference > 0 else Verdict.LOWER


def compare_periods(now: Mapping[str, Any] | None, before: Mapping[str, Any] | None,
                    unit: str, better: str) -> Change:
    """The change from ``before`` to ``now`` (rows with value, ci_low, ci_high) of an
    indicator measured in ``unit`` whose ``better`` is higher, lower or none."""
    if unit == "yes_no":
        return Change(Verdict.NOT_COMPARABLE, reason="a yes/no fact")
    found_now, found_before = _figure(now), _figure(before)
    if isinstance(found_now, str) or isinstance(found_before, str):
        why = found_now if isinstance(found_now, str) else str(found_before)
        return Change(Verdict.NOT_COMPARABLE, reason=why)
    (value, low_now, high_now), (previous, low_before, high_before) = found_now, found_before
    if math.isinf(high_now) or math.isinf(high_before):
        return Change(Verdict.NOT_COMPARABLE, reason="no finite interval")
    difference = value - previous
    low = difference - math.hypot(value - low_now, high_before - previous)
    high = difference + math.hypot(high_now - value, previous - low_before)
    verdict = _direction(difference, better) if low > 0 or high < 0 else Verdict.NO_CHANGE
    return Change(verdict, difference, low, high)
