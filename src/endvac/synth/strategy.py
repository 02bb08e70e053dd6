"""A sample national prevention strategy for the synthetic country (strategy.yaml).

Regions, agencies and indicator ids match the synthetic deliveries. Planted on purpose
(docs/synthetic.md): two possible duplications (S02/S03: police and the Ministry of
Justice both train on diversion in NOR2 in 2025; S06/S07: UNICEF and the Ministry of
Education both run awareness for girls in SOU2), near misses (S04 is the police's own
second training, in NOR1 where the ministry does not train; S10 is cancelled), and a gap:
no action that runs reaches district NOR3 (only the cancelled S10 lists it).
Standard library only, like the rest of the generator: the YAML is written as text."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from endvac.synth.world import DISTRICTS

STRATEGY_FILE: Final = "strategy.yaml"

HEAD: Final = """\
# Sample national prevention strategy of the synthetic country (docs/synthetic.md).
# Import it: endvac strategy import WORKSPACE strategy.yaml; check it: endvac strategy check.
strategy:
  title: National Strategy to Prevent Violence against Children in the Justice System 2024-2030
  period_start: 2024
  period_end: 2030
  owner_institution: Ministry of Justice
  adoption_status: adopted
  adoption_date: 2024-06-01
assessments:
"""

# respondent, institution, respondent_type, scores of bases 1-7
ASSESSMENTS: Final = (
    ("Strategy focal point", "Ministry of Justice", "government", (3, 2, 2, 2, 3, 3, 2)),
    ("Juvenile unit head", "National Police", "police", (3, 1, 2, 1, 2, 2, 1)),
    ("Coalition secretariat", "Child Rights Coalition", "civil_society", (2, 1, 2, 1, 2, 1, 1)),
    ("Consultation of 36 children", "Children's Council", "children_consultation",
     (1, 2, 1, 1, 1, 1, 0)),
    ("Programme officer", "UNODC country office", "international", (3, 2, 3, 2, 3, 2, 2)),
)

CHECKLIST: Final = """\
checklist:
  - {model_strategy: 1, status: in_place, note: Juvenile Justice Act 2016}
  - {model_strategy: 3, status: in_progress, note: endvac situation analysis}
  - {model_strategy: 8, status: in_progress}
  - {model_strategy: 9, status: in_progress, note: Diversion pilots in Northmark}
  - {model_strategy: 11, status: planned}
  - {model_strategy: 14, status: not_started}
  - {model_strategy: 15, status: in_place, note: Ombudsperson Act 2018}
"""

ACTIONS: Final = """\
actions:
  - {id: S01, objective: Adopt the diversion regulation, action_type: legislation, bases: [6],
     model_strategies: [9], lead_agency: Ministry of Justice, partners: [Parliament],
     regions: [NOR1, NOR2, SOU1, SOU2, SOU3], age_min: 12, age_max: 17, sex: any,
     role: offender, start: 2024-09-01, end: 2025-12-31, status: ongoing, progress: 70}
  - {id: S02, objective: Train police officers in diversion, action_type: training,
     bases: [5], model_strategies: [8, 9], lead_agency: National Police, partners: [UNODC],
     regions: [NOR1, NOR2], age_min: 14, age_max: 17, sex: any, role: offender,
     start: 2025-01-15, end: 2025-11-30, budget: 42000, status: ongoing, progress: 55}
  - {id: S03, objective: Diversion training for justice actors, action_type: training,
     bases: [5], model_strategies: [8], lead_agency: Ministry of Justice,
     regions: [NOR2], age_min: 12, age_max: 17, sex: any, role: offender,
     start: 2025-03-01, end: 2026-02-28, budget: 38000, status: ongoing, progress: 20}
  - {id: S04, objective: Police refresher on child interviews, action_type: training,
     bases: [5], lead_agency: National Police, regions: [NOR1], age_min: 12, age_max: 17,
     role: offender, start: 2025-04-01, end: 2025-06-30, status: completed, progress: 100}
  - {id: S05, objective: Bail support instead of remand, action_type: detention_alternatives,
     bases: [6], model_strategies: [11], lead_agency: Social Services Agency,
     partners: [Juvenile Detention Service], regions: [SOU1, SOU2], age_min: 14, age_max: 17,
     role: offender, start: 2025-01-01, end: 2027-12-31, budget: 120000, status: ongoing,
     progress: 30}
  - {id: S06, objective: Safe to speak awareness campaign, action_type: awareness, bases: [3],
     model_strategies: [2], lead_agency: UNICEF country office, regions: [SOU1, SOU2],
     age_min: 12, age_max: 17, sex: any, role: any, start: 2024-10-01, end: 2026-09-30,
     budget: 25000, status: ongoing, progress: 40}
  - {id: S07, objective: Girls' safety clubs, action_type: awareness, bases: [2, 3],
     model_strategies: [2], lead_agency: Ministry of Education, regions: [SOU2],
     age_min: 12, age_max: 15, sex: f, role: victim, start: 2025-02-01, status: ongoing}
  - {id: S08, objective: Victim support desks at courts, action_type: victim_support,
     bases: [4], model_strategies: [5], lead_agency: Victim Support Service,
     regions: [NOR1, SOU1], age_min: 12, age_max: 17, role: victim, start: 2025-05-01,
     budget: 60000, status: ongoing, progress: 25}
  - {id: S09, objective: Link agency records for the situation analysis,
     action_type: data_system, bases: [7], model_strategies: [3],
     lead_agency: National Statistics Office, partners: [Ministry of Justice, UNODC],
     regions: [NOR1, NOR2, SOU1, SOU2, SOU3], start: 2024-06-01, end: 2026-06-30,
     status: ongoing, progress: 50}
  - {id: S10, objective: Unannounced inspections of police cells, action_type: inspection,
     bases: [6], model_strategies: [15], lead_agency: Ombudsperson, regions: [NOR3, SOU2],
     age_min: 12, age_max: 17, start: 2025-01-01, end: 2025-12-31, status: cancelled}
