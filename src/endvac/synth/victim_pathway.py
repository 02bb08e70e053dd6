"""The victims' pathway of one victim report: investigation, charge, verdict, support
and interviews, recorded by victim services in the report's case (a real country may
deliver them from police, prosecution and court with origin_case_ref).

Shares of reports: investigated 85%; a suspect charged 45% (14-120 days after the
report); a verdict for 75% of the charged (60-300 days after the charge; 150 days more
when the child lives in SLOW_REGION, the planted regional delay); investigations without
a charge closed 60-240 days after the report. Support for 70% of the victims (each type
drawn apart, at least one; 3% of support rows without a type); interviews: none 7%, one
50%, two 28%, three 15%. Events after the horizon are not written, as in the rest of the
simulation. Draws come from a generator of the case alone, so the rest of the country is
the same with or without this module."""

from __future__ import annotations

import random
from collections.abc import Callable

from endvac.synth.journey import Context, Journey, VictimCase

SLOW_REGION = "SOU2"
SLOW_EXTRA_DAYS = 150
SUPPORT_SHARES = (("medical", 0.35), ("psychosocial", 0.5), ("legal", 0.3),
                  ("shelter", 0.08), ("compensation", 0.05))
VERDICTS = (("convicted", 0.6), ("acquitted", 0.15), ("dismissed", 0.15), ("withdrawn", 0.1))
CLOSINGS = ("no_suspect", "insufficient_evidence", "insufficient_evidence", "no_offence",
            "other")


def _pick(rng: random.Random, shares: tuple[tuple[str, float], ...]) -> str:
    draw = rng.random()
    for value, share in shares:
        if draw < share:
            return value
        draw -= share
    return shares[-1][0]


Write = Callable[[int, str, str], bool]


def case_pathway(ctx: Context, journey: Journey, case: VictimCase, case_id: str,
                 offence: str, last_day: int) -> None:
    """Write the later events of the report of ``case`` (case number ``case_id``; offence
    date ``offence``, may be empty) up to ``last_day`` (the report window's end: a planted
    child's facts all fall before a birthday) and record in ``case`` what was written."""
    rng = random.Random(f"victim-pathway/{case_id}/{journey.person.key}/"
                        f"{journey.person.birth_day}")
    day = case.report_day

    def event(on: int, kind: str, measure: str = "") -> bool:
        if on > last_day:
            return False
        return bool(journey.event("victim_services", on, ctx.cal.iso(on), kind, case=case_id,
                                  offence=offence, measure=measure))

    if rng.random() < 0.85:
        event(day + rng.randint(0, 20), "investigation_opened", "")
        if rng.random() < 0.53:
            charge = day + rng.randint(14, 120)
            case.charged = event(charge, "suspect_charged", "")
            event(charge, "investigation_closed", "referred")
            if rng.random() < 0.75:
                delay = rng.randint(60, 300)
                delay += SLOW_EXTRA_DAYS if case.region == SLOW_REGION else 0
                if event(charge + delay, "suspect_verdict", _pick(rng, VERDICTS)):
                    case.decision_day = charge + delay
        else:
            event(day + rng.randint(60, 240), "investigation_closed", rng.choice(CLOSINGS))
    _support(rng, case, event)
    _interviews(rng, case, event, dated=bool(offence))


def _support(rng: random.Random, case: VictimCase, event: Write) -> None:
    if rng.random() >= 0.7:
        return
    kinds = [kind for kind, share in SUPPORT_SHARES if rng.random() < share] or ["psychosocial"]
    for kind in kinds:
        on = case.report_day + rng.randint(0, 90)
        if event(on, "victim_support", "" if rng.random() < 0.03 else kind):
            case.support_days.append(on)


def _interviews(rng: random.Random, case: VictimCase, event: Write, dated: bool) -> None:
    """Interviews; each one's reference day is the offence's when the rows carry its date,
    else its own (the age test of an interview, as for any event)."""
    draw = rng.random()
    count = 0 if draw < 0.07 else 1 if draw < 0.57 else 2 if draw < 0.85 else 3
    on = case.report_day
    for number in range(count):
        on += rng.randint(1, 10) if number == 0 else rng.randint(14, 120)
        measure = (rng.choice(("specialised", "specialised", "specialised", "video_link",
                               "in_court")) if number == 0
                   else rng.choice(("repeated", "repeated", "in_court")))
        if event(on, "child_interview", measure):
            case.interviews.append((on, case.reference_day if dated else on))
