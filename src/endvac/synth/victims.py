"""Victim reports recorded by victim services (role victim, ICCS sections 01-05)."""

from __future__ import annotations

from endvac.synth.journey import Context, Journey, VictimCase
from endvac.synth.schema import CENSUS_DAY, PERIOD_START
from endvac.synth.victim_pathway import case_pathway

VICTIM_CODES = (
    ("0201", 28), ("02011", 8), ("0401", 12), ("03011", 10), ("0301", 8), ("0302", 8),
    ("03022", 8), ("0204", 5), ("0101", 2), ("0502", 11),
)
CYBER_SHARE = {"0302": 0.45, "03022": 0.6, "0301": 0.15}


def victim_code(draw: int) -> str:
    """The ICCS code of a victim report for a draw in 0..99."""
    for code, weight in VICTIM_CODES:
        if draw < weight:
            return code
        draw -= weight
    return VICTIM_CODES[0][0]


def vac_categories(code: str, cyber: str) -> tuple[str, ...]:
    """The VAC indicators a victim report counts in (before the age test)."""
    found = []
    if code[:2] in ("01", "02", "03", "04"):
        found.append("VAC1")
    if code.startswith("0101"):
        found.append("VAC2")
    if code.startswith(("0301", "0302")):
        found.append("VAC3")
    if code.startswith("0204"):
        found.append("VAC4")
    if cyber == "y":
        found.append("VAC6")
    return tuple(found)


def victim_reports(
    ctx: Context, journey: Journey, first_report: int = 0,
    window: tuple[int, int] = (PERIOD_START - 60, CENSUS_DAY),
) -> None:
    """One report (90%) or two, each with its offence date 0-60 days earlier.

    When the first report is drawn here, the offence and report dates fall inside
    ``window`` (first, last day).
    """
    rng, cal = ctx.rng, ctx.cal
    first, last = max(window[0], PERIOD_START - 60), window[1]
    if not first_report and first + 60 > last:
        return
    report_day = first_report or rng.randint(first + 60, last)
    for number in range(1 if rng.random() < 0.9 else 2):
        if number:
            report_day += rng.randint(20, 300)
            if report_day > last:
                return
        offence_day = report_day - rng.randint(0, 60)
        code = victim_code(rng.randrange(100))
        draw = rng.random()
        cyber = "" if draw < 0.1 else ("y" if rng.random() < CYBER_SHARE.get(code, 0.08) else "n")
        case = ctx.ids.case("victim_services", cal.year(report_day))
        dated = rng.random() < 0.9
        offence = cal.iso(offence_day) if dated else ""
        written = journey.event(
            "victim_services", report_day, cal.iso(report_day), "victim_report", case=case,
            offence=offence, role="victim", iccs=code, cyber=cyber,
        )
        reference_day = offence_day if dated else report_day
        child = cal.age(journey.person.birth_day, reference_day) < 18
        if child:
            year = cal.year(report_day)
            journey.victim_cells.update((year, cat) for cat in vac_categories(code, cyber))
        if written:
            victim_case = VictimCase(report_day, reference_day, child, journey.person.region)
            case_pathway(ctx, journey, victim_case, case, offence, last)
            journey.victim_cases.append(victim_case)
