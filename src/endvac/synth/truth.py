"""What the simulation itself produced, counted from its own state (never read back)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from endvac.synth.calendar import Calendar
from endvac.synth.effects import RecontactTally
from endvac.synth.journey import Journey
from endvac.synth.schema import AGENCIES, BREACH_KINDS, INVALID_RULES, YEARS
from endvac.synth.victim_truth import VictimTally

AFTERCARE_WINDOW_DAYS = 30
DETENTION_BASES = ("pre_sentence", "sentenced")
VAC_CATEGORIES = ("VAC1", "VAC2", "VAC3", "VAC4", "VAC6")


@dataclass
class Tally:
    """Counts accumulated journey by journey; children only (age under 18 at the offence)."""

    cal: Calendar
    arrested: Counter[int] = field(default_factory=Counter)
    detained_at_census: int = 0
    pre_sentence_at_census: int = 0
    stays_ending: Counter[tuple[int, str]] = field(default_factory=Counter)
    released: Counter[int] = field(default_factory=Counter)
    aftercare_in_window: Counter[int] = field(default_factory=Counter)
    victims: Counter[tuple[int, str]] = field(default_factory=Counter)
    breaches: Counter[str] = field(default_factory=Counter)
    records: Counter[str] = field(default_factory=Counter)
    invalid: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    recontact: RecontactTally = field(default_factory=RecontactTally)
    effects: bool = False
    victim_pathway: VictimTally = field(init=False)

    def __post_init__(self) -> None:
        self.victim_pathway = VictimTally(self.cal)

    def absorb(self, journey: Journey, record_ids: dict[str, str]) -> None:
        """Count one written journey."""
        self.records.update(record_ids.keys())
        self.breaches.update(kind for kind, _agency, _facts, _detail in journey.breaches)
        self.arrested.update(journey.arrest_years)
        self.recontact.absorb(self.cal, journey)
        self.victims.update(journey.victim_cells)
        self.victim_pathway.absorb(journey)
        if not journey.child:
            return
        if journey.census_bases & set(DETENTION_BASES):
            self.detained_at_census += 1
        if "pre_sentence" in journey.census_bases:
            self.pre_sentence_at_census += 1
        self.stays_ending.update((self.cal.year(end), basis) for basis, end in journey.stays)
        self._count_releases(journey)

    def _count_releases(self, journey: Journey) -> None:
        last_release: dict[int, int] = {}
        for day in journey.releases:
            year = self.cal.year(day)
            last_release[year] = max(day, last_release.get(year, day))
        for year, day in last_release.items():
            self.released[year] += 1
            if any(day <= care <= day + AFTERCARE_WINDOW_DAYS for care in journey.aftercare):
                self.aftercare_in_window[year] += 1

    def as_json(self, children: int, seed: int) -> dict[str, Any]:
        """counts.json: every count keyed by year, basis, category, kind, agency or rule."""
        years = [str(year) for year in YEARS]
        bases = ("police_custody", *DETENTION_BASES)
        return {
            "children": children,
            "seed": seed,
            "census_date": "2025-12-31",
            "arrested_children_by_year": {y: self.arrested[int(y)] for y in years},
            "detained_at_census": self.detained_at_census,
            "pre_sentence_at_census": self.pre_sentence_at_census,
            "stays_ending_by_year": {
                y: {basis: self.stays_ending[int(y), basis] for basis in bases} for y in years
            },
            "releases_by_year": {y: self.released[int(y)] for y in years},
            "aftercare_within_30_days_by_year": {
                y: self.aftercare_in_window[int(y)] for y in years
            },
            "victims_by_year": {
                y: {cat: self.victims[int(y), cat] for cat in VAC_CATEGORIES} for y in years
            },
            "breaches_by_kind": {kind: self.breaches[kind] for kind in BREACH_KINDS},
            "records_by_agency": {agency: self.records[agency] for agency in AGENCIES},
            "invalid_rows_by_rule": {rule: self.invalid[rule] for rule in INVALID_RULES},
            "exact_duplicates": self.duplicates,
            **self.victim_pathway.as_json(),
        } | ({"pathways": self.recontact.as_json()} if self.effects else {})
