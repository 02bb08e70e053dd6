"""The truth of the victims' pathway, counted from the simulated cases (never read back):
what VAC7-VAC12 must find on the synthetic country once records are linked."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from endvac.synth.calendar import Calendar
from endvac.synth.journey import Journey, VictimCase
from endvac.synth.schema import YEARS
from endvac.synth.victim_pathway import SLOW_EXTRA_DAYS, SLOW_REGION


@dataclass
class VictimTally:
    """Cases by report year, decisions by decision year, child victims by report year."""

    cal: Calendar
    cases: Counter[tuple[int, str]] = field(default_factory=Counter)
    decision_days: dict[int, list[tuple[int, str]]] = field(
        default_factory=lambda: defaultdict(list))
    children: Counter[tuple[int, str]] = field(default_factory=Counter)

    def absorb(self, journey: Journey) -> None:
        birth_day = journey.person.birth_day
        reported: dict[int, list[VictimCase]] = defaultdict(list)
        for case in journey.victim_cases:
            if not case.child:
                continue
            year = self.cal.year(case.report_day)
            reported[year].append(case)
            self.cases.update([(year, "cases")] + [(year, "charged")] * case.charged
                              + [(year, "decided")] * (case.decision_day is not None))
            if case.decision_day is not None:
                self.decision_days[self.cal.year(case.decision_day)].append(
                    (case.decision_day - case.report_day, case.region))
        support = [day for case in journey.victim_cases for day in case.support_days]
        interviews = [(day, ref) for case in journey.victim_cases
                      for day, ref in case.interviews if self.cal.age(birth_day, ref) < 18]
        for year, cases in reported.items():
            since = min(case.reference_day for case in cases)
            count = sum(1 for day, _ref in interviews if day >= since)
            self.children[year, "children"] += 1
            self.children[year, "interviews"] += count
            self.children[year, "supported"] += any(day >= since for day in support)
            self.children[year, "interviewed_twice"] += count >= 2

    def as_json(self) -> dict[str, Any]:
        years = [str(year) for year in YEARS]
        decided: dict[str, Any] = {}
        for y in years:
            days = self.decision_days.get(int(y), [])
            regions = sorted({region for _d, region in days})
            decided[y] = {
                "cases": len(days),
                "median_days": statistics.median(d for d, _r in days) if days else None,
                "median_days_by_true_region": {
                    r: statistics.median(d for d, region in days if region == r)
                    for r in regions},
            }
        return {
            "victim_cases_by_year": {y: {k: self.cases[int(y), k]
                                         for k in ("cases", "charged", "decided")}
                                     for y in years},
            "victim_decisions_by_year": decided,
            "victim_children_by_year": {
                y: {k: self.children[int(y), k]
                    for k in ("children", "supported", "interviews", "interviewed_twice")}
                for y in years},
            "slow_decision_region": {"region": SLOW_REGION, "extra_days": SLOW_EXTRA_DAYS},
        }
