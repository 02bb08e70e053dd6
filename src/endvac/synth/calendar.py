"""Day and minute arithmetic on integer ordinals, with precomputed ISO strings.

Days are proleptic Gregorian ordinals (``date.toordinal()``); instants are minutes
since ordinal day 0 (``day * 1440 + minute_of_day``). Formatting looks strings up
in tables built once per run instead of calling ``strftime`` per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

FIRST_DAY = date(1990, 1, 1).toordinal()
LAST_DAY = date(2027, 12, 31).toordinal()
MINUTES_PER_DAY = 1440


@dataclass(frozen=True)
class Calendar:
    """Lookup tables from day ordinals to ISO dates and (year, month, day)."""

    iso_days: tuple[str, ...]
    ymd_days: tuple[tuple[int, int, int], ...]
    clock: tuple[str, ...]

    def iso(self, day: int) -> str:
        """ISO date ``YYYY-MM-DD`` of a day ordinal."""
        return self.iso_days[day - FIRST_DAY]

    def stamp(self, instant: int) -> str:
        """ISO timestamp ``YYYY-MM-DDTHH:MM`` of a minute instant."""
        day, minute = divmod(instant, MINUTES_PER_DAY)
        return self.iso_days[day - FIRST_DAY] + "T" + self.clock[minute]

    def ymd(self, day: int) -> tuple[int, int, int]:
        """(year, month, day of month) of a day ordinal."""
        return self.ymd_days[day - FIRST_DAY]

    def year(self, day: int) -> int:
        """Calendar year of a day ordinal."""
        return self.ymd_days[day - FIRST_DAY][0]

    def age(self, birth_day: int, on_day: int) -> int:
        """Age in whole years on ``on_day`` of a person born on ``birth_day``."""
        by, bm, bd = self.ymd_days[birth_day - FIRST_DAY]
        y, m, d = self.ymd_days[on_day - FIRST_DAY]
        return y - by - ((m, d) < (bm, bd))

    def years_before(self, day: int, years: int) -> int:
        """The same calendar day ``years`` earlier (29 February becomes the 28th)."""
        y, m, d = self.ymd_days[day - FIRST_DAY]
        if m == 2 and d == 29:
            d = 28
        return date(y - years, m, d).toordinal()


    def birthday(self, birth_day: int, years: int) -> int:
        """The day a person born on ``birth_day`` turns ``years`` (29 February: 1 March)."""
        by, bm, bd = self.ymd_days[birth_day - FIRST_DAY]
        try:
            return date(by + years, bm, bd).toordinal()
        except ValueError:  # 29 February in a common year
            return date(by + years, 3, 1).toordinal()


def build_calendar() -> Calendar:
    """Build the lookup tables for every day from 1990 to 2027."""
    first = date.fromordinal(FIRST_DAY)
    days = [first + timedelta(days=i) for i in range(LAST_DAY - FIRST_DAY + 1)]
    clock = tuple(f"{h:02d}:{m:02d}" for h in range(24) for m in range(60))
    return Calendar(
        iso_days=tuple(d.isoformat() for d in days),
        ymd_days=tuple((d.year, d.month, d.day) for d in days),
        clock=clock,
    )


def day_of(year: int, month: int, day: int) -> int:
    """Day ordinal of a calendar date."""
    return date(year, month, day).toordinal()
