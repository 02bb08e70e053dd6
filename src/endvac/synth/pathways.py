"""One person's path through the system, from the offence (or victimisation) on.

Shares of all persons: victim only 15%, police contact only 40%, diversion 14%,
court without detention 14%, pre-sentence detention 15%, sentenced custody without
pre-sentence detention 2%; 6% of offenders are also reported as victims.
"""

from __future__ import annotations

from endvac.synth.custody import detention_stay, stay_events
from endvac.synth.effects import court_delay
from endvac.synth.journey import Context, Journey, Offence
from endvac.synth.police import police_episode
from endvac.synth.proceedings import (
    NON_CUSTODIAL,
    aftercare,
    agency_case,
    charge,
    court_event,
    detention_reviews,
    diversion,
    judgment,
    pre_sentence_charge,
)
from endvac.synth.schema import CENSUS_DAY, RELEASE_REASONS

PATHWAYS = (
    ("victim_only", 0.15), ("police_only", 0.40), ("diversion", 0.14), ("court_free", 0.14),
    ("pretrial", 0.15), ("direct_custody", 0.02),
)
ADULT_PATHWAYS = ("victim_only", "police_only", "police_only", "diversion", "court_free")
MAX_PRE_SENTENCE_DAYS = 178
OFFENCE_CODES = (
    ("0502", 30), ("0201", 20), ("0401", 12), ("0601", 12), ("0501", 10), ("0801", 8),
    ("0301", 4), ("0901", 3), ("0101", 1),
)


def choose_pathway(draw: float) -> str:
    """The pathway whose cumulative share first exceeds ``draw``."""
    total = 0.0
    for name, share in PATHWAYS:
        total += share
        if draw < total:
            return name
    return PATHWAYS[-1][0]


def offence_code(ctx: Context) -> str:
    """An offender's offence (ICCS), weighted towards property offences."""
    draw = ctx.rng.randrange(100)
    for code, weight in OFFENCE_CODES:
        if draw < weight:
            return code
        draw -= weight
    return OFFENCE_CODES[0][0]


def court_first_appearance(
    ctx: Context, journey: Journey, offence: Offence, court_case: str, appearance: int | None
) -> None:
    """40% of court cases also record the first appearance (same instant as police)."""
    if appearance is not None and ctx.rng.random() < 0.4:
        court_event(
            ctx, journey, offence, court_case, appearance // 1440, "first_appearance",
            when=ctx.cal.stamp(appearance),
        )


def police_only(
    ctx: Context, journey: Journey, offence: Offence, arrest_day: int, plan: set[str]
) -> None:
    """Arrest and release; 60% spend time in police custody."""
    custody = ctx.rng.choice(("released", "bail")) if ctx.rng.random() < 0.6 else ""
    police_episode(ctx, journey, offence, arrest_day, plan, custody)


def diverted(
    ctx: Context, journey: Journey, offence: Offence, arrest_day: int, plan: set[str]
) -> None:
    """Arrest, then diversion by the prosecution service."""
    custody = "released" if ctx.rng.random() < 0.4 else ""
    police_episode(ctx, journey, offence, arrest_day, plan, custody)
    diversion(ctx, journey, offence, arrest_day + ctx.rng.randint(3, 60))


def court_free(
    ctx: Context, journey: Journey, offence: Offence, arrest_day: int, plan: set[str]
) -> None:
    """Arrest, charge, trial; a non-custodial sentence or an acquittal."""
    rng = ctx.rng
    custody = "released" if rng.random() < 0.4 else ""
    appearance = police_episode(ctx, journey, offence, arrest_day, plan, custody)
    charged = arrest_day + rng.randint(3, 45)
    charge(ctx, journey, offence, charged)
    court_case = agency_case(ctx, "court", charged)
    court_first_appearance(ctx, journey, offence, court_case, appearance)
    sentence = rng.choice(NON_CUSTODIAL) if rng.random() < 0.7 else ""
    judgment(ctx, journey, offence, court_case,
             charged + court_delay(ctx, journey, rng.randint(20, 200)), sentence)


