"""Planted effects for the pathways and outcomes (docs/pathways.md), with their truth.

Re-contact: a child offender without a planted breach is re-arrested (police contact
only, a new case) with probability RECONTACT[group] after the first decision of its
pathway, on a day drawn uniformly 7-730 days after the clock start (a completed or
failed diversion's completion record, a non-custodial sentence, the release from
sentenced custody). So within d days (7 <= d <= 730) the chance is
RECONTACT[group] * (d - 6) / 724. Children with a planted breach are never
re-arrested (their facts must end within a span; see simulate.py): the truth's
expected share counts them as never re-arrested. A re-arrest after the census date
is not known (censored by the data's end).

Regional delay: in SLOW_REGION the days from a charge to the verdict of a trial while
free (and from a bail release to the verdict) are SLOW_FACTOR times as long.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Final

from endvac.synth.calendar import Calendar
from endvac.synth.journey import Context, Journey, Offence
from endvac.synth.police import police_episode
from endvac.synth.schema import CENSUS_DAY

RECONTACT: Final = {"diversion_completed": 0.15, "diversion_failed": 0.45,
                    "non_custodial": 0.30, "custodial": 0.40}
RECONTACT_DAYS: Final = (7, 730)
SLOW_REGION: Final = "SOU3"
SLOW_FACTOR: Final = 3
HORIZONS_MONTHS: Final = (6, 12, 24)
DAYS_PER_MONTH: Final = 365.25 / 12


def court_delay(journey: Journey, days: int) -> int:
    """Days from charge (or bail) to verdict, slower in SLOW_REGION."""
    return days * SLOW_FACTOR if journey.person.region == SLOW_REGION else days


def within(group: str, months: int) -> float:
    """The planted chance of a re-arrest within ``months`` of the clock start."""
    first, last = RECONTACT_DAYS
    days = min(int(months * DAYS_PER_MONTH), last)
    return RECONTACT[group] * max(0, days - first + 1) / (last - first + 1)


def plant_recontact(ctx: Context, journey: Journey) -> int | None:
    """Re-arrest after the journey's first decision (when eligible); the day or None."""
    if not journey.decisions:
        return None
    group, clock = min(journey.decisions, key=lambda d: d[1])
    if not journey.recontact_eligible or ctx.rng.random() >= RECONTACT[group]:
        return None
    day = clock + ctx.rng.randint(*RECONTACT_DAYS)
    if day > CENSUS_DAY - 1:
        return None
    offence = Offence(day, ctx.cal.iso(day), "0502", ctx.ids.case("police", ctx.cal.year(day)))
    police_episode(ctx, journey, offence, day, set(), "")
    return day


class RecontactTally:
    """Per group: children at risk after their first decision (clock on or before the
    census date, under 18 at it) and those of them eligible for a planted re-arrest."""

    def __init__(self) -> None:
        self.at_risk: Counter[str] = Counter()
        self.eligible: Counter[str] = Counter()

    def absorb(self, cal: Calendar, journey: Journey) -> None:
        if not journey.child or not journey.decisions:
            return
        group, clock = min(journey.decisions, key=lambda d: d[1])
        if clock > CENSUS_DAY or cal.age(journey.person.birth_day, clock) >= 18:
            return
        self.at_risk[group] += 1
        self.eligible[group] += journey.recontact_eligible

    def as_json(self) -> dict[str, Any]:
        groups = {}
        for group, chance in RECONTACT.items():
            share = self.eligible[group] / self.at_risk[group] if self.at_risk[group] else 0.0
            groups[group] = {
                "recontact_within_24_months_planted": chance,
                "children_at_risk": self.at_risk[group],
                "eligible_share": share,
                "expected_recontact": {str(m): share * within(group, m)
                                       for m in HORIZONS_MONTHS},
            }
        return {"recontact_by_group": groups,
                "slow_region": {"region": SLOW_REGION, "interval": "charge_to_verdict",
                                "factor": SLOW_FACTOR}}
