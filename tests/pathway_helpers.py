"""A hand-made cohort for the pathway and outcome tests: twelve children (A-L) followed
across police, court, detention and social services, linked by a person map.

Dates of birth: 2009-01-01 (18 on 2027-01-01, after the data) except H (2007-03-01,
18 on 2025-03-01) and L (2007-06-01, 18 on 2025-06-01). Regions: D1, except G and L (D2).
The data end on 2025-12-31 (K's arrest, the last fact).

A  arrest 2024-01-10 (case PA); diversion 2024-02-01 by the prosecutor (mediation),
   completed 2024-04-01; re-arrest 2024-10-01 (case PA2).
B  arrest 2024-02-01 (PB); diversion 2024-02-15 by the police (warning), failed 2024-05-01.
C  arrest 2024-03-01 (PC); charge 2024-03-11; convicted 2024-05-10, probation the same
   day; re-arrest 2024-08-08 (PC2).
D  arrest 2024-04-01 (PD) and police custody to 2024-04-02 (transferred); pre-trial
   detention 2024-04-02 to 2024-07-01 (sentenced); charge 2024-04-10; convicted and a
   custodial sentence 2024-07-01; sentenced custody 2024-07-01 to 2025-01-01 (completed);
   aftercare 2025-01-15 (no case); re-arrest 2025-03-01 (PD2).
E  arrest 2024-05-01 (PE); charge 2024-05-20; no verdict yet.
F  arrest 2024-06-01 (PF); nothing more.
G  arrest 2024-07-01 (PG); charge 2024-07-15; acquitted 2024-09-15.
H  arrest 2024-08-01 (PH); diversion 2024-08-10 by the prosecutor (restorative justice),
   completed 2024-12-01; re-arrest 2025-06-01 (PH2), at 18.
I  arrest 2023-11-01 (PI): first contact before 2024.
J  arrest 2024-10-01 (PJ); diversion 2024-10-05 by the court (warning), completed
   2025-02-01; an arrest in the same case PJ 2025-02-10; re-arrest 2025-08-01 (PJ2).
K  arrest 2025-12-31 (PK).
L  arrest 2024-01-05 (PL); charge 2024-01-20; convicted 2024-03-01; fine 2024-03-05.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from endvac.workspace import Workspace
from indicator_helpers import load_all

BORN = {"H": "2007-03-01", "L": "2007-06-01"}
REGION = {"G": "D2", "L": "D2"}
POLICE = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"]
COURT = ["A", "B", "C", "D", "E", "G", "H", "J", "L"]


def _children(agency: str, prefix: str, people: list[str]) -> str:
    return "record_id,agency,date_of_birth,sex,region\n" + "".join(
        f"{prefix}{p},{agency},{BORN.get(p, '2009-01-01')},{'f' if p in 'ACEGIK' else 'm'},"
        f"{REGION.get(p, 'D1')}\n" for p in people)


ARRESTS = [("A", "PA", "2024-01-10"), ("A", "PA2", "2024-10-01"), ("B", "PB", "2024-02-01"),
           ("C", "PC", "2024-03-01"), ("C", "PC2", "2024-08-08"), ("D", "PD", "2024-04-01"),
           ("D", "PD2", "2025-03-01"), ("E", "PE", "2024-05-01"), ("F", "PF", "2024-06-01"),
           ("G", "PG", "2024-07-01"), ("H", "PH", "2024-08-01"), ("H", "PH2", "2025-06-01"),
           ("I", "PI", "2023-11-01"), ("J", "PJ", "2024-10-01"), ("J", "PJ", "2025-02-10"),
           ("J", "PJ2", "2025-08-01"), ("K", "PK", "2025-12-31"), ("L", "PL", "2024-01-05")]
# person, origin case, event type, date, measure, authority
COURT_EVENTS = [
    ("A", "PA", "diversion", "2024-02-01", "mediation", "prosecutor"),
    ("A", "PA", "diversion_completed", "2024-04-01", "completed", ""),
    ("B", "PB", "diversion", "2024-02-15", "warning", "police"),
    ("B", "PB", "diversion_completed", "2024-05-01", "failed", ""),
    ("C", "PC", "charge", "2024-03-11", "", ""),
    ("C", "PC", "verdict", "2024-05-10", "convicted", ""),
    ("C", "PC", "sentence", "2024-05-10", "probation", ""),
    ("D", "PD", "charge", "2024-04-10", "", ""),
    ("D", "PD", "verdict", "2024-07-01", "convicted", ""),
    ("D", "PD", "sentence", "2024-07-01", "custodial", ""),
    ("E", "PE", "charge", "2024-05-20", "", ""),
    ("G", "PG", "charge", "2024-07-15", "", ""),
    ("G", "PG", "verdict", "2024-09-15", "acquitted", ""),
    ("H", "PH", "diversion", "2024-08-10", "restorative_justice", "prosecutor"),
    ("H", "PH", "diversion_completed", "2024-12-01", "completed", ""),
    ("J", "PJ", "diversion", "2024-10-05", "warning", "court"),
    ("J", "PJ", "diversion_completed", "2025-02-01", "completed", ""),
    ("L", "PL", "charge", "2024-01-20", "", ""),
    ("L", "PL", "verdict", "2024-03-01", "convicted", ""),
    ("L", "PL", "sentence", "2024-03-05", "fine", ""),
]


def deliveries() -> dict[str, dict[str, str]]:
    police_events = "event_id,agency,record_id,case_id,event_type,date,offence_iccs\n" + "".join(
        f"PE{n},police,P{p},{case},arrest,{day},0502\n"
        for n, (p, case, day) in enumerate(ARRESTS))
    court_events = ("event_id,agency,record_id,case_id,origin_case_ref,event_type,date,measure,"
                    "authority\n" + "".join(
                        f"CE{n},court,K{p},C{p},{case},{kind},{day},{measure},{authority}\n"
                        for n, (p, case, kind, day, measure, authority)
                        in enumerate(COURT_EVENTS)))
    police_spells = ("spell_id,agency,record_id,case_id,facility_id,basis,start,end,end_reason\n"
                     "PS1,police,PD,PD,P1,police_custody,2024-04-01,2024-04-02,transferred\n")
    detention = ("spell_id,agency,record_id,case_id,origin_case_ref,facility_id,basis,start,end,"
                 "end_reason\n"
                 "DS1,detention,DD,X1,PD,F1,pre_sentence,2024-04-02,2024-07-01,sentenced\n"
                 "DS2,detention,DD,X2,PD,F2,sentenced,2024-07-01,2025-01-01,"
                 "sentence_completed\n")
    return {
        "police": {"children.csv": _children("police", "P", POLICE), "events.csv": police_events,
                   "detentions.csv": police_spells},
        "court": {"children.csv": _children("court", "K", COURT), "events.csv": court_events},
        "detention": {"children.csv": _children("detention", "D", ["D"]),
                      "detentions.csv": detention},
        "social": {"children.csv": _children("social_services", "S", ["D"]),
                   "events.csv": "event_id,agency,record_id,event_type,date\n"
                                 "SE1,social_services,SD,aftercare,2025-01-15\n"},
    }


def person_map() -> pa.Table:
    rows = ([("police", f"P{p}", p) for p in POLICE] + [("court", f"K{p}", p) for p in COURT]
            + [("detention", "DD", "D"), ("social_services", "SD", "D")])
    return pa.table({"agency": [r[0] for r in rows], "record_id": [r[1] for r in rows],
                     "person": [r[2] for r in rows]})


def load_cohort(ws: Workspace, root: Path) -> None:
    load_all(ws, root, deliveries())
