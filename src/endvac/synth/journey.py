"""The facts of one person's contact with the system, collected before they are written."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from endvac.synth.calendar import Calendar
from endvac.synth.names import NamePool
from endvac.synth.people import Person
from endvac.synth.schema import AGENCIES, CENSUS_DAY, ID_PREFIX, RECORD_STYLE, YEARS


class IdCounters:
    """Sequential ids per agency: events, spells, cases and person records."""

    def __init__(self) -> None:
        self.events = dict.fromkeys(AGENCIES, 0)
        self.spells = dict.fromkeys(AGENCIES, 0)
        self.cases: dict[tuple[str, int], int] = {}
        self.records: dict[tuple[str, int], int] = {}

    def event(self, agency: str) -> str:
        """The next event_id of an agency."""
        number = self.events[agency] + 1
        self.events[agency] = number
        return f"{ID_PREFIX[agency]}E{number:08d}"

    def spell(self, agency: str) -> str:
        """The next spell_id of an agency."""
        number = self.spells[agency] + 1
        self.spells[agency] = number
        return f"{ID_PREFIX[agency]}S{number:08d}"

    def case(self, agency: str, year: int) -> str:
        """The next case number of an agency in a year."""
        number = self.cases.get((agency, year), 0) + 1
        self.cases[agency, year] = number
        return f"{ID_PREFIX[agency]}C-{year}-{number:06d}"

    def record(self, agency: str, year: int) -> str:
        """The next record_id of an agency; some agencies number records per year."""
        style = RECORD_STYLE[agency]
        counter = (agency, year if "{year}" in style else 0)
        number = self.records.get(counter, 0) + 1
        self.records[counter] = number
        return style.format(n=number, year=year)


@dataclass
class Context:
    """What the simulation draws from: the generator, tables and id counters."""

    rng: random.Random
    cal: Calendar
    names: NamePool
    ids: IdCounters
    effects: bool = False  # plant the pathway effects (synth/effects.py)


@dataclass(slots=True)
class Offence:
    """The offence behind one police case."""

    day: int
    iso: str
    iccs: str
    police_case: str

    def dated(self, rng: random.Random) -> str:
        """offence_date for a later event: given on 85% of them."""
        return self.iso if rng.random() < 0.85 else ""


@dataclass(slots=True)
class VictimCase:
    """What the simulation made of one victim report (the truth of the victims' pathway).

    ``child``: under 18 on the report's reference day (the offence, else the report);
    ``decision_day``: the verdict's day (None: no verdict written); ``region``: the
    person's true region; ``support_days``; ``interviews``: (day, reference day) of each.
    """

    report_day: int
    reference_day: int
    child: bool
    region: str
    charged: bool = False
    decision_day: int | None = None
    support_days: list[int] = field(default_factory=list)
    interviews: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Journey:
    """One person's facts per agency, planted breaches and what the truth counts need."""

    person: Person
    ids: IdCounters
    child: bool = True
    events: dict[str, list[tuple[int, list[str]]]] = field(default_factory=dict)
    spells: dict[str, list[tuple[int, int, list[str]]]] = field(default_factory=dict)
    breaches: list[tuple[str, str, str, str]] = field(default_factory=list)
    arrest_years: set[int] = field(default_factory=set)
    stays: list[tuple[str, int]] = field(default_factory=list)
    census_bases: set[str] = field(default_factory=set)
    releases: list[int] = field(default_factory=list)
    aftercare: list[int] = field(default_factory=list)
    victim_cells: set[tuple[int, str]] = field(default_factory=set)
    victim_cases: list[VictimCase] = field(default_factory=list)
    decisions: list[tuple[str, int]] = field(default_factory=list)
    recontact_eligible: bool = False
    horizon: int = CENSUS_DAY
    last_fact: int = 0

    def event(
        self, agency: str, day: int, when: str, event_type: str, *, case: str = "",
        origin: str = "", offence: str = "", role: str = "", iccs: str = "", cyber: str = "",
        measure: str = "", authority: str = "", length: str = "", facility: str = "",
    ) -> str:
        """Add an event (dropped when after the horizon); its event_id or ''.

        The horizon is the census date, or earlier for a planted child whose every fact
        must fall before a birthday (see simulate.py).
        """
        if day > self.horizon:
            return ""
        self.last_fact = max(self.last_fact, day)
        event_id = self.ids.event(agency)
        row = [
            event_id, agency, "", case, origin, event_type, when, offence, "", role, iccs,
            cyber, measure, authority, length, facility,
        ]
        self.events.setdefault(agency, []).append((day, row))
        return event_id

    def spell(
        self, agency: str, start_day: int, start: str, end: str, end_reason: str, *,
        basis: str, facility: str, case: str, origin: str, held: str, iccs: str,
        last_day: int,
    ) -> str:
        """Add a detention spell (``end`` empty = still detained); its spell_id.

        ``last_day`` is the spell's last day within the census period.
        """
        self.last_fact = max(self.last_fact, last_day)
        spell_id = self.ids.spell(agency)
        row = [
            spell_id, agency, "", case, origin, facility, basis, start, end, end_reason, held,
            iccs, "",
        ]
        delivery_year = int(end[:4]) if end else YEARS[-1]
        self.spells.setdefault(agency, []).append((start_day, delivery_year, row))
        return spell_id

    def breach(self, kind: str, agency: str, facts: str, detail: str) -> None:
        """Record a planted breach against this person's record at ``agency``.

        A kind planted twice on one person stays one breach: its facts are joined.
        """
        for number, (known, where, listed, said) in enumerate(self.breaches):
            if known == kind:
                self.breaches[number] = (known, where, f"{listed} {facts}".strip(), said)
                return
        self.breaches.append((kind, agency, facts, detail))