"""

TARGETS: Final = """\
targets:
  - {id: T1, indicator_id: JJ2, baseline_year: 2024, target_value: @JJ2@, target_date: 2030-12-31}
  - {id: T2, indicator_id: JJ3, baseline_year: 2024, target_value: @JJ3@, target_date: 2028-12-31}
  - {id: T3, indicator_id: JJ8, baseline_year: 2024, target_value: 99, target_date: 2027-12-31}
  - {id: T4, indicator_id: SG1, baseline_year: 2024, target_value: 99, target_date: 2026-12-31}
"""

# training id, title, date, region, professions, participants by profession
TRAININGS: Final = (
    ("TR1", "Diversion for police officers", "2025-03-12", "NOR1", ("police",), (("police", 14),)),
    ("TR2", "Diversion for police officers", "2025-05-20", "NOR2", ("police",), (("police", 12),)),
    ("TR3", "Child-friendly justice", "2025-06-10", "NOR2", ("prosecutors", "judges"),
     (("prosecutors", 6), ("judges", 4))),
    ("TR4", "Bail support casework", "2025-04-08", "SOU1", ("social_workers",),
     (("social_workers", 9),)),
    ("TR5", "Safe restraint and de-escalation", "2025-09-15", "SOU1", ("detention_staff",),
     (("detention_staff", 11),)),
)
STAFF: Final = (("police", 60), ("prosecutors", 8), ("judges", 6), ("social_workers", 15),
                ("detention_staff", 30))


def _participants() -> list[str]:
    lines = ["participants:"]
    for tid, _title, _day, region, _profs, groups in TRAININGS:
        for profession, count in groups:
            for n in range(1, count + 1):
                code = f"{profession[:3].upper()}-{region}-{n:03d}"
                sex = "f" if n % 2 else "m"
                pre, post = 40 + (n * 7) % 30, 65 + (n * 11) % 30
                lines.append(f"  - {{training: {tid}, participant: {code}, profession: "
                             f"{profession}, sex: {sex}, pre_score: {pre}, post_score: {post}}}")
    return lines


def strategy_text(jj2_target: float = 40, jj3_target: float = 20) -> str:
    """The sample strategy as YAML text."""
    lines = [HEAD.rstrip("\n")]
    for respondent, institution, kind, scores in ASSESSMENTS:
        for basis, score in enumerate(scores, 1):
            lines.append(f"  - {{respondent: {respondent}, institution: {institution}, "
                         f"respondent_type: {kind}, basis: {basis}, score: {score}}}")
    targets = TARGETS.replace("@JJ2@", f"{jj2_target:g}").replace("@JJ3@", f"{jj3_target:g}")
    lines += [CHECKLIST.rstrip("\n"), ACTIONS.rstrip("\n"), targets.rstrip("\n"), "trainings:"]
    for tid, title, day, region, profs, _groups in TRAININGS:
        lines.append(f"  - {{id: {tid}, title: {title}, date: {day}, region: {region}, "
                     f"professions: [{', '.join(profs)}]}}")
    lines += _participants()
    lines.append("staff:")
    for district in DISTRICTS:
        for profession, count in STAFF:
            lines.append(f"  - {{profession: {profession}, region: {district}, "
                         f"staff: {count}}}")
    return "\n".join(lines) + "\n"


def write_strategy(out: Path) -> Path:
    """Write strategy.yaml into ``out``."""
    path = out / STRATEGY_FILE
    path.write_text(strategy_text(), encoding="utf-8")
    return path