def pre_sentence_length(ctx: Context, plan: set[str], lead: int) -> int:
    """Days of pre-sentence detention: at most 178 unless planted too long.

    ``lead`` is the days from the arrest to the start (0-4): the limit holds counted
    from the arrest too, for an engine that chains police custody into the stay.
    """
    rng = ctx.rng
    if "pretrial_too_long" in plan:
        return rng.randint(185, 320)
    longest = MAX_PRE_SENTENCE_DAYS - lead
    length = min(rng.randint(3, longest), rng.randint(3, longest))
    if "not_charged_in_time" in plan:
        length = max(length, rng.randint(65, 150))
    if "review_missed" in plan:
        length = max(length, rng.randint(45, 150))
    if "no_family_contact" in plan:
        length = max(length, rng.randint(130, longest))
    return length


def pretrial(
    ctx: Context, journey: Journey, offence: Offence, arrest_day: int, plan: set[str]
) -> None:
    """Police custody, pre-sentence detention, then a judgment and perhaps custody."""
    rng = ctx.rng
    appearance = police_episode(ctx, journey, offence, arrest_day, plan, "transferred")
    start = (appearance or arrest_day * 1440) // 1440 + (1 if rng.random() < 0.3 else 0)
    draw = rng.random()
    outcome = "sentenced" if draw < 0.4 else ("bail" if draw < 0.75 else "released")
    if "death_in_custody" in plan:
        outcome = "death"
    lead = start - arrest_day
    stay = detention_stay(
        ctx, journey, offence, "pre_sentence", start, pre_sentence_length(ctx, plan, lead),
        outcome, plan,
    )
    stay_events(ctx, journey, offence, stay, plan)
    pre_sentence_charge(ctx, journey, offence, stay, plan)
    court_case = agency_case(ctx, "court", start)
    court_first_appearance(ctx, journey, offence, court_case, appearance)
    detention_reviews(ctx, journey, offence, court_case, stay, plan, lead)
    if stay.is_open or outcome == "death":
        return
    if outcome in RELEASE_REASONS:
        aftercare(ctx, journey, stay.end)
    if outcome == "released":
        judgment(ctx, journey, offence, court_case, stay.end, "")
    elif outcome == "bail":
        sentence = rng.choice(NON_CUSTODIAL) if rng.random() < 0.7 else ""
        judgment(ctx, journey, offence, court_case,
                 stay.end + court_delay(ctx, journey, rng.randint(10, 150)), sentence)
    else:
        length = judgment(ctx, journey, offence, court_case, stay.end, "custodial")
        sentenced_stay(ctx, journey, offence, stay.end, max(30, length - (stay.end - start)))


def sentenced_stay(
    ctx: Context, journey: Journey, offence: Offence, start: int, length: int,
    plan: frozenset[str] | set[str] = frozenset(),
) -> None:
    """A sentenced stay, its events and aftercare after release."""
    rng = ctx.rng
    plan = set(plan)
    if journey.horizon < CENSUS_DAY:
        length = min(length, journey.horizon - start)
    reason = "death" if "death_in_custody" in plan else (
        "sentence_completed" if rng.random() < 0.8 else "released"
    )
    stay = detention_stay(ctx, journey, offence, "sentenced", start, length, reason, plan)
    stay_events(ctx, journey, offence, stay, plan)
    if not stay.is_open and reason in RELEASE_REASONS:
        journey.decisions.append(("custodial", stay.end))
        aftercare(ctx, journey, stay.end)


def direct_custody(
    ctx: Context, journey: Journey, offence: Offence, arrest_day: int, plan: set[str]
) -> None:
    """Charged and tried while free, then sentenced to custody."""
    rng = ctx.rng
    appearance = police_episode(ctx, journey, offence, arrest_day, plan, "released")
    charged = arrest_day + rng.randint(3, 30)
    charge(ctx, journey, offence, charged)
    court_case = agency_case(ctx, "court", charged)
    court_first_appearance(ctx, journey, offence, court_case, appearance)
    sentenced = charged + rng.randint(20, 120)
    if sentenced > CENSUS_DAY:
        judgment(ctx, journey, offence, court_case, sentenced, "custodial")
        return
    length = judgment(ctx, journey, offence, court_case, sentenced, "custodial")
    if "death_in_custody" in plan:
        length = rng.randint(20, 150)
    if "no_family_contact" in plan:
        length = max(length, 130)
    sentenced_stay(ctx, journey, offence, sentenced, length, plan)


OFFENDER_PATHS = {
    "police_only": police_only,
    "diversion": diverted,
    "court_free": court_free,
    "pretrial": pretrial,
    "direct_custody": direct_custody,
}
