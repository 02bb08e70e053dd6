"""Planted effects for the pathways and outcomes (docs/pathways.md), with their truth.

Only with ``generate(..., effects=True)`` (``endvac synth --effects``): without, the
synthetic country is the same, byte for byte, as before the effects existed.

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


def court_delay(ctx: Context, journey: Journey, days: int) -> int:
    """Days from charge (or bail) to verdict, slower in SLOW_REGION when effects are on."""
    slow = ctx.effects and journey.person.region == SLOW_REGION
    return days * SLOW_FACTOR if slow else days


def plant_recontact(ctx: Context, journey: Journey) -> int | None:
    """Re-arrest after the journey's first decision (when eligible); the day or None."""
    if not ctx.effects or not journey.decisions:
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


def expected_recontact(group: str, followed: list[tuple[bool, int]], months: int) -> float:
    """The share re-contacted within ``months`` that Kaplan–Meier converges to under the
    planted design, given each child's eligibility and days followed (to the census
    date or the 18th birthday): day by day, the expected events (eligible children still
    followed, times the planted daily chance) over the expected risk set (eligible ones
    not yet re-arrested, plus the ineligible ones still followed)."""
    first, last = RECONTACT_DAYS
    chance, spread = RECONTACT[group], last - first + 1
    horizon = min(int(months * DAYS_PER_MONTH), last)
    eligible, other = Counter[int](), Counter[int]()
    for is_eligible, days in followed:
        (eligible if is_eligible else other)[min(days, horizon)] += 1
    still_e, still_o = sum(eligible.values()), sum(other.values())
    survival = 1.0
    for day in range(1, horizon + 1):
        if still_e + still_o == 0:
            break
        if day >= first:
            before = chance * max(0, day - first) / spread  # re-arrested before this day
            at_risk = still_e * (1 - before) + still_o
            survival *= 1 - still_e * chance / spread / at_risk
        still_e -= eligible[day]
        still_o -= other[day]
    return 1 - survival


class RecontactTally:
    """Per group: each child at risk after its first decision (clock on or before the
    census date, under 18 at it) with whether it may be re-arrested and its days
    followed (to the census date or the 18th birthday)."""

    def __init__(self) -> None:
        self.followed: dict[str, list[tuple[bool, int]]] = {g: [] for g in RECONTACT}

    def absorb(self, cal: Calendar, journey: Journey) -> None:
        if not journey.child or not journey.decisions:
            return
        group, clock = min(journey.decisions, key=lambda d: d[1])
        end = min(CENSUS_DAY, cal.birthday(journey.person.birth_day, 18))
        if clock > CENSUS_DAY or end <= clock:
            return
        self.followed[group].append((journey.recontact_eligible, end - clock))

    def as_json(self) -> dict[str, Any]:
        groups = {}
        for group, chance in RECONTACT.items():
            followed = self.followed[group]
            groups[group] = {
                "recontact_within_24_months_planted": chance,
                "children_at_risk": len(followed),
                "eligible_share": (sum(e for e, _d in followed) / len(followed)
                                   if followed else 0.0),
                "expected_recontact": {str(m): expected_recontact(group, followed, m)
                                       for m in HORIZONS_MONTHS},
            }
        return {"recontact_by_group": groups,
                "slow_region": {"region": SLOW_REGION, "interval": "charge_to_verdict",
                                "factor": SLOW_FACTOR}}
