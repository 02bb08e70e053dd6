"""A police episode: arrest, first appearance, parent notification, legal aid, custody.

Unplanted limits hold with a margin: first appearance 4-22 h after arrest, parent
notified within 22 h, legal aid at least 2 h before the first appearance.
"""

from __future__ import annotations

from endvac.synth.journey import Context, Journey, Offence
from endvac.synth.world import POLICE_STATIONS

HOUR = 60


def police_episode(
    ctx: Context, journey: Journey, offence: Offence, arrest_day: int, plan: set[str],
    custody_end: str,
) -> int | None:
    """Write one arrest and what follows it at police; the first appearance instant."""
    arrest = arrest_day * 1440 + ctx.rng.randrange(1440)
    arrest_id = journey.event(
        "police", arrest_day, ctx.cal.stamp(arrest), "arrest", case=offence.police_case,
        offence=offence.iso, role="offender", iccs=offence.iccs,
    )
    appearance, appearance_id = _first_appearance(ctx, journey, offence, arrest, plan, arrest_id)
    _parent_notification(ctx, journey, offence, arrest, plan, arrest_id)
    _legal_aid(ctx, journey, offence, arrest, (appearance, appearance_id), plan)
    if custody_end:
        _police_custody(ctx, journey, offence, arrest, appearance, custody_end)
    return appearance


def _police_event(
    ctx: Context, journey: Journey, offence: Offence, instant: int, event_type: str
) -> str:
    return journey.event(
        "police", instant // 1440, ctx.cal.stamp(instant), event_type,
        case=offence.police_case, offence=offence.dated(ctx.rng),
    )


def _first_appearance(
    ctx: Context, journey: Journey, offence: Offence, arrest: int, plan: set[str],
    arrest_id: str,
) -> tuple[int | None, str]:
    rng = ctx.rng
    if "first_appearance_missing" in plan:
        journey.breach("first_appearance_missing", "police", arrest_id, "no first appearance")
        return None, ""
    if "first_appearance_late" in plan:
        appearance = arrest + rng.randint(26 * HOUR, 72 * HOUR)
    else:
        appearance = arrest + rng.randint(4 * HOUR, 22 * HOUR)
    event_id = _police_event(ctx, journey, offence, appearance, "first_appearance")
    if "first_appearance_late" in plan:
        hours = (appearance - arrest) / HOUR
        journey.breach(
            "first_appearance_late", "police", f"{arrest_id} {event_id}",
            f"first appearance {hours:.1f} h after arrest",
        )
    return appearance, event_id


def _parent_notification(
    ctx: Context, journey: Journey, offence: Offence, arrest: int, plan: set[str],
    arrest_id: str,
) -> None:
    rng = ctx.rng
    if "parent_not_notified_in_time" not in plan:
        _police_event(ctx, journey, offence, arrest + rng.randint(15, 22 * HOUR), "parent_notified")
        return
    if rng.random() < 0.3:
        journey.breach("parent_not_notified_in_time", "police", arrest_id, "never notified")
        return
    notified = arrest + rng.randint(26 * HOUR, 96 * HOUR)
    event_id = _police_event(ctx, journey, offence, notified, "parent_notified")
    journey.breach(
        "parent_not_notified_in_time", "police", f"{arrest_id} {event_id}",
        f"notified {(notified - arrest) / HOUR:.1f} h after arrest",
    )


def _legal_aid(
    ctx: Context, journey: Journey, offence: Offence, arrest: int,
    first_appearance: tuple[int | None, str], plan: set[str],
) -> None:
    rng = ctx.rng
    appearance, appearance_id = first_appearance
    if appearance is None:
        _police_event(ctx, journey, offence, arrest + rng.randint(15, 20 * HOUR), "legal_aid")
        return
    if "no_legal_aid_by_first_appearance" not in plan:
        assisted = arrest + rng.randint(15, appearance - arrest - 2 * HOUR)
        _police_event(ctx, journey, offence, assisted, "legal_aid")
        return
    facts = ""
    detail = "no legal aid"
    if rng.random() < 0.6:
        assisted = appearance + rng.randint(2 * HOUR, 72 * HOUR)
        facts = _police_event(ctx, journey, offence, assisted, "legal_aid")
        detail = f"legal aid {(assisted - appearance) / HOUR:.1f} h after first appearance"
    journey.breach(
        "no_legal_aid_by_first_appearance", "police", f"{appearance_id} {facts}".strip(), detail
    )


def _police_custody(
    ctx: Context, journey: Journey, offence: Offence, arrest: int, appearance: int | None,
    end_reason: str,
) -> None:
    rng = ctx.rng
    end = appearance if appearance is not None else arrest + rng.randint(2 * HOUR, 20 * HOUR)
    region = journey.person.region
    if rng.random() < 0.1:
        region = rng.choice(tuple(POLICE_STATIONS))
    journey.spell(
        "police", arrest // 1440, ctx.cal.stamp(arrest), ctx.cal.stamp(end), end_reason,
        basis="police_custody", facility=POLICE_STATIONS[region], case=offence.police_case,
        origin="", held="n", iccs=offence.iccs, last_day=end // 1440,
    )
    journey.stays.append(("police_custody", end // 1440))

