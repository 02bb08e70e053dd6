"""Periods: a year, START/END dates, and series of years, quarters or months."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from endvac.errors import UsageError

_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __str__(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def annual_factor(self) -> float:
        """days-in-year(P.end) / days(P): exactly 1 for a calendar year."""
        if self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31):
            return 1.0
        return (366 if calendar.isleap(self.end.year) else 365) / self.days


def _bound(text: str, end: bool) -> date:
    if _YEAR.match(text):
        return date(int(text), 12, 31) if end else date(int(text), 1, 1)
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"period bound {text!r} is not a year or a YYYY-MM-DD date",
                         fix="write --period 2025 or --period 2025-01-01/2025-03-31") from exc


def parse_period(text: str) -> Period:
    """``2025`` or ``START/END`` (each a year or a date)."""
    start_text, _, end_text = text.partition("/")
    start = _bound(start_text.strip(), end=False)
    end = _bound((end_text or start_text).strip(), end=True)
    if end < start:
        raise UsageError(f"period {text} ends before it starts", fix="swap the two dates")
    return Period(start, end)


def _next_start(current: date, every: str) -> date:
    months = {"year": 12, "quarter": 3, "month": 1}[every]
    month_index = current.year * 12 + current.month - 1 + months
    return date(month_index // 12, month_index % 12 + 1, 1)


def series(period: Period, every: str | None) -> list[Period]:
    """The period split into calendar years, quarters or months (the first and last may be
    partial when the period starts or ends mid-way)."""
    if every is None:
        return [period]
    if every not in ("year", "quarter", "month"):
        raise UsageError(f"--every {every} is not year, quarter or month", fix="choose one")
    out: list[Period] = []
    start = period.start
    while start <= period.end:
        if every == "year":
            boundary = date(start.year + 1, 1, 1)
        elif every == "quarter":
            boundary = _next_start(date(start.year, (start.month - 1) // 3 * 3 + 1, 1), every)
        else:
            boundary = _next_start(date(start.year, start.month, 1), every)
        end = min(period.end, date.fromordinal(boundary.toordinal() - 1))
        out.append(Period(start, end))
        start = boundary
    return out
