"""Numbers and dates as the reader's locale writes them (Babel's CLDR data): ``1,234.5``
in English, ``1.234,5`` in Portuguese and Spanish, ``1 234,5`` in French (a narrow
no-break space); Arabic uses its locale's default numbering system."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

MISSING = "–"


def decimal(value: Any, decimals: int, lang: str) -> str:
    """``value`` with exactly ``decimals`` decimals and the locale's separators."""
    if value is None:
        return MISSING
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return str(format_decimal(float(value), format=pattern, locale=lang,
                              numbering_system="default"))


def integer(value: Any, lang: str) -> str:
    """A count: ``8,000`` (en), ``8.000`` (pt), ``8 000`` (fr)."""
    if value is None:
        return MISSING
    return decimal(int(value), 0, lang)


def significant(value: Any, digits: int, lang: str) -> str:
    """``value`` to ``digits`` significant digits (like ``%.4g``), locale separators."""
    if value is None:
        return MISSING
    number = float(value)
    if number == 0:
        return decimal(0, 0, lang)
    from math import floor, log10

    from babel.numbers import format_decimal

    places = max(0, digits - 1 - int(floor(log10(abs(number)))))
    pattern = "#,##0" + ("." + "#" * places if places else "")
    return str(format_decimal(round(number, places), format=pattern, locale=lang,
                              numbering_system="default"))


def day(value: Any, lang: str) -> str:
    """A date in the locale's medium form: ``31 Dec 2025`` (en), ``31/12/2025`` (pt)."""
    if value is None or value == "":
        return MISSING
    from babel.dates import format_date

    found = value if isinstance(value, date) else _parse_date(str(value))
    if found is None:
        return str(value)
    return str(format_date(found, format="medium", locale=lang))


def _parse_date(text: str) -> date | None:
    try:
        return datetime.fromisoformat(text.replace(" ", "T")).date() if "T" in text or \
            " " in text else date.fromisoformat(text)
    except ValueError:
        return None
