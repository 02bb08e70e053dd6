"""How numbers read in the report: one rule per unit, used by every table and headline."""

from __future__ import annotations

from typing import Any

DECIMALS = {"per_100000": 1, "per_1000": 2, "per_child": 2, "percent": 1, "days": 1,
            "ratio": 2}
MISSING = "–"


def value_text(value: Any, unit: str) -> str:
    """``50.0`` (per 100,000), ``12.5`` (percent), ``yes``/``no`` (policy), ``–`` if none."""
    if value is None:
        return MISSING
    if unit == "yes_no":
        return "yes" if value else "no"
    return f"{float(value):,.{DECIMALS.get(unit, 1)}f}"


def count_text(count: Any) -> str:
    """A count of children, events or places: ``8,000``."""
    if count is None:
        return MISSING
    return f"{int(count):,}"


def interval_text(row: dict[str, Any]) -> str:
    """``41.2 – 60.3`` or empty when the row has no interval."""
    if row.get("ci_low") is None or row.get("ci_high") is None:
        return ""
    unit = row.get("unit") or ""
    return f"{value_text(row['ci_low'], unit)} – {value_text(row['ci_high'], unit)}"


def ratio_text(value: Any) -> str:
    return MISSING if value is None else f"{float(value):.2f}"


def change_text(current: Any, previous: Any, unit: str) -> str:
    """The signed difference between two values, in the unit's decimals."""
    if current is None or previous is None or unit == "yes_no":
        return MISSING
    difference = float(current) - float(previous)
    return ("+" if difference > 0 else "") + value_text(difference, unit)


def withheld_text(row: dict[str, Any] | None) -> str | None:
    """Why a value is not shown: suppressed (public), not recorded, or no denominator."""
    if row is None:
        return "no result"
    if row.get("value_suppressed") or row.get("numerator_suppressed"):
        return "suppressed"
    if row.get("coverage"):
        return str(row["coverage"])
    return None
