"""Detention stays at the detention agency, with the events that happen during them.

A stay is one or two spells on one basis (a transfer ends the first spell and the
next starts the same or the next day). Unplanted margins: family visits at least
every 88 days (the first within 7 days of the stay's start), so everyone detained
at the census date had a visit in the 88 days before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from endvac.synth.journey import Context, Journey, Offence
from endvac.synth.schema import CENSUS_DAY, RELEASE_REASONS
from endvac.synth.world import ADULT_PRISON, INSTITUTIONS, REMAND_HOMES


@dataclass(slots=True)
class Stay:
    """A stay as simulated: its days, spells and the facility of each spell."""

    basis: str
    start: int
    end: int
    end_reason: str
    case: str
    spells: list[tuple[int, int, str, str]] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        """Still detained at the census date."""
        return self.end > CENSUS_DAY

    @property
    def last_day(self) -> int:
        """The last day of detention within the census period."""
        return min(self.end, CENSUS_DAY)

    def facility_on(self, day: int) -> str:
        """The facility of the spell that covers ``day``."""
        for start, end, facility, _spell_id in self.spells:
            if start <= day <= end:
                return facility
        return self.spells[-1][2]

    def spell_ids(self) -> str:
        """The stay's spell ids, space-separated."""
        return " ".join(spell[3] for spell in self.spells)


def _facilities(ctx: Context, journey: Journey, basis: str) -> tuple[str, str]:
    province = journey.person.region[:3]
    homes = REMAND_HOMES[province] if basis == "pre_sentence" else INSTITUTIONS[province]
    return homes if ctx.rng.random() < 0.85 else (homes[1], homes[0])


def detention_stay(
    ctx: Context, journey: Journey, offence: Offence, basis: str, start: int, length: int,
    end_reason: str, plan: set[str],
) -> Stay:
    """Write the spells of one stay; the stay is open when it runs past the census date."""
    rng, cal = ctx.rng, ctx.cal
    case = ctx.ids.case("detention", cal.year(start))
    stay = Stay(basis, start, start + length, end_reason, case)
    first, second = _facilities(ctx, journey, basis)
    held = "n"
    if "held_with_adults" in plan:
        first, held = (ADULT_PRISON, "y") if rng.random() < 0.6 else (first, "y")
    cuts = [(start, stay.end, first)]
    if length >= 20 and (rng.random() < 0.25 or "pretrial_too_long" in plan):
        cut = start + rng.randint(5, length - 5)
        moved = cut + rng.randint(0, 1)
        if moved <= CENSUS_DAY:  # a transfer after the census date is not known yet
            cuts = [(start, cut, first), (moved, stay.end, second)]
    origin = offence.police_case if rng.random() < 0.9 else ""
    for number, (spell_start, spell_end, facility) in enumerate(cuts):
        reason = "transferred" if number < len(cuts) - 1 else end_reason
        ends = spell_end <= CENSUS_DAY
        spell_id = journey.spell(
            "detention", spell_start, cal.iso(spell_start), cal.iso(spell_end) if ends else "",
            reason if ends else "", basis=basis, facility=facility, case=stay.case,
            origin=origin, held=held if number == 0 else "n", iccs=offence.iccs,
            last_day=min(spell_end, CENSUS_DAY),
        )
        stay.spells.append((spell_start, spell_end, facility, spell_id))
    _record_stay(journey, stay, plan)
    return stay


def _record_stay(journey: Journey, stay: Stay, plan: set[str]) -> None:
    if stay.is_open:
        journey.census_bases.add(stay.basis)
    else:
        journey.stays.append((stay.basis, stay.end))
        if stay.end_reason in RELEASE_REASONS:
            journey.releases.append(stay.end)
    if "held_with_adults" in plan:
        journey.breach(
            "held_with_adults", "detention", stay.spells[0][3],
            f"held with adults at {stay.spells[0][2]}",
        )
    if "pretrial_too_long" in plan and stay.basis == "pre_sentence":
        journey.breach(
            "pretrial_too_long", "detention", stay.spell_ids(),
            f"pre-sentence stay of {stay.last_day - stay.start} days across a transfer",
        )
    if stay.end_reason == "death" and not stay.is_open:
        journey.breach("death_in_custody", "detention", stay.spells[-1][3], "died in custody")


def _visit_days(ctx: Context, stay: Stay, gap_planted: bool) -> tuple[list[int], int]:
    """Family visit days; the planted gap's length (0 when none)."""
    rng = ctx.rng
    last = stay.last_day
    day = stay.start + rng.randint(0, min(7, last - stay.start))
    days = [day]
    planted_gap = 0
    while True:
        gap = rng.randint(20, 80)
        if gap_planted and not planted_gap:
            gap = planted_gap = rng.randint(95, 115)
        day += gap
        if day > last:
            if planted_gap == gap:
                raise RuntimeError("a planted family-contact gap must end inside its stay")
            return days, planted_gap
        days.append(day)


def stay_events(
    ctx: Context, journey: Journey, offence: Offence, stay: Stay, plan: set[str]
) -> None:
    """Family visits, complaints and (planted) violence during a stay."""
    rng, cal = ctx.rng, ctx.cal
    days, gap = _visit_days(ctx, stay, "no_family_contact" in plan)
    visit_ids = []
    for day in days:
        visit_ids.append(journey.event(
            "detention", day, cal.iso(day), "family_visit", case=stay.case,
            origin=offence.police_case, offence=offence.dated(rng),
            facility=stay.facility_on(day),
        ))
    if gap:
        journey.breach(
            "no_family_contact", "detention", f"{stay.spell_ids()} {visit_ids[0]}",
            f"{gap} days without family contact after {cal.iso(days[0])}",
        )
    if rng.random() < 0.06:
        day = rng.randint(stay.start, stay.last_day)
        measure = rng.choice(("filed", "filed", "upheld", "rejected"))
        journey.event(
            "detention", day, cal.iso(day), "complaint", case=stay.case,
            offence=offence.dated(rng), measure=measure, facility=stay.facility_on(day),
        )
    if "violence_in_custody" in plan:
        day = rng.randint(stay.start, stay.last_day)
        event_id = journey.event(
            "detention", day, cal.iso(day), "violence_in_custody", case=stay.case,
            offence=offence.dated(rng), role="victim", facility=stay.facility_on(day),
            measure=rng.choice(("by_staff", "by_peer", "self_harm")),
        )
        journey.breach("violence_in_custody", "detention", event_id, "violence in custody")
