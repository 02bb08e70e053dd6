"""Draw one person: pathway, age, identity, planted breaches, and run the pathway.

Breach plans (shares of eligible children; adults are never planted): below_macr
3% of child offenders; first_appearance_late 2%; first_appearance_missing 1.5%
(no later detention); parent_not_notified_in_time 3%; no_legal_aid_by_first_appearance
3%; in pre-sentence detention review_missed 6%, not_charged_in_time 5%,
pretrial_too_long 4%; in a first detention stay held_with_adults 3%,
no_family_contact 4%, death_in_custody 0.5%, violence_in_custody 4%.

Ages keep a year's margin from every age limit, so a date of birth off by less than
a year (a partial date, a swapped day and month) cannot move a fact across a limit:
a child planted below_macr is 10-12 at the offence and under 13 at every fact; every
other child offender is at least 15 at the offence; every child with a planted
breach is under 17 at every fact up to the census date; adults are at least 19 at
every fact.
"""

from __future__ import annotations

from endvac.synth.effects import plant_recontact
from endvac.synth.journey import Context, Journey, Offence
from endvac.synth.pathways import ADULT_PATHWAYS, OFFENDER_PATHS, choose_pathway, offence_code
from endvac.synth.people import make_person
from endvac.synth.police import police_episode
from endvac.synth.schema import CENSUS_DAY, PERIOD_START
from endvac.synth.victims import victim_reports

ARREST_PLANS = (
    ("first_appearance_late", 0.02), ("parent_not_notified_in_time", 0.03),
    ("no_legal_aid_by_first_appearance", 0.03),
)
PRETRIAL_PLANS = (
    ("review_missed", 0.06), ("not_charged_in_time", 0.05), ("pretrial_too_long", 0.04),
)
CUSTODY_PLANS = (
    ("held_with_adults", 0.03), ("no_family_contact", 0.04), ("death_in_custody", 0.005),
    ("violence_in_custody", 0.04),
)
LONG_PLANS = frozenset(
    ("review_missed", "not_charged_in_time", "pretrial_too_long", "no_family_contact",
     "death_in_custody")
)
UNPLANTED_AGES = ((15, 37), (16, 28), (17, 35))
ADULT_AGES = (19, 21)
BELOW_MACR_AGES = (10, 12)
BELOW_MACR_AGE_CAP = 13
OFFENDER_MIN_AGE = 15
PLANTED_AGE_CAP = 17
ADULT_MIN_AGE = 19
PLANTED_SPAN_DAYS = 700


def breach_plan(ctx: Context, pathway: str, below_macr: bool) -> set[str]:
    """The breach kinds planted on one child offender."""
    rng = ctx.rng
    plan = {kind for kind, share in ARREST_PLANS if rng.random() < share}
    if below_macr:
        plan.add("below_macr")
    detained = pathway in ("pretrial", "direct_custody")
    if not detained and rng.random() < 0.015:
        plan.discard("first_appearance_late")
        plan.discard("no_legal_aid_by_first_appearance")
        plan.add("first_appearance_missing")
    if pathway == "pretrial":
        plan.update(kind for kind, share in PRETRIAL_PLANS if rng.random() < share)
    if detained:
        plan.update(kind for kind, share in CUSTODY_PLANS if rng.random() < share)
    return plan


def offender_age(ctx: Context, adult: bool, below_macr: bool) -> int:
    """Age in whole years at the offence (a planted child's is adjusted after its facts)."""
    rng = ctx.rng
    if adult:
        return rng.randint(*ADULT_AGES)
    if below_macr:
        return rng.randint(*BELOW_MACR_AGES)
    draw = rng.randrange(100)
    for age, weight in UNPLANTED_AGES:
        if draw < weight:
            return age
        draw -= weight
    return UNPLANTED_AGES[-1][0]


def birth_day_for(ctx: Context, offence_day: int, age: int) -> int:
    """A birth day giving ``age`` at the offence, 2 to 362 days past that birthday."""
    return ctx.cal.years_before(offence_day, age) - ctx.rng.randint(2, 362)


def fit_planted_birth_day(
    ctx: Context, journey: Journey, offence_day: int, below_macr: bool
) -> None:
    """Move a planted child's birth day (the least needed) inside the age margins.

    At least 10 (below_macr) or 15 at the offence, and under 13 (below_macr) or 17 on
    the last day of any fact (the census date while detained at it). Every fact of a
    planted child falls within PLANTED_SPAN_DAYS of the offence, so the range is never
    empty.
    """
    cal = ctx.cal
    floor, cap = (BELOW_MACR_AGES[0], BELOW_MACR_AGE_CAP) if below_macr else (
        OFFENDER_MIN_AGE, PLANTED_AGE_CAP
    )
    earliest = cal.years_before(journey.last_fact, cap) + 2
    latest = cal.years_before(offence_day, floor) - 2
    if earliest > latest:
        raise RuntimeError(f"no birth day fits the facts of {journey.person.key}")
    person = journey.person
    person.birth_day = min(max(person.birth_day, earliest), latest)


