"""Draw one person: pathway, age, identity, planted breaches, and run the pathway.

Breach plans (shares of eligible children; adults are never planted): below_macr
3% of child offenders; first_appearance_late 2%; first_appearance_missing 1.5%
(no later detention); parent_not_notified_in_time 3%; no_legal_aid_by_first_appearance
3%; in pre-sentence detention review_missed 6%, not_charged_in_time 5%,
pretrial_too_long 4%; in a first detention stay held_with_adults 3%,
no_family_contact 4%, death_in_custody 0.5%, violence_in_custody 4%.
"""

from __future__ import annotations

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
CHILD_AGES = ((14, 15), (15, 22), (16, 28), (17, 35))


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
    """Age in whole years at the offence."""
    rng = ctx.rng
    if adult:
        return rng.randint(18, 20)
    if below_macr:
        return rng.randint(10, 13)
    draw = rng.randrange(100)
    for age, weight in CHILD_AGES:
        if draw < weight:
            return age
        draw -= weight
    return 17


def birth_day_for(ctx: Context, offence_day: int, age: int) -> int:
    """A birth day giving ``age`` at the offence, 2 to 362 days past that birthday."""
    return ctx.cal.years_before(offence_day, age) - ctx.rng.randint(2, 362)


def simulate_person(ctx: Context, index: int) -> Journey:
    """Simulate every fact of person number ``index``."""
    rng = ctx.rng
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
    offence = Offence(offence_day, ctx.cal.iso(offence_day), offence_code(ctx), "")
    arrest_day = offence_day + rng.randint(0, 14)
    offence.police_case = ctx.ids.case("police", ctx.cal.year(arrest_day))
    OFFENDER_PATHS[pathway](ctx, journey, offence, arrest_day, plan)
    if not adult:
        journey.arrest_years.add(ctx.cal.year(arrest_day))
    if pathway in ("police_only", "diversion", "court_free") and rng.random() < 0.06:
        second_arrest(ctx, journey, arrest_day)
    if rng.random() < 0.06:
        victim_reports(ctx, journey)
    return journey


def second_arrest(ctx: Context, journey: Journey, first_arrest: int) -> None:
    """A later arrest, police contact only, with no planted breach."""
    rng, cal = ctx.rng, ctx.cal
    offence_day = first_arrest + rng.randint(30, 400)
    birth_day = journey.person.birth_day
    if offence_day > CENSUS_DAY - 40 or cal.age(birth_day, offence_day - 2) < 14:
        return
    arrest_day = offence_day + rng.randint(0, 14)
    offence = Offence(
        offence_day, cal.iso(offence_day), offence_code(ctx),
        ctx.ids.case("police", cal.year(arrest_day)),
    )
    police_episode(ctx, journey, offence, arrest_day, set(), "")
    if cal.age(birth_day, offence_day) < 18:
        journey.arrest_years.add(cal.year(arrest_day))


def victim_only(ctx: Context, index: int, adult: bool) -> Journey:
    """A person known only as a victim."""
    rng = ctx.rng
    age = rng.randint(18, 19) if adult else min(rng.randint(0, 17), rng.randint(0, 17) + 6)
    report_day = rng.randint(PERIOD_START, CENSUS_DAY)
    birth_day = birth_day_for(ctx, report_day - rng.randint(0, 60), age)
    person = make_person(rng, ctx.names, index, birth_day, 0.45)
    journey = Journey(person, ctx.ids, child=not adult)
    victim_reports(ctx, journey, report_day)
    return journey
