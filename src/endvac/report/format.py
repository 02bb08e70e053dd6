"""How numbers read in the report: one rule per unit, used by every table and headline,
with the separators of the report's language (Babel; docs/languages.md)."""

from __future__ import annotations

from typing import Any

from endvac.i18n import DEFAULT_LANG, translations
from endvac.i18n.numbers import decimal, integer

DECIMALS = {"per_100000": 1, "per_1000": 2, "per_child": 2, "percent": 1, "days": 1,
            "ratio": 2}
MISSING = "–"


def value_text(value: Any, unit: str, lang: str = DEFAULT_LANG) -> str:
    """``50.0`` (per 100,000), ``12.5`` (percent), ``yes``/``no`` (policy), ``–`` if none;
    ``1.234,5`` in Portuguese."""
    if value is None:
        return MISSING
    if unit == "yes_no":
        words = translations(lang).gettext
        return words("yes") if value else words("no")
    return decimal(float(value), DECIMALS.get(unit, 1), lang)


def count_text(count: Any, lang: str = DEFAULT_LANG) -> str:
    """A count of children, events or places: ``8,000`` (``8.000`` in Portuguese)."""
    return integer(count, lang)


def interval_text(row: dict[str, Any], lang: str = DEFAULT_LANG) -> str:
    """``41.2 – 60.3`` or empty when the row has no interval."""
    if row.get("ci_low") is None or row.get("ci_high") is None:
        return ""
    unit = row.get("unit") or ""
    return f"{value_text(row['ci_low'], unit, lang)} – {value_text(row['ci_high'], unit, lang)}"


def ratio_text(value: Any, lang: str = DEFAULT_LANG) -> str:
    return MISSING if value is None else decimal(float(value), 2, lang)


def change_text(current: Any, previous: Any, unit: str, lang: str = DEFAULT_LANG) -> str:
    """The signed difference between two values, in the unit's decimals."""
    if current is None or previous is None or unit == "yes_no":
        return MISSING
    difference = float(current) - float(previous)
    return ("+" if difference > 0 else "") + value_text(difference, unit, lang)


def withheld_text(row: dict[str, Any] | None) -> str | None:
    """Why a value is not shown: suppressed (public), not recorded, or no denominator
    (English; the templates translate it)."""
    if row is None:
        return "no result"
    if row.get("value_suppressed") or row.get("numerator_suppressed"):
        return "suppressed"
    if row.get("coverage"):
        return str(row["coverage"])
    return None