def victim_window(ctx: Context, journey: Journey, plan: set[str]) -> tuple[int, int]:
    """First and last day a victim report of an offender may concern (age margins kept)."""
    cal, birth_day = ctx.cal, journey.person.birth_day
    if not journey.child:
        return cal.birthday(birth_day, ADULT_MIN_AGE) + 2, CENSUS_DAY
    if not plan:
        return PERIOD_START - 60, CENSUS_DAY
    cap = BELOW_MACR_AGE_CAP if "below_macr" in plan else PLANTED_AGE_CAP
    return PERIOD_START - 60, min(CENSUS_DAY, cal.birthday(birth_day, cap) - 2)


def _first_arrest(journey: Journey) -> str:
    for _day, row in journey.events.get("police", ()):
        if row[5] == "arrest":
            return row[0]
    return ""


def simulate_person(ctx: Context, index: int) -> Journey:
    """Simulate every fact of person number ``index``."""
    rng, cal = ctx.rng, ctx.cal
    adult = rng.random() < 0.03
    pathway = rng.choice(ADULT_PATHWAYS) if adult else choose_pathway(rng.random())
    if pathway == "victim_only":
        return victim_only(ctx, index, adult)
    below_macr = not adult and rng.random() < 0.03
    plan = set() if adult else breach_plan(ctx, pathway, below_macr)
    latest = CENSUS_DAY - (340 if plan & LONG_PLANS else 40)
    offence_day = rng.randint(PERIOD_START, latest)
    birth_day = birth_day_for(ctx, offence_day, offender_age(ctx, adult, below_macr))
    person = make_person(rng, ctx.names, index, birth_day, 0.8)
    journey = Journey(person, ctx.ids, child=not adult)
    if plan:
        journey.horizon = min(CENSUS_DAY, offence_day + PLANTED_SPAN_DAYS)
    offence = Offence(offence_day, cal.iso(offence_day), offence_code(ctx), "")
    arrest_day = offence_day + rng.randint(0, 14)
    offence.police_case = ctx.ids.case("police", cal.year(arrest_day))
    OFFENDER_PATHS[pathway](ctx, journey, offence, arrest_day, plan)
    if not adult:
        journey.arrest_years.add(cal.year(arrest_day))
    again = None
    if pathway in ("police_only", "diversion", "court_free") and rng.random() < 0.06:
        # a child with a decision is re-arrested only as planted (synth/effects.py)
        again = None if below_macr or (ctx.effects and journey.decisions) else second_arrest(
            ctx, journey, arrest_day)
    journey.recontact_eligible = journey.child and not plan
    recontact = plant_recontact(ctx, journey)
    if plan:
        fit_planted_birth_day(ctx, journey, offence_day, below_macr)
    if again is not None and cal.age(person.birth_day, again[0]) < 18:
        journey.arrest_years.add(cal.year(again[1]))
    if recontact is not None and cal.age(person.birth_day, recontact) < 18:
        journey.arrest_years.add(cal.year(recontact))
    if below_macr:
        age = cal.age(person.birth_day, offence_day)
        journey.breaches.insert(
            0, ("below_macr", "police", _first_arrest(journey), f"age {age} at the offence")
        )
    if rng.random() < 0.06:
        victim_reports(ctx, journey, window=victim_window(ctx, journey, plan))
    return journey


def second_arrest(ctx: Context, journey: Journey, first_arrest: int) -> tuple[int, int] | None:
    """A later arrest, police contact only, with no planted breach: (offence, arrest) days.

    It is at least 30 days after the first, so its first appearance, parent notification
    and legal aid can never be taken for the first arrest's.
    """
    rng, cal = ctx.rng, ctx.cal
    offence_day = first_arrest + rng.randint(30, 400)
    if offence_day > CENSUS_DAY - 40:
        return None
    arrest_day = offence_day + rng.randint(0, 14)
    offence = Offence(
        offence_day, cal.iso(offence_day), offence_code(ctx),
        ctx.ids.case("police", cal.year(arrest_day)),
    )
    police_episode(ctx, journey, offence, arrest_day, set(), "")
    return offence_day, arrest_day


def victim_only(ctx: Context, index: int, adult: bool) -> Journey:
    """A person known only as a victim (an adult at least 19 at every offence date)."""
    rng = ctx.rng
    if adult:
        age = rng.randint(ADULT_MIN_AGE, ADULT_MIN_AGE + 1)
    else:
        age = min(rng.randint(0, 17), rng.randint(0, 17) + 6)
    report_day = rng.randint(PERIOD_START, CENSUS_DAY)
    reference = report_day - (60 if adult else rng.randint(0, 60))
    birth_day = birth_day_for(ctx, reference, age)
    person = make_person(rng, ctx.names, index, birth_day, 0.45)
    journey = Journey(person, ctx.ids, child=not adult)
    victim_reports(ctx, journey, report_day)
    return journey
