"""Prosecution, court and social-services facts that follow an arrest or a stay.

Unplanted margins: a child in pre-sentence detention is charged within 24 days of
its start (28 days of the arrest) and reviewed every 5-12 days (first review within
12 days of the arrest), the last review less than 12 days before the stay's end or
the census date; aftercare follows half of the releases within 28 days.
"""

from __future__ import annotations

from endvac.synth.custody import Stay
from endvac.synth.journey import Context, Journey, Offence

DIVERSION_MEASURES = ("warning", "restorative_justice", "mediation", "community_programme", "other")
NON_CUSTODIAL = (
    "suspended_custodial", "community_service", "probation", "fine", "reprimand",
    "other_non_custodial",
)
WITH_LENGTH = ("custodial", "suspended_custodial", "community_service", "probation")


def _origin(ctx: Context, offence: Offence) -> str:
    """origin_case_ref: the police case number, carried on 90% of later rows."""
    return offence.police_case if ctx.rng.random() < 0.9 else ""


def agency_case(ctx: Context, agency: str, day: int) -> str:
    """A new case number of ``agency`` opened on ``day``."""
    return ctx.ids.case(agency, ctx.cal.year(day))


def diversion(ctx: Context, journey: Journey, offence: Offence, day: int) -> None:
    """A diversion decided by the prosecution service, and its completion."""
    rng, cal = ctx.rng, ctx.cal
    case = agency_case(ctx, "prosecution", day)
    draw = rng.random()
    authority = "prosecutor" if draw < 0.7 else ("police" if draw < 0.85 else "court")
    journey.event(
        "prosecution", day, cal.iso(day), "diversion", case=case, origin=_origin(ctx, offence),
        offence=offence.dated(rng), iccs=offence.iccs, authority=authority,
        measure=rng.choice(DIVERSION_MEASURES),
    )
    done = day + rng.randint(30, 180)
    origin, dated = _origin(ctx, offence), offence.dated(rng)
    outcome = "completed" if rng.random() < 0.8 else "failed"
    if journey.event(
        "prosecution", done, cal.iso(done), "diversion_completed", case=case,
        origin=origin, offence=dated, measure=outcome,
    ):
        journey.decisions.append((f"diversion_{outcome}", done))


def charge(
    ctx: Context, journey: Journey, offence: Offence, day: int
) -> str:
    """A charge by the prosecution service; its event_id ('' when after the census)."""
    return journey.event(
        "prosecution", day, ctx.cal.iso(day), "charge", case=agency_case(ctx, "prosecution", day),
        origin=_origin(ctx, offence), offence=offence.dated(ctx.rng), iccs=offence.iccs,
    )


def court_event(
    ctx: Context, journey: Journey, offence: Offence, court_case: str, day: int,
    event_type: str, *, measure: str = "", length: str = "", when: str = "",
) -> str:
    """One court event of a court case."""
    return journey.event(
        "court", day, when or ctx.cal.iso(day), event_type, case=court_case,
        origin=_origin(ctx, offence), offence=offence.dated(ctx.rng), iccs=offence.iccs,
        measure=measure, length=length,
    )


def judgment(
    ctx: Context, journey: Journey, offence: Offence, court_case: str, day: int,
    sentence: str,
) -> int:
    """A verdict and, unless ``sentence`` is empty, a sentence; the length in days."""
    rng = ctx.rng
    if not sentence:
        verdict = rng.choice(("acquitted", "acquitted", "dismissed", "withdrawn"))
        court_event(ctx, journey, offence, court_case, day, "verdict", measure=verdict)
        return 0
    court_event(ctx, journey, offence, court_case, day, "verdict", measure="convicted")
    length = 0
    if sentence == "custodial":
        length = rng.randint(60, 540)
    elif sentence in WITH_LENGTH:
        length = rng.randint(90, 1095)
    day += 0 if sentence == "custodial" else rng.randint(0, 21)
    measure = sentence if sentence == "custodial" or rng.random() < 0.98 else ""
    if court_event(
        ctx, journey, offence, court_case, day, "sentence", measure=measure,
        length=str(length) if length else "",
    ) and measure not in ("", "custodial"):
        journey.decisions.append(("non_custodial", day))
    return length


def pre_sentence_charge(
    ctx: Context, journey: Journey, offence: Offence, stay: Stay, plan: set[str]
) -> None:
    """The charge of a child in pre-sentence detention, late when planted."""
    rng = ctx.rng
    if "not_charged_in_time" not in plan:
        charge(ctx, journey, offence, stay.start + rng.randint(0, 24))
        return
    delay = rng.randint(32, 60)
    event_id = charge(ctx, journey, offence, stay.start + delay)
    journey.breach(
        "not_charged_in_time", "detention", f"{stay.spells[0][3]} {event_id}".strip(),
        f"charged {delay} days after pre-sentence detention began",
    )


def detention_reviews(
    ctx: Context, journey: Journey, offence: Offence, court_case: str, stay: Stay,
    plan: set[str], lead: int,
) -> None:
    """Court reviews of a pre-sentence stay, one gap of 17-25 days when planted.

    The first review is within 12 days of the arrest (``lead`` days before the start).
    """
    rng, cal = ctx.rng, ctx.cal
    planted = "review_missed" in plan
    day = stay.start + rng.randint(3, 12 - lead)
    previous = day
    while day <= stay.last_day:
        court_event(ctx, journey, offence, court_case, day, "detention_review")
        previous = day
        if planted:
            day += rng.randint(17, 25)
            if day > stay.last_day:
                raise RuntimeError("a planted review gap must end inside its stay")
            journey.breach(
                "review_missed", "detention", stay.spell_ids(),
                f"no review from {cal.iso(previous)} for {day - previous} days",
            )
            planted = False
        else:
            day += rng.randint(5, 12)


def aftercare(ctx: Context, journey: Journey, release_day: int) -> None:
    """Aftercare by social services: half within 28 days, a fifth later, the rest none."""
    rng = ctx.rng
    draw = rng.random()
    if draw >= 0.7:
        return
    day = release_day + (rng.randint(0, 28) if draw < 0.5 else rng.randint(35, 150))
    if journey.event("social_services", day, ctx.cal.iso(day), "aftercare"):
        journey.aftercare.append(day)
